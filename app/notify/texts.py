"""The messages' words, in both languages: each trigger's subject and body, and the names that fill them.

A message is stored with its trigger and its names (``encode``), so that it can be worded again in whatever
language its reader uses when it is shown (``compose``): the bell and the notifications page speak the reader's
current language, not the one of the moment the message was written. Names that need words (a clock's label, a
time) are kept as ``Words`` and ``Moment`` and worded only then."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from app.core import formats
from app.core.i18n import N_, _, begin_language, end_language

# trigger -> (subject, body); the body's names are filled by the trigger.
MESSAGES = {
    "window_agreed": (
        N_("Visit booked: %(number)s"),
        N_("Your service visit for %(device)s (job %(number)s) is booked for %(window)s. %(office)s"),
    ),
    "rescheduled": (
        N_("Visit moved: %(number)s"),
        N_("Your service visit for %(device)s (job %(number)s) has been moved to %(window)s. %(office)s"),
    ),
    "install_delayed": (
        N_("Installation delayed: %(number)s"),
        N_(
            "The installation for %(device)s (job %(number)s) is delayed: %(reason)s. The work continues on the "
            "agreed days %(window)s. %(office)s"
        ),
    ),
    "install_delayed_staff": (
        N_("Installation delayed: %(number)s"),
        N_("The installation for %(customer)s (job %(number)s) is delayed: %(reason)s. New days: %(window)s."),
    ),
    "on_the_way": (
        N_("Engineer on the way: %(number)s"),
        N_("%(engineer)s is on the way to you for job %(number)s (%(device)s). %(office)s"),
    ),
    "ready_for_pickup": (
        N_("Ready for pickup: %(number)s"),
        N_("Your %(device)s (job %(number)s) is ready for pickup. Please bring your pickup voucher. %(office)s"),
    ),
    "pickup_reminder": (
        N_("Reminder: please collect %(number)s"),
        N_(
            "Your %(device)s (job %(number)s) has been waiting for you since %(since)s. Please bring your pickup "
            "voucher. %(office)s"
        ),
    ),
    "urgent_request": (
        N_("Urgent request: %(number)s"),
        N_("An urgent request from %(customer)s (%(device)s) needs dispatching now: job %(number)s."),
    ),
    "urgent_assigned": (
        N_("Urgent job for you: %(number)s"),
        N_("You were chosen for the urgent request from %(customer)s (%(device)s): job %(number)s. Call them now."),
    ),
    "escalated": (
        N_("%(level)s escalation: %(number)s"),
        N_("Job %(number)s for %(customer)s was escalated at level %(level)s: %(symptoms)s"),
    ),
    "major_case": (
        N_("Major case: %(number)s"),
        N_(
            "Job %(number)s for %(customer)s is a major case (%(level)s): %(symptoms)s. As the system-integration "
            "lead, acknowledge it on the job page."
        ),
    ),
    "follow_up_due": (
        N_("Follow-up call due: %(number)s"),
        N_("Call %(customer)s about job %(number)s by %(due)s."),
    ),
    "follow_up_retry": (
        N_("Call again: %(number)s"),
        N_("%(customer)s was not reached about job %(number)s. Call again at %(due)s."),
    ),
    "overdue": (
        N_("Overdue: %(rule)s, %(number)s"),
        N_("%(rule)s on job %(number)s was due at %(due)s and is not met yet."),
    ),
    "call_back_overdue": (
        N_("Call back now: %(customer)s"),
        N_("%(customer)s (%(phone)s) was promised a call back by %(due)s about: %(subject)s"),
    ),
    "overdue_manager": (
        N_("Still overdue: %(rule)s, %(number)s"),
        N_("%(rule)s on job %(number)s was due at %(due)s and is still not met. %(responsible)s was told."),
    ),
    "escalation_moved": (
        N_("Escalation passed up: %(number)s"),
        N_("The %(level)s escalation on job %(number)s was not acknowledged in time and passed to the %(tier)s."),
    ),
    "delivery_failed": (
        N_("Message not delivered: %(number)s"),
        N_("The message “%(subject)s” to %(address)s could not be sent after %(attempts)s attempts."),
    ),
}


@dataclass(frozen=True)
class Words:
    """A phrase (a marked msgid) translated where the message is worded, with its own names."""

    msgid: str
    names: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Moment:
    """A time worded in the reader's language: ``when`` (date and time), ``day``, ``span`` up to ``until``'s
    time, or ``days`` up to ``until``'s day."""

    at: datetime
    style: str = "when"
    until: datetime | None = None


Name = str | Words | Moment
Names = dict[str, Name]


def _encode(value: Name):
    if isinstance(value, Words):
        return {"words": value.msgid, "names": {key: _encode(name) for key, name in value.names.items()}}
    if isinstance(value, Moment):
        until = value.until.isoformat() if value.until else None
        return {"at": value.at.isoformat(), "style": value.style, "until": until}
    return str(value)


def _decode(value) -> Name:
    if isinstance(value, dict) and "words" in value:
        return Words(value["words"], {key: _decode(name) for key, name in value["names"].items()})
    if isinstance(value, dict) and "at" in value:
        until = datetime.fromisoformat(value["until"]) if value.get("until") else None
        return Moment(datetime.fromisoformat(value["at"]), value["style"], until)
    return str(value)


def encode(names: Names) -> str:
    return json.dumps({key: _encode(value) for key, value in names.items()}, ensure_ascii=False)


def decode(stored: str) -> Names:
    return {key: _decode(value) for key, value in json.loads(stored).items()}


def worded(value: Name) -> str:
    """A name in the current language."""
    if isinstance(value, Words):
        return _(value.msgid, **{key: worded(name) for key, name in value.names.items()})
    if isinstance(value, Moment):
        if value.style == "day":
            return formats.day(value.at)
        if value.style == "span":
            return f"{formats.when(value.at)}–{formats.clock(value.until)}"
        if value.style == "days":
            return f"{formats.day(value.at)}–{formats.day(value.until)}"
        return formats.when(value.at)
    return value


@dataclass(frozen=True)
class Text:
    subject: str
    body: str


@contextmanager
def speaking(locale: str) -> Iterator[None]:
    """Everything translated inside the block (names, times, labels) is in ``locale``."""
    begin_language(locale)
    try:
        yield
    finally:
        end_language()


def compose(trigger: str, names: Names) -> Text:
    """The trigger's message in the current language (see ``speaking``); long bodies are cut to fit an SMS row."""
    subject, body = MESSAGES[trigger]
    names = {key: worded(value) for key, value in names.items()}
    text = _(body, **names)
    return Text(_(subject, **names)[:200], text if len(text) <= 2000 else text[:1999] + "…")


def shown(trigger: str, names: str, subject: str, body: str) -> Text:
    """A stored message in the current language: worded again from its names (as stored, when it has none)."""
    return compose(trigger, decode(names)) if names and trigger in MESSAGES else Text(subject, body)
