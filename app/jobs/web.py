"""What the jobs' handlers share: the acting context and form parsing (boards hear of changes from
``transaction()``, see ``app.jobs.events``)."""

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Annotated

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.params import Body
from sqlmodel.ext.asyncio.session import AsyncSession

from app.jobs.lifecycle import Context
from app.jobs.queries import load_calendar

Form = Annotated[dict[str, str | list[str]], Body(media_type=RequestEncodingType.URL_ENCODED)]
# A phone's clock may be off; times outside this window are not trusted (the server's time is kept).
DEVICE_TIME_PAST = timedelta(days=14)
DEVICE_TIME_FUTURE = timedelta(minutes=5)


def device_time(request: Request, now: datetime) -> datetime | None:
    raw = request.headers.get("x-device-time", "")
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else None
    except ValueError:
        return None
    if moment is None or moment.tzinfo is None or not now - DEVICE_TIME_PAST <= moment <= now + DEVICE_TIME_FUTURE:
        return None
    return moment


async def acting(request: Request, db: AsyncSession) -> Context:
    now = request.app.state.clock()
    calendar = await load_calendar(db, request.user.office_id, request.app.state.settings)
    return Context(
        actor=request.user,
        now=now,
        calendar=calendar,
        device_at=device_time(request, now),
        device=request.headers.get("user-agent", ""),
    )


def form_version(data: dict) -> int | None:
    """The job version a form was made from; a number no job can have reads as stale (refused with a 409)."""
    raw = str(data.get("version", "") or "")
    if not (raw.isascii() and raw.isdigit()):
        return None
    return int(raw) if len(raw) <= 9 else -1


def single_values(data: dict, checkbox_groups: Collection[str] = ()) -> dict:
    """Form fields as single strings, except the handler's ``checkbox_groups`` (fields sent once per ticked box),
    kept as lists even when only one box is ticked."""
    return {
        key: (value if isinstance(value, list) else [value])
        if key in checkbox_groups
        else (value[-1] if isinstance(value, list) else value)
        for key, value in data.items()
    }
