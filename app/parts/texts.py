"""What users read for the ledger's movement kinds (translated where shown)."""

from app.core.i18n import N_

MOVEMENT_LABELS = {
    "STOCK_IN": N_("Booked into stock"),
    "CHECK_OUT": N_("Checked out (packaging sealed)"),
    "FIT": N_("Fitted"),
    "RETURN_UNUSED": N_("Returned unused, sealed"),
    "RETURN_FAULTY": N_("Faulty part returned with fault tag"),
    "RETURN_REMOVED": N_("Removed faulty part taken back with fault tag"),
    "QUARANTINE": N_("Returned opened: quarantine"),
    "CONFIRM_RETURN": N_("Return confirmed by the clerk"),
    "BORROW_FAILURE": N_("Borrow failure"),
    "RESERVE": N_("Reserved for a job"),
    "REQUEST_FROM_CENTRE": N_("Requested from the parts centre"),
    "SHIP_DEFECTIVE": N_("Shipped to the parts centre"),
}

UNIT_STATUS_LABELS = {
    "IN_STOCK": N_("in stock"),
    "OUT": N_("lent out"),
    "FITTED": N_("fitted, faulty part not back yet"),
    "AT_CUSTOMER": N_("fitted at the customer"),
    "DEFECTIVE": N_("faulty, in the defective bin"),
    "QUARANTINE": N_("quarantine"),
    "SHIPPED": N_("shipped to the parts centre"),
}

TEMPLATE_GLOBALS = {"MOVEMENT_LABELS": MOVEMENT_LABELS}
