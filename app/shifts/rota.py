"""The duty rota (S23, seed 001: 值班手机24小时待机): the coordinator or the manager names, date by date, who carries
the office's duty mobile. Outside working hours an urgent request or an L1 escalation reaches that person too
(``app/notify/triggers.py``); the board shows who is on duty today with their phone."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.models import Role, User
from app.audit.trail import acted
from app.core import validation as v
from app.core.calendar import WorkingCalendar
from app.core.database import transaction
from app.core.errors import Conflict
from app.core.forms import form_version
from app.core.i18n import _
from app.shifts.models import DutyDay

DUTY_ROLES = (Role.ENGINEER, Role.COORDINATOR, Role.MANAGER)  # who can answer a call and act on it
SHOWN_DAYS = 14
PLANNED_AHEAD = timedelta(days=90)


async def candidates(db: AsyncSession, office_id: uuid.UUID) -> list[User]:
    """Who may be on duty: the office's active engineers, coordinators and managers."""
    rows = await db.exec(
        select(User)
        .where(User.office_id == office_id, User.is_active, User.role.in_([str(role) for role in DUTY_ROLES]))
        .order_by(User.display_name)
    )
    return list(rows.all())


@dataclass
class RotaDay:
    day: date
    working: bool
    person: User | None
    version: int  # 0: never set


async def upcoming(db: AsyncSession, office_id: uuid.UUID, calendar: WorkingCalendar, today: date) -> list[RotaDay]:
    """Today and the next days, each with its duty person (or none)."""
    last = today + timedelta(days=SHOWN_DAYS - 1)
    query = (
        select(DutyDay, User)
        .outerjoin(User, User.id == DutyDay.user_id)
        .where(DutyDay.office_id == office_id, DutyDay.day >= today, DutyDay.day <= last)
    )
    set_days = {row.day: (row, user) for row, user in (await db.exec(query)).all()}
    days = []
    for offset in range(SHOWN_DAYS):
        day = today + timedelta(days=offset)
        row, user = set_days.get(day, (None, None))
        days.append(RotaDay(day, calendar.is_working_day(day), user, row.version if row else 0))
    return days


def _day(data: dict, today: date) -> date:
    try:
        day = date.fromisoformat(v.single_line(data.get("day", "")))
    except ValueError:
        raise v.FieldError("day", _("Choose a date from the rota.")) from None
    if not today <= day <= today + PLANNED_AHEAD:
        raise v.FieldError("day", _("Choose a date from today up to 90 days ahead."))
    return day


async def _person(db: AsyncSession, office_id: uuid.UUID, raw: object) -> uuid.UUID | None:
    text = v.single_line(raw)
    if not text:
        return None
    try:
        chosen = uuid.UUID(text)
    except ValueError:
        chosen = None
    if chosen not in {user.id for user in await candidates(db, office_id)}:
        raise v.FieldError("user_id", _("Choose an engineer, coordinator or manager of this office from the list."))
    return chosen


async def assign(db: AsyncSession, data: dict, ctx: Context) -> DutyDay:
    """Names the duty person of a date (empty: nobody). The form names the version it was made from: a date
    someone else changed meanwhile is refused, and the same form sent again changes nothing."""
    day = _day(data, ctx.calendar.local_date(ctx.now))
    person = await _person(db, ctx.actor.office_id, data.get("user_id"))
    async with transaction(db):
        row = await db.get(DutyDay, (ctx.actor.office_id, day), with_for_update=True)
        if row is not None and row.user_id == person:
            return row
        if form_version(data) != (row.version if row else 0):
            raise Conflict(_("Someone changed the duty on this date meanwhile. Reload the rota and choose again."))
        row = row or DutyDay(office_id=ctx.actor.office_id, day=day, version=0)
        row.user_id, row.version = person, row.version + 1
        row.updated_by_id, row.updated_at = ctx.actor.id, ctx.now
        db.add(row)
        details = {"day": day.isoformat(), "user": str(person) if person else "", "version": row.version}
        db.add(acted(ctx, "duty_assigned", "duty_day", day.isoformat(), details))
    return row


_ON_DUTY = (  # built once: the board asks at every drawing
    select(User)
    .join(DutyDay, DutyDay.user_id == User.id)
    .where(DutyDay.office_id == bindparam("office_id"), DutyDay.day == bindparam("day"), User.is_active)
)


async def on_duty(db: AsyncSession, office_id: uuid.UUID, day: date) -> User | None:
    """The person on duty on ``day``, if one is named and still active."""
    return (await db.exec(_ON_DUTY, params={"office_id": office_id, "day": day})).first()


def office_closed(calendar: WorkingCalendar, moment: datetime) -> bool:
    """Outside the office's working hours or on a day it does not work: only the duty mobile answers."""
    return calendar.next_working_start(moment) != moment


async def duty_when_closed(db: AsyncSession, office_id: uuid.UUID, calendar: WorkingCalendar, moment: datetime):
    """The person on duty at ``moment`` if the office is closed then; None in working hours or with nobody named."""
    if not office_closed(calendar, moment):
        return None
    return await on_duty(db, office_id, calendar.local_date(moment))
