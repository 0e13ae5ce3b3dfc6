"""Who acts, when, from which phone, under which office calendar: built once per request for the services."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from litestar import Request
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Holiday, User
from app.core.calendar import WorkingCalendar
from app.core.forms import device_time


@dataclass
class Context:
    """Who acts, when, and from which device: recorded on every event."""

    actor: User
    now: datetime
    calendar: WorkingCalendar
    device_at: datetime | None = None
    device: str = ""


async def load_calendar(db: AsyncSession, office_id: uuid.UUID, settings) -> WorkingCalendar:
    rows = await db.exec(select(Holiday.day).where(Holiday.office_id == office_id))
    return WorkingCalendar(
        holidays=frozenset(rows.all()), tz=settings.timezone, start=settings.work_start, end=settings.work_end
    )


async def acting(request: Request, db: AsyncSession, form: dict | None = None) -> Context:
    """The request's context; ``form``: a plain form's fields, which may carry the phone's time."""
    now = request.app.state.clock()
    calendar = await load_calendar(db, request.user.office_id, request.app.state.settings)
    return Context(
        actor=request.user,
        now=now,
        calendar=calendar,
        device_at=device_time(request, now, (form or {}).get("device_time")),
        device=request.headers.get("user-agent", ""),
    )
