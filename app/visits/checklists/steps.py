"""What both built-in checklists are made of: the visit paths a step applies to, and a field."""

ALL = ["fixed", "unfixed", "declined"]
BEFORE_DECISION = ["fixed", "declined"]


def field(name: str, kind: str, label: str, **extra) -> dict:
    return {"name": name, "type": kind, "label": label, **extra}
