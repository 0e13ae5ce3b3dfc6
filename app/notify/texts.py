"""The messages' words, in both languages: each trigger's subject and body, written in the reader's language."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

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


def compose(trigger: str, **names: str) -> Text:
    """The trigger's message in the current language (see ``speaking``); long bodies are cut to fit an SMS row."""
    subject, body = MESSAGES[trigger]
    text = _(body, **names)
    return Text(_(subject, **names)[:200], text if len(text) <= 2000 else text[:1999] + "…")
