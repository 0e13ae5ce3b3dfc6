"""The versioned price list and quotes built only from its lines (§8, F42, F43, INV-5)."""

from decimal import Decimal, InvalidOperation
from typing import Any

from app.core import formats
from app.core.i18n import N_, _
from app.visits.engine import ChecklistRefused

DEFAULT_LINES = [
    {"code": "LAB-DIAG", "label": N_("Diagnosis (labour)"), "kind": "labour", "price": "150.00"},
    {"code": "LAB-HOUR", "label": N_("Repair labour, per hour"), "kind": "labour", "price": "200.00"},
    {"code": "SW-REINSTALL", "label": N_("Software reinstallation"), "kind": "labour", "price": "180.00"},
    {"code": "PART-PSU", "label": N_("Power supply unit"), "kind": "part", "price": "420.00"},
    {"code": "PART-BOARD", "label": N_("Main board"), "kind": "part", "price": "1250.00"},
]


def build_quote(price_list_version: int, lines: list[dict[str, Any]], data: dict) -> dict[str, Any]:
    """A quote from the form's quantities (``qty_<code>``); only price-list lines may be quoted."""
    quoted, total = [], Decimal("0")
    for line in lines:
        raw = str(data.get(f"qty_{line['code']}", "") or "").strip()
        if not raw or raw == "0":
            continue
        try:
            quantity = Decimal(raw)
        except InvalidOperation:
            raise ChecklistRefused(_("Quantities must be numbers."), f"qty_{line['code']}") from None
        if quantity <= 0 or quantity > 100 or quantity != quantity.quantize(Decimal("0.5")):
            raise ChecklistRefused(_("Quantities must be between 0.5 and 100."), f"qty_{line['code']}")
        amount = (Decimal(line["price"]) * quantity).quantize(Decimal("0.01"))
        quoted.append(
            {
                "code": line["code"],
                "label": line["label"],
                "kind": line["kind"],
                "price": line["price"],
                "quantity": str(quantity),
                "amount": str(amount),
            }
        )
        total += amount
    unknown = [key[4:] for key in data if key.startswith("qty_") and key[4:] not in {ln["code"] for ln in lines}]
    if unknown:
        raise ChecklistRefused(_("Quotes can only use lines of the price list."))
    if not quoted:
        raise ChecklistRefused(_("Add at least one price-list line to the quote."))
    return {"price_list_version": price_list_version, "lines": quoted, "total": str(total), "accepted_total": ""}


def check_ceiling(quote: dict[str, Any], new_total: Decimal) -> None:
    """An accepted total is a ceiling: a higher price needs a new signed acceptance (INV-5)."""
    accepted = quote.get("accepted_total")
    if accepted and new_total > Decimal(accepted):
        raise ChecklistRefused(
            _(
                "The price may not rise above the accepted %(total)s without the customer's new signed acceptance.",
                total=formats.money(accepted),
            )
        )
