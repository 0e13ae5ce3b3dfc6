"""The board's engineers panel: the busiest engineers of the day with what their phones last reported, and who
has had no job in hand for 30 minutes of working time (S32)."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Integer, bindparam, func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Role, User
from app.core.calendar import WorkingCalendar
from app.jobs.models import Job, JobEvent, JobTeamMember
from app.jobs.states import JobState
from app.sync.models import PhoneStatus


@dataclass
class EngineerLoad:
    engineer_id: uuid.UUID
    name: str
    visits_today: int
    open_jobs: int
    last_sync_at: datetime | None
    pending_changes: int
    idle_since: datetime | None = None  # S32: no job in hand since then, for 30 working minutes or more


S = JobState
IN_HAND = (S.EN_ROUTE, S.ON_SITE, S.DIAGNOSING, S.REPAIRING, S.VERIFYING, S.IN_REPAIR, S.MOBILISED, S.SELF_CHECKED)
IDLE_AFTER = timedelta(minutes=30)  # S32: the seed's example


ENGINEERS_SHOWN = 30  # the busiest; the others are counted

# Built once: the board draws this panel again after every change of the office, and building the query cost
# more than running it. Each engineer's open jobs of the office are added up first, from ix_job_open_summary
# alone, then joined to the engineers: no job row read, no grouping of every open job with its engineer's columns.
_TODAY = (Job.appointment_start >= bindparam("start")) & (Job.appointment_start < bindparam("end"))
_PER_ENGINEER = (
    select(Job.engineer_id, func.sum(func.cast(_TODAY, Integer())).label("visits"), func.count().label("open_jobs"))
    .where(Job.office_id == bindparam("office_id"), Job.is_open, Job.engineer_id.is_not(None))
    .group_by(Job.engineer_id)
    .subquery()
)
_VISITS, _OPEN_JOBS = func.coalesce(_PER_ENGINEER.c.visits, 0), func.coalesce(_PER_ENGINEER.c.open_jobs, 0)
_LOADS = (
    select(
        User.id,
        User.display_name,
        _VISITS,
        _OPEN_JOBS,
        PhoneStatus.last_sync_at,
        func.coalesce(PhoneStatus.pending_changes, 0),
        func.count().over().label("engineers"),  # all of them, counted before the limit
    )
    .select_from(User)
    .outerjoin(_PER_ENGINEER, _PER_ENGINEER.c.engineer_id == User.id)
    .outerjoin(PhoneStatus, PhoneStatus.user_id == User.id)
    .where(User.office_id == bindparam("office_id"), User.role == Role.ENGINEER, User.is_active)
    .order_by(_VISITS.desc(), _OPEN_JOBS.desc(), User.display_name)
    .limit(ENGINEERS_SHOWN)
)


async def engineer_loads(
    db: AsyncSession, office_id: uuid.UUID, calendar: WorkingCalendar, day: date, now: datetime | None = None
) -> tuple[list[EngineerLoad], int]:
    """The busiest engineers on ``day`` (visits, open jobs) with what their phone last reported, and how many
    active engineers there are in all."""
    start, end = calendar.at(day, time(0, 0)), calendar.at(day + timedelta(days=1), time(0, 0))
    rows = (await db.exec(_LOADS, params={"office_id": office_id, "start": start, "end": end})).all()
    loads = [EngineerLoad(*row[:-1]) for row in rows]
    idle = await idle_since(db, [load.engineer_id for load in loads], calendar, now)
    for load in loads:
        load.idle_since = idle.get(load.engineer_id)
    return loads, rows[0].engineers if rows else 0


# S32, built once: of the given engineers, those with no job in hand (as the lead or in the team), with their
# last recorded action since the start of the working day, if any.
_IN_HAND_LEAD = select(Job.id).where(Job.engineer_id == User.id, Job.state.in_(IN_HAND)).exists()
_IN_HAND_TEAM = (
    select(Job.id)
    .join(JobTeamMember, JobTeamMember.job_id == Job.id)
    .where(JobTeamMember.user_id == User.id, Job.state.in_(IN_HAND))
    .exists()
)
_LAST_ACTION = (
    select(func.max(JobEvent.at))
    .where(JobEvent.actor_id == User.id, JobEvent.at >= bindparam("day_start"))
    .scalar_subquery()
)
_NO_JOB_IN_HAND = select(User.id, _LAST_ACTION).where(
    User.id.in_(bindparam("engineers", expanding=True)), ~_IN_HAND_LEAD, ~_IN_HAND_TEAM
)


async def idle_since(
    db: AsyncSession, engineer_ids: list[uuid.UUID], calendar: WorkingCalendar, now: datetime | None
) -> dict[uuid.UUID, datetime]:
    """S32: during working hours, the engineers with no job on the way, on site or under repair whose last
    recorded action (or the start of the working day) is 30 working minutes ago or more, and since when."""
    if now is None or not engineer_ids or calendar.next_working_start(now) != now:
        return {}
    day_start = calendar.at(calendar.local_date(now), calendar.start)
    params = {"engineers": engineer_ids, "day_start": day_start}
    idle = {}
    for engineer_id, last in (await db.exec(_NO_JOB_IN_HAND, params=params)).all():
        since = max(day_start, last or day_start)
        if calendar.working_time_between(since, now) >= IDLE_AFTER:
            idle[engineer_id] = since
    return idle
