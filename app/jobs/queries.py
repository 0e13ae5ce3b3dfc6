"""Read queries for the board, My jobs and the job page. No writes here."""

import functools
import uuid
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import Integer, bindparam, exists, func, or_
from sqlalchemy.orm import aliased
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Role, User
from app.core.calendar import WorkingCalendar
from app.jobs.models import Customer, Job, JobDeadline, JobEvent, JobType
from app.jobs.states import JobState

PAGE_SIZE = 25
SORTS = {
    "due": (Job.next_due_at.asc().nulls_last(), Job.number),
    "number": (Job.number.desc(),),
    "appointment": (Job.appointment_start.asc().nulls_last(), Job.number),
    "requested": (Job.requested_at.asc(), Job.number),
}


@dataclass(frozen=True)  # part of the kept board's key
class BoardFilters:
    state: str = ""
    engineer_id: str = ""
    zone: str = ""
    overdue: bool = False
    sort: str = "due"
    page: int = 1


@dataclass
class JobRow:
    job: Job
    customer_name: str
    engineer_name: str


def overdue_clause(now: datetime):
    return or_(Job.next_due_at < now, Job.unfinished_after < now)


_ENGINEER = aliased(User)  # made once: a board drawing builds this query on every change of the office


def _rows_query(office_id: uuid.UUID):
    return (
        select(Job, Customer.name, _ENGINEER.display_name)
        .join(Customer, Customer.id == Job.customer_id)
        .outerjoin(_ENGINEER, _ENGINEER.id == Job.engineer_id)
        .where(Job.office_id == office_id)
    )


def _as_rows(result) -> list[JobRow]:
    return [JobRow(job, customer or "", engineer or "") for job, customer, engineer in result]


@functools.cache
def _page_query(sort: str, state: bool, engineer: bool, zone: bool, overdue: bool):
    """The board page's statement for a sort and the filters in use, built once for each: the board runs it at
    every drawing, with the filters' values as parameters."""
    query = _rows_query(bindparam("office_id")).where(Job.is_open)
    if state:
        query = query.where(Job.state == bindparam("state"))
    if engineer:
        query = query.where(Job.engineer_id == bindparam("engineer_id"))
    if zone:
        query = query.where(Job.zone == bindparam("zone"))
    if overdue:
        query = query.where(overdue_clause(bindparam("now")))
    return query.order_by(*SORTS[sort]).offset(bindparam("offset", type_=Integer)).limit(PAGE_SIZE + 1)


async def board_page(db: AsyncSession, office_id: uuid.UUID, filters: BoardFilters, now: datetime):
    """One page of open jobs, filtered and sorted, plus whether more pages exist."""
    sort = filters.sort if filters.sort in SORTS else "due"
    query = _page_query(sort, bool(filters.state), bool(filters.engineer_id), bool(filters.zone), filters.overdue)
    params = {
        "office_id": office_id,
        "state": filters.state,
        "engineer_id": uuid.UUID(filters.engineer_id) if filters.engineer_id else None,
        "zone": filters.zone,
        "now": now,
        "offset": (filters.page - 1) * PAGE_SIZE,
    }
    rows = _as_rows((await db.exec(query, params=params)).all())
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


_COUNTS = (  # built once, like the other statements the board runs at every drawing
    select(Job.state, func.count(), func.count().filter(overdue_clause(bindparam("now"))))
    .where(Job.office_id == bindparam("office_id"), Job.is_open)
    .group_by(Job.state)
)


async def board_counts(db: AsyncSession, office_id: uuid.UUID, now: datetime) -> tuple[dict[str, int], int]:
    """Open jobs per state, and how many are overdue: one pass over the office's open jobs."""
    counts, overdue = {}, 0
    for state, count, late in (await db.exec(_COUNTS, params={"office_id": office_id, "now": now})).all():
        counts[state] = count
        overdue += late
    return counts, overdue


START_OF_DAY_DAYS = 2  # S9: the open dispatch orders of the last 2 working days
START_OF_DAY_LIMIT = 30
UNASSIGNED = (JobState.NEW, JobState.QUEUED_FOR_DISPATCH)
ARRIVAL_RULES = ("S5", "S6", "S7")


def start_of_day_since(calendar: WorkingCalendar, now: datetime) -> datetime:
    """S9's window: from the start of the 2nd working day before today (today's requests included)."""
    return calendar.at(calendar.working_days_back(calendar.local_date(now), START_OF_DAY_DAYS), time(0))


# S9's jobs to assign, built once: the board runs this at every drawing.
_MISSED = exists().where(  # an arrival deadline already missed
    JobDeadline.job_id == Job.id,
    JobDeadline.met_at.is_(None),
    JobDeadline.rule.in_(ARRIVAL_RULES),
    JobDeadline.due_at < bindparam("now"),
)
_TO_ASSIGN = (
    Job.is_open,
    Job.job_type == JobType.ONSITE,
    Job.state.in_(UNASSIGNED),
    Job.engineer_id.is_(None),
    Job.requested_at >= bindparam("since"),
    ~_MISSED,
)
_TO_ASSIGN_ROWS = (  # each row with how many there are in all (a window, counted before the limit)
    _rows_query(bindparam("office_id"))
    .add_columns(func.count().over())
    .where(*_TO_ASSIGN)
    .order_by(Job.requested_at, Job.number)
    .limit(START_OF_DAY_LIMIT)
)


async def start_of_day(db: AsyncSession, office_id: uuid.UUID, calendar: WorkingCalendar, now: datetime):
    """S9: onsite jobs requested in the last 2 working days that no engineer has yet, still inside their
    promise window (no arrival deadline already missed), oldest first; and how many there are in all."""
    params = {"office_id": office_id, "now": now, "since": start_of_day_since(calendar, now)}
    rows = (await db.exec(_TO_ASSIGN_ROWS, params=params)).all()
    return _as_rows(row[:3] for row in rows), rows[0][3] if rows else 0


async def board_row(db: AsyncSession, office_id: uuid.UUID, job_id: uuid.UUID) -> JobRow | None:
    rows = _as_rows((await db.exec(_rows_query(office_id).where(Job.id == job_id))).all())
    return rows[0] if rows else None


async def engineers(db: AsyncSession, office_id: uuid.UUID, active_only: bool = True) -> list[User]:
    query = select(User).where(User.office_id == office_id, User.role == Role.ENGINEER)
    if active_only:
        query = query.where(User.is_active, User.certified)
    return list((await db.exec(query.order_by(User.display_name))).all())


_ENGINEER_OPTIONS = (  # built once: the board's filters read every engineer of the office at every drawing
    select(User.id, User.display_name)
    .where(User.office_id == bindparam("office_id"), User.role == Role.ENGINEER)
    .order_by(User.display_name)
)


async def engineer_options(db: AsyncSession, office_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """(id, name) of the office's engineers, for filters and pickers. Run on the session's connection, past the
    ORM's handling of each row: an office has hundreds of engineers."""
    return list((await (await db.connection()).execute(_ENGINEER_OPTIONS, {"office_id": office_id})).all())


async def my_jobs(db: AsyncSession, user: User) -> list[JobRow]:
    """The engineer's open jobs in appointment order (unscheduled ones last): one query on ix_job_engineer_open."""
    query = (
        select(Job, Customer.name)
        .join(Customer, Customer.id == Job.customer_id)
        .where(Job.engineer_id == user.id, Job.is_open)
        .order_by(Job.appointment_start.asc().nulls_last(), Job.requested_at)
    )
    return [JobRow(job, customer, user.display_name) for job, customer in (await db.exec(query)).all()]


async def timeline(db: AsyncSession, job_id: uuid.UUID) -> list[tuple[JobEvent, str]]:
    actor = aliased(User)
    rows = await db.exec(
        select(JobEvent, actor.display_name)
        .outerjoin(actor, actor.id == JobEvent.actor_id)
        .where(JobEvent.job_id == job_id)
        .order_by(JobEvent.at.desc(), JobEvent.version.desc())
    )
    return [(event, name or "") for event, name in rows.all()]


async def deadlines(db: AsyncSession, job_id: uuid.UUID) -> list[JobDeadline]:
    rows = await db.exec(select(JobDeadline).where(JobDeadline.job_id == job_id).order_by(JobDeadline.due_at))
    return list(rows.all())


async def earlier_jobs(db: AsyncSession, job: Job, limit: int = 10) -> list[Job]:
    """F12: earlier jobs for the same device or customer."""
    rows = await db.exec(
        select(Job)
        .where(
            Job.office_id == job.office_id,
            Job.id != job.id,
            or_(Job.device_id == job.device_id, Job.customer_id == job.customer_id),
        )
        .order_by(Job.requested_at.desc())
        .limit(limit)
    )
    return list(rows.all())


async def linked_jobs(db: AsyncSession, job: Job) -> tuple[Job | None, list[Job]]:
    """The job this one came from (a complaint's repeat repair, a take-back) and the jobs that came from it."""
    parent = await db.get(Job, job.parent_job_id) if job.parent_job_id else None
    rows = await db.exec(select(Job).where(Job.parent_job_id == job.id).order_by(Job.created_at))
    return parent, list(rows.all())
