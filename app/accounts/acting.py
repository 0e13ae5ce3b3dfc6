"""Who acts, when, from which phone, under which office calendar: built once per request for the services."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from litestar import Request
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from sqlalchemy import bindparam
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import DayKind, Holiday, Office, User
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


def office_calendar(office: Office, days: list[tuple[date, str]], settings) -> WorkingCalendar:
    """The office's own time zone and working hours; the server's (``ONSITE_TIMEZONE``, ``ONSITE_WORK_*``)
    where the office sets none. ``days``: its holidays and make-up working days, as (day, kind)."""
    return WorkingCalendar(
        holidays=frozenset(day for day, kind in days if kind == DayKind.HOLIDAY),
        makeup_days=frozenset(day for day, kind in days if kind == DayKind.WORKING),
        tz=ZoneInfo(office.time_zone) if office.time_zone else settings.timezone,
        start=time.fromisoformat(office.work_start) if office.work_start else settings.work_start,
        end=time.fromisoformat(office.work_end) if office.work_end else settings.work_end,
    )


# Built once: every request. The holidays and make-up working days, as (day, kind).
_DAYS = select(Holiday.day, Holiday.kind).where(Holiday.office_id == bindparam("office_id"))


async def load_calendar(db: AsyncSession, office_id: uuid.UUID, settings) -> WorkingCalendar:
    """The calendar every clock of the office runs on."""
    rows = await db.exec(_DAYS, params={"office_id": office_id})
    return office_calendar(await db.get(Office, office_id), list(rows.all()), settings)


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
