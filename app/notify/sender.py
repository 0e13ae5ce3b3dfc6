"""Sending what waits in the outbox: each attempt recorded; a failed one tried again after an exponential backoff
(``ONSITE_NOTIFY_FIRST_RETRY_SECONDS``, doubled each time) up to ``ONSITE_NOTIFY_MAX_ATTEMPTS``, then marked
failed and told to the office's coordinators. Sending never holds a database transaction open."""

import logging
from datetime import datetime, timedelta

from sqlmodel import select

from app.accounts.models import Role
from app.core.clock import Clock
from app.core.database import transaction
from app.core.settings import Settings
from app.jobs.lifecycle import meet
from app.jobs.models import Job
from app.notify.channels import Channel
from app.notify.models import Notification, NotificationAttempt
from app.notify.outbox import FAILED, PENDING, SENT, staff, tell_staff

log = logging.getLogger("onsite")
BATCH = 100


async def send_due(sessionmaker, channels: dict[str, Channel], settings: Settings, clock: Clock) -> int:
    """Sends every pending message whose time has come; returns how many were delivered."""
    async with sessionmaker() as db:
        rows = await db.exec(
            select(Notification)
            .where(Notification.status == PENDING, Notification.next_attempt_at <= clock())
            .order_by(Notification.next_attempt_at)
            .limit(BATCH)
        )
        due = list(rows.all())
    delivered = 0
    for message in due:
        error = ""
        try:
            await channels[message.channel].send(message)
        except Exception as failure:  # any failure of the channel: the message waits for its next attempt
            error = f"{type(failure).__name__}: {failure}"[:500] or "failed"
            log.warning("notification not sent", extra={"id": str(message.id), "error": error})
        async with sessionmaker() as db:
            await _record_attempt(db, message, error, settings, clock())
        delivered += not error
    return delivered


def backoff(settings: Settings, attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt."""
    return timedelta(seconds=settings.notify_first_retry_seconds * 2 ** (attempts - 1))


async def _record_attempt(db, message: Notification, error: str, settings: Settings, now: datetime) -> None:
    async with transaction(db):
        stored = await db.get(Notification, message.id, with_for_update=db.bind.dialect.name == "postgresql")
        if stored is None or stored.status != PENDING:
            return
        stored.attempts += 1
        db.add(NotificationAttempt(notification_id=stored.id, at=now, ok=not error, error=error))
        if not error:
            stored.status, stored.sent_at, stored.next_attempt_at, stored.last_error = SENT, now, None, ""
            await _customer_told(db, stored, now)
        elif stored.attempts >= settings.notify_max_attempts:
            stored.status, stored.next_attempt_at, stored.last_error = FAILED, None, error
            await _tell_coordinators(db, stored, now)
        else:
            stored.next_attempt_at, stored.last_error = now + backoff(settings, stored.attempts), error
        db.add(stored)


# Clocks that stop when the customer's message arrives: the delay is told "promptly" (S27).
TOLD_BY = {"install_delayed": "S27"}


async def _customer_told(db, message: Notification, now: datetime) -> None:
    rule = TOLD_BY.get(message.trigger)
    job = await db.get(Job, message.job_id) if rule and message.job_id else None
    if job is not None:
        await meet(db, job, {rule}, now)


async def _tell_coordinators(db, message: Notification, now: datetime) -> None:
    job = await db.get(Job, message.job_id) if message.job_id else None
    if job is None:
        return
    failed = {
        "number": job.number,
        "subject": message.subject,
        "address": message.address,
        "attempts": str(message.attempts),
    }

    # In-app only: a failing SMS provider must not be asked to say that it failed.
    coordinators = await staff(db, job.office_id, Role.COORDINATOR)
    await tell_staff(db, job, coordinators, "delivery_failed", f"failed:{message.id}", failed, now, by_sms=False)
