"""The visit checklist as pure logic: templates are data, steps are typed, gates decide what may be done next.

No database here: the service hands in the template snapshot, the results so far and the visit's flags.
"""

import enum
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from app.core.errors import DomainError
from app.core.i18n import _, gettext, ngettext
from app.core.validation import single_line


class StepType(enum.StrEnum):
    CHECK = "check"
    TEXT = "text"
    NUMBER = "number"
    CHOICE = "choice"
    PHOTO = "photo"
    CONSENT = "consent"
    SIGNATURE = "signature"
    PART_SCAN = "part_scan"
    TIMER = "timer"


FIELD_TYPES = {"check", "text", "number", "choice", "date", "part_scan", "team_member"}
PATHS = ("fixed", "unfixed", "declined")
# A phone's clock and the server's may disagree a little; an observation timer tolerates this much.
CLOCK_SKEW = timedelta(minutes=2)


class ChecklistRefused(DomainError):
    """A checklist rule refused the step; ``message`` is a translated sentence naming what is missing."""

    code = "step_refused"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message, field=field)


@dataclass
class Visit:
    """What the engine needs to know about one visit."""

    template: dict[str, Any]
    results: dict[str, dict[str, Any]] = field(default_factory=dict)  # step key -> {"status", "values"}
    outcome: str = "fixed"  # fixed / unfixed / declined
    paid: bool = False  # job flagged paid or out of warranty before the visit
    photos: dict[str, int] = field(default_factory=dict)  # step key -> live photo count

    @property
    def steps(self) -> list[dict[str, Any]]:
        return self.template["steps"]

    def step(self, key: str) -> dict[str, Any]:
        for step in self.steps:
            if step["key"] == key:
                return step
        raise ChecklistRefused(_("This checklist has no step “%(key)s”.", key=key))

    def value(self, step_key: str, name: str) -> Any:
        return self.results.get(step_key, {}).get("values", {}).get(name)


def title(step: dict[str, Any]) -> str:
    return gettext(step["title"])


def is_paid(visit: Visit) -> bool:
    """Paid service (§8): flagged at intake, out of warranty, or classified software or man-made on site."""
    return visit.paid or visit.value("classify", "fault_class") in {"software", "man_made"}


def condition_holds(visit: Visit, condition: dict[str, Any] | None, own_values: dict | None = None) -> bool:
    if not condition:
        return True
    if "flag" in condition:
        return is_paid(visit) if condition["flag"] == "paid" else False
    source = (
        own_values
        if own_values is not None and "step" not in condition
        else visit.results.get(condition.get("step", ""), {}).get("values", {})
    )
    return condition_text(source.get(condition["field"], "")) in set(condition["in"])


def condition_text(value: Any) -> str:
    """An answer as a condition reads it, the same on the phone: a ticked box is "on", an unticked one "",
    a whole number has no decimals ("2", not "2.0")."""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def applies(visit: Visit, step: dict[str, Any]) -> bool:
    """Whether the step belongs to this visit: its path (fixed, unfixed, declined) and its condition."""
    return visit.outcome in step.get("paths", ["fixed"]) and condition_holds(visit, step.get("when"))


def applicable_steps(visit: Visit) -> list[dict[str, Any]]:
    return [step for step in visit.steps if applies(visit, step)]


def is_done(visit: Visit, key: str) -> bool:
    return visit.results.get(key, {}).get("status") in {"done", "na"}


def current_step(visit: Visit) -> dict[str, Any] | None:
    """The first applicable step not yet done, or None when the checklist is finished."""
    for step in applicable_steps(visit):
        if not is_done(visit, step["key"]):
            return step
    return None


def progress(visit: Visit) -> dict[str, Any]:
    steps = applicable_steps(visit)
    done = sum(1 for step in steps if is_done(visit, step["key"]))
    current = current_step(visit)
    phases = {phase["key"]: phase["title"] for phase in visit.template["phases"]}
    return {
        "done": done,
        "total": len(steps),
        "number": min(done + 1, len(steps)),
        "current": current,
        "phase": gettext(phases.get(current["phase"], "")) if current else "",
        "finished": current is None,
    }


def missing_before(visit: Visit, key: str) -> dict[str, Any] | None:
    """The first blocking step before ``key`` that is not done yet (steps unlock in order, F13)."""
    for step in applicable_steps(visit):
        if step["key"] == key:
            return None
        if step.get("blocking", True) and not is_done(visit, step["key"]):
            return step
    return None


def check_can_start(visit: Visit, key: str) -> dict[str, Any]:
    """The step, if it may be worked on now; otherwise a refusal that names the missing step."""
    step = visit.step(key)
    if not applies(visit, step):
        raise ChecklistRefused(_("The step “%(step)s” does not apply to this visit.", step=title(step)))
    if is_done(visit, key):
        raise ChecklistRefused(_("The step “%(step)s” is already done.", step=title(step)))
    missing = missing_before(visit, key)
    if missing is not None:
        raise ChecklistRefused(
            _("Do the step “%(missing)s” first, before “%(step)s”.", missing=title(missing), step=title(step))
        )
    return step


def field_required(visit: Visit, spec: dict[str, Any], values: dict) -> bool:
    return spec.get("required", True) and condition_holds(visit, spec.get("when"), values)


_NUMBER = re.compile(r"[-+]?\d{1,15}(?:[.,]\d{1,6})?")  # as static/js/visit-engine.js reads a number
_SERIAL = re.compile(r"^[A-Z0-9][A-Z0-9\-_/.]{2,63}$")


def clean_values(visit: Visit, step: dict[str, Any], data: dict) -> dict[str, Any]:
    """The step's evidence from a form, checked field by field against the step's types."""
    values: dict[str, Any] = {}
    for spec in step.get("fields", []):
        name, kind, label = spec["name"], spec["type"], gettext(spec["label"])
        raw = single_line(data.get(name, ""))
        if kind == "check":
            values[name] = raw.lower() in {"on", "1", "true", "yes"}
        elif kind == "number" and raw:
            if not _NUMBER.fullmatch(raw):
                raise ChecklistRefused(_("%(label)s must be a number.", label=label), name)
            values[name] = float(raw.replace(",", "."))
        elif kind == "choice" and raw and raw not in spec["options"]:
            raise ChecklistRefused(_("Choose a valid answer for “%(label)s”.", label=label), name)
        elif kind == "date" and raw:
            try:
                values[name] = date.fromisoformat(raw).isoformat()
            except ValueError:
                raise ChecklistRefused(_("%(label)s must be a date.", label=label), name) from None
        elif kind == "part_scan" and raw:
            values[name] = raw.upper().replace(" ", "")
        elif len(raw) > 1000:
            raise ChecklistRefused(_("%(label)s is too long (at most 1000 characters).", label=label), name)
        else:
            values[name] = raw
        values.setdefault(name, raw if kind != "check" else False)
    return values


def missing_evidence(visit: Visit, step: dict[str, Any], values: dict[str, Any]) -> str | None:
    """The first missing piece of a step's evidence, as the phone's engine names it too: ``field:<name>`` for a
    required field left blank, ``one_of`` for an either-or pair with neither filled in, ``photos``; else None."""
    for spec in step.get("fields", []):
        value = values.get(spec["name"])
        if field_required(visit, spec, values) and (value is False or value in ("", None)):
            return f"field:{spec['name']}"
    either = step.get("one_of")
    if (
        either
        and condition_holds(visit, either.get("when"), values)
        and not any(values.get(name) for name in either["fields"])
    ):
        return "one_of"
    needed = step.get("min_photos", 0)
    if needed and condition_holds(visit, step.get("photos_when"), values):
        waiver = step.get("photos_unless")
        if not (waiver and values.get(waiver)) and visit.photos.get(step["key"], 0) < needed:
            return "photos"
    return None


def check_evidence(visit: Visit, step: dict[str, Any], values: dict[str, Any]) -> None:
    """Refuses a step whose required fields or photos are missing, naming the first one (INV-6)."""
    missing = missing_evidence(visit, step, values)
    if missing is None:
        return
    if missing.startswith("field:"):
        spec = next(spec for spec in step["fields"] if spec["name"] == missing[6:])
        label = gettext(spec["label"])
        if spec["type"] == "check":
            raise ChecklistRefused(
                _("Confirm “%(label)s” to finish “%(step)s”.", label=label, step=title(step)), spec["name"]
            )
        raise ChecklistRefused(
            _("“%(label)s” is required to finish “%(step)s”.", label=label, step=title(step)), spec["name"]
        )
    if missing == "one_of":
        either = step["one_of"]["fields"]
        labels = [gettext(spec["label"]) for spec in step["fields"] if spec["name"] in either]
        raise ChecklistRefused(
            _("“%(step)s” needs one of: %(fields)s.", step=title(step), fields=" / ".join(labels)), either[0]
        )
    raise ChecklistRefused(
        ngettext(
            "“%(step)s” needs at least %(num)s photo.",
            "“%(step)s” needs at least %(num)s photos.",
            step["min_photos"],
            step=title(step),
        ),
        "photos",
    )


# Declaring a visit not fixed (T15) is allowed while the job is DIAGNOSING, REPAIRING or VERIFYING. An onsite
# job's state follows its checklist (service.after_step), so the rule reads the checklist, the same way on the
# server and on a phone with no signal: from the first step after arrival until the customer signs the report,
# except while the customer decides on the paid-service quote (AWAITING_CUSTOMER_DECISION).
UNFIXED_FROM_PHASES = {"reproduce", "repair", "verify", "signoff"}


def may_declare_unfixed(visit: Visit) -> bool:
    """Whether the engineer may declare this visit not fixed now (T15); see ``UNFIXED_FROM_PHASES``."""
    offers_unfixed = any("unfixed" in s.get("paths", []) and "fixed" not in s.get("paths", []) for s in visit.steps)
    current = current_step(visit)
    if visit.outcome != "fixed" or not offers_unfixed or current is None:
        return False
    report_signed = any(s.get("purpose") == "report" and is_done(visit, s["key"]) for s in visit.steps)
    deciding_quote = current["key"] == "quote" and current.get("purpose") == "quote"
    return current["phase"] in UNFIXED_FROM_PHASES and not report_signed and not deciding_quote


def check_timer(step: dict[str, Any], timer: dict[str, Any] | None, now: datetime, device_now: datetime | None) -> None:
    """The observation period really elapsed, by the server's clock and by the phone's (F16).

    A timer started with no signal reaches the server late, with the rest of the visit: the server then counts
    from the phone's start (its time checked on arrival like every device time), not from the late delivery.
    """
    minutes = step.get("minutes", 30)
    if not timer:
        raise ChecklistRefused(_("Start the %(minutes)s-minute observation timer first.", minutes=minutes))
    period = timedelta(minutes=minutes)
    started = datetime.fromisoformat(timer["server"])
    if timer.get("device"):
        started = min(started, datetime.fromisoformat(timer["device"]))
    server_elapsed = now - started
    if server_elapsed + CLOCK_SKEW < period:
        left = max(1, int((period - server_elapsed).total_seconds() // 60))
        raise ChecklistRefused(
            ngettext(
                "The observation period is not over: %(num)s more minute of the %(minutes)s required.",
                "The observation period is not over: %(num)s more minutes of the %(minutes)s required.",
                left,
                minutes=minutes,
            )
        )
    if timer.get("device") and device_now is not None:
        device_elapsed = device_now - datetime.fromisoformat(timer["device"])
        if device_elapsed + CLOCK_SKEW < period:
            raise ChecklistRefused(
                _("The phone's clock shows less than %(minutes)s minutes of observation.", minutes=minutes)
            )


def check_part_serial(code: str) -> str:
    """A scanned or typed serial, normalised; refuses an empty or malformed one."""
    normalised = code.strip().upper().replace(" ", "")
    if not normalised:
        raise ChecklistRefused(_("Scan or type the fitted part's serial."), "fitted_serial")
    if not _SERIAL.fullmatch(normalised):
        raise ChecklistRefused(_("“%(code)s” is not a valid part serial.", code=code[:64]), "fitted_serial")
    return normalised


def can_skip(step: dict[str, Any]) -> bool:
    """Only steps marked so may be recorded as not applicable, with a reason (F13)."""
    return bool(step.get("na_allowed"))
