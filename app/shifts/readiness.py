"""S19 "Staff ready" (seed 000: 提前10分钟到岗): every member of staff is ready 10 minutes before the office opens, the
coordinator 20. The opening is the start of the office's working hours (*Office settings*, else the server's
``ONSITE_WORK_START``), on working days only (the calendar the SLA clocks run on). Pure: the caller gives "now"."""

import enum
from datetime import date, datetime, timedelta

from app.accounts.models import Role
from app.core.calendar import WorkingCalendar

STAFF_LIMIT = timedelta(minutes=10)  # hotline, onsite, reception, in-station, parts
READY_BEFORE = {Role.COORDINATOR: timedelta(minutes=20)}  # the coordinator (调度) opens the day's dispatching
CHECKS_IN = frozenset(role for role in Role if role != Role.REGIONAL)  # a regional user works in no one office


class Ready(enum.StrEnum):
    ON_TIME = "on_time"  # checked in by the limit
    LATE = "late"  # checked in after it
    MISSING = "missing"  # the limit has passed and no check-in yet
    WAITING = "waiting"  # not checked in, the limit still ahead


def ready_by(calendar: WorkingCalendar, day: date, role: str) -> datetime | None:
    """When someone of ``role`` must be ready on ``day``; None on a day the office does not work."""
    if not calendar.is_working_day(day) or role not in CHECKS_IN:
        return None
    return calendar.at(day, calendar.start) - READY_BEFORE.get(Role(role), STAFF_LIMIT)


def made_at(at: datetime, device_at: datetime | None) -> datetime:
    """When the check-in was made: the phone's time when it waited in the outbox (earlier than its arrival), else
    the server's."""
    return min(at, device_at) if device_at else at


def readiness(limit: datetime, checked_in: datetime | None, now: datetime) -> Ready:
    if checked_in is not None:
        return Ready.ON_TIME if checked_in <= limit else Ready.LATE
    return Ready.MISSING if now > limit else Ready.WAITING
