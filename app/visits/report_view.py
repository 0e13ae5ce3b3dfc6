"""The signed report as a customer reads it: every recorded value under its label, in the reader's language.

Only the rendering lives here. The signed content (canonical JSON, hashed and sealed) is read, never
changed: times stay UTC in it and are shown in the office's time zone by the templates (``when``/``day``).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.i18n import N_, _, gettext
from app.jobs.texts import BASIS_LABELS, WARRANTY_LABELS, label
from app.parts.models import Part, PartUnit
from app.visits.checklists.steps import LOOKUP_RESULTS

# Steps whose own record is shown elsewhere in the report: the sign-off block carries the report signature.
_SHOWN_ELSEWHERE = {"report"}
_OUTCOMES = {"fixed": N_("Fixed"), "unfixed": N_("Not fixed on this visit"), "declined": N_("Quote declined")}


def moment(value: Any) -> datetime | date | None:
    """A time stored in the content (UTC ISO text) as a datetime; a date as a date; None when absent."""
    if not value or not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value else date.fromisoformat(value)
    except ValueError:
        return None


def _field_value(spec: dict, value: Any) -> Any:
    if spec["type"] == "check":
        return True
    if spec["type"] == "choice":
        return gettext(spec.get("options", {}).get(value, value))
    if spec["type"] == "date":
        return moment(value) or value
    return value


def step_rows(template: dict | None, step: dict) -> list[dict]:
    """The step's recorded values as ``{"label", "value"}`` (``value`` True for a ticked check)."""
    specs = {}
    for known in (template or {}).get("steps", []):
        if known["key"] == step["key"]:
            specs = {spec["name"]: spec for spec in known.get("fields", [])}
    values, rows = step.get("values") or {}, []
    for name, spec in specs.items():
        if values.get(name) not in ("", None, False):
            rows.append({"label": gettext(spec["label"]), "value": _field_value(spec, values[name])})
    if values.get("signer_name"):
        rows.append({"label": gettext("Signed by"), "value": values["signer_name"]})
    if values.get("decision") in {"accepted", "declined"}:
        decision = gettext("Quote accepted") if values["decision"] == "accepted" else gettext("Quote declined")
        rows.append({"label": gettext("Decision"), "value": decision})
    return rows


def _purpose(template: dict | None, key: str) -> str:
    return next((s.get("purpose", "") for s in (template or {}).get("steps", []) if s["key"] == key), "")


def warranty(content: dict) -> str:
    """The warranty as known at signing: an intake "unknown" checked on site says what was checked."""
    device = content.get("device", {})
    checked = next((s for s in content.get("steps", []) if s["key"] == "warranty" and s["status"] == "done"), None)
    if device.get("warranty_status") == "unknown" and checked is not None:
        values = checked.get("values") or {}
        if (result := LOOKUP_RESULTS.get(values.get("lookup_result", ""))) is not None:
            why = values.get("lookup_reason", "")
            return gettext("Checked on site: serial looked up, %(result)s (%(why)s)", result=gettext(result), why=why)
        if values.get("lookup_reason"):  # reports signed before the lookup's result was recorded
            return gettext("Checked on site: serial looked up (%(why)s)", why=values["lookup_reason"])
        return gettext("Checked on site: warranty card and packing list")
    status = label(WARRANTY_LABELS, device.get("warranty_status", ""))
    basis = device.get("warranty_basis", "")
    return f"{status} · {label(BASIS_LABELS, basis)}" if basis in BASIS_LABELS and basis != "none" else status


async def part_names(db: AsyncSession, office_id, serials: list[str]) -> dict[str, str]:
    """The catalogue name of each fitted or removed unit the office knows by its serial."""
    wanted = [serial for serial in serials if serial]
    if not wanted:
        return {}
    rows = await db.exec(
        select(PartUnit.serial, Part.name)
        .join(Part, Part.id == PartUnit.part_id)
        .where(PartUnit.office_id == office_id, PartUnit.serial.in_(wanted))
    )
    return dict(rows.all())


def service_report_view(content: dict, template: dict | None, names: dict[str, str]) -> dict:
    """What the report templates show, built from the signed content and the visit's checklist snapshot."""
    steps = [
        {
            "title": gettext(step["title"]),
            "na": step.get("not_applicable_reason", "") if step["status"] == "na" else None,
            "rows": step_rows(template, step),
        }
        for step in content.get("steps", [])
        if _purpose(template, step["key"]) not in _SHOWN_ELSEWHERE
    ]
    titles = {step["key"]: gettext(step["title"]) for step in content.get("steps", [])}
    milestones = content.get("milestones", [])
    titles.update({m["step"]: _("Milestone: %(name)s", name=m["name"]) for m in milestones})
    order = {key: n for n, key in enumerate(titles)}
    photos = [
        {"sha256": p["sha256"], "caption": titles.get(p["step"], p["step"]), "at": moment(p.get("at"))}
        for p in sorted(content.get("photos", []), key=lambda p: order.get(p["step"], len(order)))
    ]
    parts = [
        {
            "fitted": p.get("fitted_serial", ""),
            "fitted_name": names.get(p.get("fitted_serial", ""), ""),
            "removed": p.get("removed_serial", ""),
            "removed_name": names.get(p.get("removed_serial", ""), ""),
        }
        for p in content.get("parts", [])
    ]
    sign_off = content.get("sign_off", {})
    charges = content.get("charges", {"quotes": [], "total": "0.00"})
    control = content.get("control", {})
    return {
        "steps": steps,
        "photos": photos,
        "milestones": [{**m, "day": date.fromisoformat(m["day"])} for m in milestones],
        "parts": parts,
        "warranty": warranty(content),
        "outcome": gettext(_OUTCOMES[content["outcome"]]) if content.get("outcome") in _OUTCOMES else "",
        "requested_at": moment(control.get("requested_at")),
        "arrival": moment(content.get("times", {}).get("arrival")),
        "signed_at": moment(sign_off.get("signed_at")),
        "signer": sign_off.get("signer_name", ""),
        "stamped": sign_off.get("method") == "stamp",
        "charged": Decimal(charges.get("total") or "0") > 0 or bool(charges.get("quotes")),
        "checklist": gettext((template or {}).get("name", "")) or control.get("template", {}).get("key", ""),
    }
