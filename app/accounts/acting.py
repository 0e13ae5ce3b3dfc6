"""Who acts, when, from which phone, under which office calendar: built once per request for the services."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from litestar import Request
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
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


async def provide_context(request: Request, db_session: NamedDependency[AsyncSession]) -> Context:
    """The ``ctx`` a handler asks for (Litestar's dependency injection). A plain form post may carry the phone's
    time in its ``device_time`` field; the form was already parsed for the handler's ``data``, and is kept."""
    url_encoded = request.content_type[0] == RequestEncodingType.URL_ENCODED
    return await acting(request, db_session, await request.form() if url_encoded else None)


Ctx = NamedDependency[Context]
