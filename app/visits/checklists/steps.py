"""What both built-in checklists are made of: the visit paths a step applies to, and a field."""

from app.core.i18n import N_

ALL = ["fixed", "unfixed", "declined"]
BEFORE_DECISION = ["fixed", "declined"]
# F15: without a card, the serial lookup's answer is recorded (not free text alone).
LOOKUP_RESULTS = {
    "in_warranty": N_("In warranty"),
    "out_of_warranty": N_("Out of warranty"),
    "not_found": N_("Serial not found"),
}


def field(name: str, kind: str, label: str, **extra) -> dict:
    return {"name": name, "type": kind, "label": label, **extra}
