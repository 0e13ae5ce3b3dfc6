"""The board's engineers panel: the busiest engineers of the day with what their phones last reported."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Integer, func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Role, User
from app.core.calendar import WorkingCalendar
from app.jobs.models import Job
from app.sync.models import PhoneStatus


@dataclass
class EngineerLoad:
    engineer_id: uuid.UUID
    name: str
    visits_today: int
    open_jobs: int
    last_sync_at: datetime | None
    pending_changes: int


async def engineer_loads(
    db: AsyncSession, office_id: uuid.UUID, calendar: WorkingCalendar, day: date, limit: int = 30
) -> tuple[list[EngineerLoad], int]:
    """The busiest engineers on ``day`` (visits, open jobs) with what their phone last reported, and how many
    active engineers there are in all."""
    start, end = calendar.at(day, time(0, 0)), calendar.at(day + timedelta(days=1), time(0, 0))
    visits = func.coalesce(
        func.sum(func.cast((Job.appointment_start >= start) & (Job.appointment_start < end), Integer())), 0
    )
    open_jobs = func.count(Job.id)
    query = (
        select(
            User.id,
            User.display_name,
            visits,
            open_jobs,
            PhoneStatus.last_sync_at,
            func.coalesce(PhoneStatus.pending_changes, 0),
        )
        .select_from(User)
        .outerjoin(Job, (Job.engineer_id == User.id) & Job.is_open)
        .outerjoin(PhoneStatus, PhoneStatus.user_id == User.id)
        .where(User.office_id == office_id, User.role == Role.ENGINEER, User.is_active)
        .group_by(User.id, User.display_name, PhoneStatus.last_sync_at, PhoneStatus.pending_changes)
        .order_by(visits.desc(), open_jobs.desc(), User.display_name)
        .limit(limit)
    )
    total = await db.scalar(
        select(func.count())
        .select_from(User)
        .where(User.office_id == office_id, User.role == Role.ENGINEER, User.is_active)
    )
    return [EngineerLoad(*row) for row in (await db.exec(query)).all()], total or 0
