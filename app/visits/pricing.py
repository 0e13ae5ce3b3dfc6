"""The versioned price list and quotes built only from its lines (§8, F42, F43, INV-5).

Money is integer cents. One rounding rule, the same in static/js/visit-engine.js: a price with more than two
decimals, and each quote line (price × quantity), is rounded to the cent **half up** (0.5 cent goes up:
150.05 × 0.5 = 75.025 → 75.03); the total is the sum of the rounded lines. tests/cases/visit_engine.json holds
the cases both engines must agree on.
"""

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from app.core.i18n import N_, _
from app.visits.engine import ChecklistRefused

DEFAULT_LINES = [
    {"code": "LAB-DIAG", "label": N_("Diagnosis (labour)"), "kind": "labour", "price": "150.00"},
    {"code": "LAB-HOUR", "label": N_("Repair labour, per hour"), "kind": "labour", "price": "200.00"},
    {"code": "SW-REINSTALL", "label": N_("Software reinstallation"), "kind": "labour", "price": "180.00"},
    {"code": "PART-PSU", "label": N_("Power supply unit"), "kind": "part", "price": "420.00"},
    {"code": "PART-BOARD", "label": N_("Main board"), "kind": "part", "price": "1250.00"},
]
_AMOUNT = re.compile(r"^\s*(\d{1,9})(?:\.(\d{0,6}))?\s*$")
# Quantities: a positive multiple of 0.5, at most 100 (half an hour of labour is the smallest unit).
_QUANTITY = re.compile(r"^\s*(\d{1,3})(?:\.(\d{1,2}))?\s*$")


def cents_of(text: str) -> int:
    """'12.345' → 1235 cents (half up); ValueError for anything but a plain non-negative decimal."""
    if not _AMOUNT.match(str(text)):
        raise ValueError(text)
    return int((Decimal(str(text).strip()) * 100).to_integral_value(rounding=ROUND_HALF_UP))


def format_cents(cents: int) -> str:
    """1235 → '12.35'."""
    sign, cents = ("-", -cents) if cents < 0 else ("", cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def quantity_of(raw: str) -> Decimal | None:
    """The quantity typed for a line: None when blank or 0; ChecklistRefused when it is not a valid quantity."""
    if raw.strip() in {"", "0"}:
        return None
    if not _QUANTITY.match(raw):
        raise ChecklistRefused(_("Quantities must be numbers."))
    quantity = Decimal(raw.strip())
    if quantity <= 0 or quantity > 100 or (quantity * 2) % 1:
        raise ChecklistRefused(_("Quantities must be between 0.5 and 100."))
    return quantity


def line_cents(price_cents: int, quantity: Decimal) -> int:
    """One quote line's amount: price × quantity, rounded to the cent half up."""
    return int((price_cents * quantity).to_integral_value(rounding=ROUND_HALF_UP))


def build_quote(price_list_version: int, lines: list[dict[str, Any]], data: dict) -> dict[str, Any]:
    """A quote from the form's quantities (``qty_<code>``); only price-list lines may be quoted."""
    quoted, total = [], 0
    for line in lines:
        field = f"qty_{line['code']}"
        try:
            quantity = quantity_of(str(data.get(field, "") or ""))
        except ChecklistRefused as error:
            raise ChecklistRefused(error.message, field) from None
        if quantity is None:
            continue
        amount = line_cents(cents_of(line["price"]), quantity)
        quoted.append(
            {
                "code": line["code"],
                "label": line["label"],
                "kind": line["kind"],
                "price": line["price"],
                "quantity": str(quantity),
                "amount": format_cents(amount),
            }
        )
        total += amount
    unknown = [key[4:] for key in data if key.startswith("qty_") and key[4:] not in {ln["code"] for ln in lines}]
    if unknown:
        raise ChecklistRefused(_("Quotes can only use lines of the price list."))
    if not quoted:
        raise ChecklistRefused(_("Add at least one price-list line to the quote."))
    total_text = format_cents(total)
    return {"price_list_version": price_list_version, "lines": quoted, "total": total_text, "accepted_total": ""}
