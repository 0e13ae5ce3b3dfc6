"""Small field checks shared by the forms; each returns a clean value or raises ``FieldError``."""

import re
import uuid
from datetime import date, timedelta

from app.core.errors import DomainError
from app.core.i18n import _


class FieldError(DomainError, ValueError):
    """A form field is missing or wrong; ``field`` names it, ``message`` says what to fix."""

    code = "invalid_field"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


_PHONE = re.compile(r"^\+?[0-9 ()\-]{6,24}$")
# One address, no display name: a local part, "@", a domain with a dot, no spaces or angle brackets.
_EMAIL = re.compile(r"^[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\".]{2,}$")
# Bidirectional controls (embeddings, overrides, isolates, marks) reorder the text around them wherever it is
# shown again, in a PDF or a list, so "\u202eexe.txt" reads "txt.exe". Text typed by people never needs them.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def single_line(raw: object) -> str:
    """A one-line text value as typed, without bidirectional controls and surrounding spaces."""
    return _BIDI_CONTROLS.sub("", str(raw or "")).strip()


def text(data: dict, field: str, *, max_length: int, required: bool = True, label: str = "") -> str:
    value = single_line(data.get(field, ""))
    if required and not value:
        raise FieldError(field, _("%(label)s is required.", label=label or field))
    if len(value) > max_length:
        raise FieldError(
            field, _("%(label)s is too long (at most %(max)s characters).", label=label or field, max=max_length)
        )
    if "\x00" in value:
        raise FieldError(field, _("%(label)s contains characters that are not allowed.", label=label or field))
    return value


def phone(data: dict, field: str, *, required: bool = True, label: str = "") -> str:
    value = text(data, field, max_length=30, required=required, label=label)
    if value and (not _PHONE.match(value) or sum(ch.isdigit() for ch in value) < 6):
        raise FieldError(field, _("%(label)s is not a valid phone number.", label=label or field))
    return value


def email(data: dict, field: str, *, required: bool = False, label: str = "") -> str:
    value = text(data, field, max_length=254, required=required, label=label)
    if value and (not _EMAIL.match(value) or ".." in value):
        raise FieldError(field, _("%(label)s is not a valid e-mail address.", label=label or field))
    return value


def choice(data: dict, field: str, options, *, label: str = "") -> str:
    value = str(data.get(field, "") or "").strip()
    if value not in {str(option) for option in options}:
        raise FieldError(field, _("Choose a valid %(label)s.", label=label or field))
    return value


def checkbox(data: dict, field: str) -> bool:
    return str(data.get(field, "")).lower() in {"on", "1", "true", "yes"}


# The largest whole number a database integer column holds: anything above is a typing error, not a value.
MAX_INTEGER = 2_147_483_647


def integer(data: dict, field: str, *, label: str = "", minimum: int | None = None) -> int:
    raw = str(data.get(field, "") or "").strip()
    try:
        value = int(raw) if len(raw) <= 20 else None
    except ValueError:
        value = None
    if value is None:
        raise FieldError(field, _("%(label)s must be a whole number.", label=label or field))
    if minimum is not None and value < minimum:
        raise FieldError(field, _("%(label)s is too small.", label=label or field))
    if value > MAX_INTEGER:
        raise FieldError(field, _("%(label)s is too large.", label=label or field))
    return value


class FormErrors(FieldError):
    """Several fields are wrong at once. ``field`` and ``message`` name the first (so a handler that knows only
    ``FieldError`` still works); ``errors`` maps every wrong field to its message, in form order."""

    code = "invalid_fields"

    def __init__(self, errors: dict[str, str]) -> None:
        field, message = next(iter(errors.items()))
        super().__init__(field, message)
        self.errors = errors


class Collector:
    """Runs field checks and keeps every ``FieldError`` instead of stopping at the first.

    ``value = check(v.text, data, "name", ...)`` returns the clean value, or None when the check failed;
    ``check.done()`` then raises ``FormErrors`` naming every field that failed."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def __call__(self, validate, *args, **kwargs):
        try:
            return validate(*args, **kwargs)
        except FieldError as error:  # a whole sub-form's FormErrors too, every field of it
            for field, message in getattr(error, "errors", {error.field: error.message}).items():
                self.add(field, message)
            return None

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def done(self) -> None:
        if self.errors:
            raise FormErrors(self.errors)


def error_context(error) -> dict:
    """What a form template needs to show ``error`` (a FieldError, FormErrors, DomainError or None):
    ``error`` (the first message), ``error_field`` and ``form_errors`` (every field's message)."""
    if error is None:
        return {"error": None, "error_field": None, "form_errors": {}}
    field = getattr(error, "field", None)
    errors = getattr(error, "errors", None) or ({field: error.message} if field else {})
    return {"error": error.message, "error_field": field, "form_errors": errors}


def given_id(data: dict, field: str = "id") -> uuid.UUID | None:
    """The id a form chose for what it creates (a retried submission sends the same one), or None."""
    try:
        return uuid.UUID(str(data.get(field, "")))
    except ValueError:
        return None


def tapped_day(data: dict, today: date, elsewhere: str) -> date:
    """The office day a phone's form was drawn on (its ``day``): today, or yesterday for a phone that was offline
    overnight. ``elsewhere``: what to say of any other day."""
    try:
        day = date.fromisoformat(str(data.get("day", "")))
    except ValueError:
        raise DomainError(_("This form is out of date. Reload the page and try again.")) from None
    if day not in {today, today - timedelta(days=1)}:
        raise DomainError(elsewhere)
    return day
