"""The shift check-in (S19): one tap a working day from the user's home page; sent again, it stays recorded once.
An engineer's goes through the phone's outbox like their other changes, so it may arrive later with the phone's
time. The coordinator sees who is ready, late or missing against their role's limit."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import bindparam, case, func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.daily import record_once
from app.accounts.models import Role, User
from app.core import validation as v
from app.core.calendar import WorkingCalendar
from app.core.errors import DomainError
from app.core.i18n import _
from app.shifts.models import ShiftCheckIn
from app.shifts.readiness import CHECKS_IN, Ready, made_at, readiness, ready_by


async def check_in(db: AsyncSession, data: dict, ctx: Context) -> ShiftCheckIn:
    """Records the user's check-in for the day (server time, and the phone's when it carries one)."""
    day = v.tapped_day(
        data,
        ctx.calendar.local_date(ctx.now),
        _("This check-in was made on another day. Reload the page to check in for today."),
    )
    if ready_by(ctx.calendar, day, ctx.actor.role) is None:
        raise DomainError(_("The office does not work on %(day)s: no check-in is needed.", day=day.isoformat()))
    return await record_once(db, ShiftCheckIn, day, ctx)


class Person(NamedTuple):
    """Who a panel row names: the few columns of the user it shows."""

    username: str
    display_name: str
    role: str


@dataclass
class StaffReady:
    """A user's check-in state for an office day against their role's limit."""

    user: User | Person
    day: date
    limit: datetime
    check_in: ShiftCheckIn | None
    state: Ready

    @property
    def made_at(self) -> datetime | None:
        return made_at(self.check_in.at, self.check_in.device_at) if self.check_in else None


def _state(user: User, day: date, row: ShiftCheckIn | None, calendar: WorkingCalendar, now: datetime) -> StaffReady:
    limit = ready_by(calendar, day, user.role)
    return StaffReady(user, day, limit, row, readiness(limit, made_at(row.at, row.device_at) if row else None, now))


async def today_for(db: AsyncSession, user: User, calendar: WorkingCalendar, now: datetime) -> StaffReady | None:
    """The user's panel for today; None on a day off or for a role that does not check in."""
    day = calendar.local_date(now)
    if ready_by(calendar, day, user.role) is None:
        return None
    return _state(user, day, await db.get(ShiftCheckIn, (user.id, day)), calendar, now)


ORDER = {Ready.MISSING: 0, Ready.LATE: 1, Ready.WAITING: 2, Ready.ON_TIME: 3}  # the panel's order: not ready first
BY_ORDER = {rank: state for state, rank in ORDER.items()}


PANEL_ROWS = 10  # the board names this many, the not ready first; an office of 500 engineers is counted, not listed


@dataclass
class StaffPanel:
    """The board's "Staff ready" panel: how many are in each state, and the first ``PANEL_ROWS`` of them."""

    counts: dict[Ready, int]
    rows: list[StaffReady]

    @property
    def not_ready(self) -> int:
        return self.counts[Ready.MISSING] + self.counts[Ready.LATE]

    @property
    def unlisted(self) -> int:
        return sum(self.counts.values()) - len(self.rows)


# The panel in SQL, built once: the board is drawn again after every change of the office, and building the
# query cost more than running it. ``readiness`` for each person against their role's limit (``<role>_limit``), from
# the check-in's ``made_at``.
_TIME = ShiftCheckIn.__table__.c.at.type
_LIMIT = case(*((User.role == str(role), bindparam(f"{role}_limit", type_=_TIME)) for role in sorted(CHECKS_IN)))
_MADE_AT = case((ShiftCheckIn.device_at < ShiftCheckIn.at, ShiftCheckIn.device_at), else_=ShiftCheckIn.at)
_RANK = case(  # the state's ORDER
    (
        ShiftCheckIn.user_id.is_(None),
        case((bindparam("now", type_=_TIME) > _LIMIT, ORDER[Ready.MISSING]), else_=ORDER[Ready.WAITING]),
    ),
    (_MADE_AT <= _LIMIT, ORDER[Ready.ON_TIME]),
    else_=ORDER[Ready.LATE],
)


# The first PANEL_ROWS of the office's active staff who check in, with their check-in of the day if any; each row
# carries the counts by state of all of them (a window, taken before the limit).
_NAMED = (
    select(
        User.username,
        User.display_name,
        User.role,
        ShiftCheckIn,
        _RANK,
        *(func.count().filter(ORDER[state] == _RANK).over() for state in Ready),
    )
    .select_from(User)
    .outerjoin(ShiftCheckIn, (ShiftCheckIn.user_id == User.id) & (ShiftCheckIn.day == bindparam("day")))
    .where(User.office_id == bindparam("office_id"), User.is_active, User.role.in_([str(r) for r in CHECKS_IN]))
    .order_by(_RANK, _LIMIT, User.display_name, User.username)
    .limit(PANEL_ROWS)
)


async def staff_ready(
    db: AsyncSession, office_id: uuid.UUID, calendar: WorkingCalendar, now: datetime
) -> StaffPanel | None:
    """The office's active staff against their check-in today: counted by state, the missing and late named
    first; None on a day off. The database counts and orders them: the board reads the ``PANEL_ROWS`` it names
    with the counts, in one round trip, not every engineer of the office."""
    day = calendar.local_date(now)
    if not calendar.is_working_day(day):
        return None
    limits = {role: ready_by(calendar, day, role) for role in CHECKS_IN}
    params = {"office_id": office_id, "day": day, "now": now, **{f"{role}_limit": at for role, at in limits.items()}}
    rows = (await db.exec(_NAMED, params=params)).all()
    named = [
        StaffReady(Person(username, display_name, role), day, limits[Role(role)], check_in, BY_ORDER[rank])
        for username, display_name, role, check_in, rank, *_ in rows
    ]
    counts = rows[0][-len(Ready) :] if rows else [0] * len(Ready)
    return StaffPanel(counts=dict(zip(Ready, counts, strict=True)), rows=named)
