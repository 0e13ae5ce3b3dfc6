"""What users read for the ledger's movement kinds (translated where shown)."""

from app.core.i18n import N_

MOVEMENT_LABELS = {
    "STOCK_IN": N_("Booked into stock"),
    "CHECK_OUT": N_("Checked out (packaging sealed)"),
    "FIT": N_("Fitted"),
    "RETURN_UNUSED": N_("Returned unused, sealed"),
    "RETURN_FAULTY": N_("Faulty part returned with fault tag"),
    "QUARANTINE": N_("Returned opened: quarantine"),
    "CONFIRM_RETURN": N_("Return confirmed by the clerk"),
    "BORROW_FAILURE": N_("Borrow failure"),
    "RESERVE": N_("Reserved for a job"),
    "REQUEST_FROM_CENTRE": N_("Requested from the parts centre"),
    "SHIP_DEFECTIVE": N_("Shipped to the parts centre"),
}
