"""The visit checklist as pure logic: templates are data, steps are typed, gates decide what may be done next.

No database here: the service hands in the template snapshot, the results so far and the visit's flags.
"""

import enum
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from app.core.i18n import _, gettext
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


FIELD_TYPES = {"check", "text", "number", "choice", "date", "part_scan"}
PATHS = ("fixed", "unfixed", "declined")
# A phone's clock and the server's may disagree a little; an observation timer tolerates this much.
CLOCK_SKEW = timedelta(minutes=2)


class ChecklistRefused(ValueError):
    """A step was refused; ``message`` is a translated sentence naming what is missing."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


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
    return str(source.get(condition["field"], "")) in set(condition["in"])


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
            try:
                values[name] = float(raw.replace(",", "."))
            except ValueError:
                raise ChecklistRefused(_("%(label)s must be a number.", label=label), name) from None
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


def check_evidence(visit: Visit, step: dict[str, Any], values: dict[str, Any]) -> None:
    """Refuses a step whose required fields or photos are missing, naming the first one (INV-6)."""
    for spec in step.get("fields", []):
        value = values.get(spec["name"])
        if field_required(visit, spec, values) and (value is False or value in ("", None)):
            label = gettext(spec["label"])
            if spec["type"] == "check":
                raise ChecklistRefused(
                    _("Confirm “%(label)s” to finish “%(step)s”.", label=label, step=title(step)), spec["name"]
                )
            raise ChecklistRefused(
                _("“%(label)s” is required to finish “%(step)s”.", label=label, step=title(step)), spec["name"]
            )
    either = step.get("one_of")
    if (
        either
        and condition_holds(visit, either.get("when"), values)
        and not any(values.get(name) for name in either["fields"])
    ):
        labels = [gettext(spec["label"]) for spec in step["fields"] if spec["name"] in either["fields"]]
        raise ChecklistRefused(
            _("“%(step)s” needs one of: %(fields)s.", step=title(step), fields=" / ".join(labels)), either["fields"][0]
        )
    needed = step.get("min_photos", 0)
    if needed and condition_holds(visit, step.get("photos_when"), values):
        waiver = step.get("photos_unless")
        if not (waiver and values.get(waiver)) and visit.photos.get(step["key"], 0) < needed:
            raise ChecklistRefused(
                _("“%(step)s” needs at least %(count)s photo(s).", step=title(step), count=needed), "photos"
            )


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
            _(
                "The observation period is not over: %(left)s more minute(s) of the %(minutes)s required.",
                left=left,
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


def validate_template(template: dict[str, Any]) -> list[str]:
    """Problems with a template a manager edited; empty when it can be used."""
    problems = []
    keys = [step.get("key") for step in template.get("steps", [])]
    phases = {phase.get("key") for phase in template.get("phases", [])}
    if len(set(keys)) != len(keys):
        problems.append(_("Two steps share the same key."))
    for step in template.get("steps", []):
        if step.get("type") not in set(StepType):
            problems.append(_("Step “%(key)s” has an unknown type.", key=step.get("key")))
        if step.get("phase") not in phases:
            problems.append(_("Step “%(key)s” names an unknown phase.", key=step.get("key")))
        if not step.get("title"):
            problems.append(_("Step “%(key)s” has no title.", key=step.get("key")))
        for spec in step.get("fields", []):
            if spec.get("type") not in FIELD_TYPES or not spec.get("name") or not spec.get("label"):
                problems.append(
                    _("Step “%(key)s” has a field without a name, label or valid type.", key=step.get("key"))
                )
            elif spec["type"] == "choice" and not spec.get("options"):
                problems.append(_("Step “%(key)s” has a choice without options.", key=step.get("key")))
        if not set(step.get("paths", ["fixed"])) <= set(PATHS):
            problems.append(_("Step “%(key)s” names an unknown path.", key=step.get("key")))
    return problems
