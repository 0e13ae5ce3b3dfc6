"""What handlers share to read a form: its type, the phone's clock, the version an edit was made from, single
values."""

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Annotated

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.params import Body

Form = Annotated[dict[str, str | list[str]], Body(media_type=RequestEncodingType.URL_ENCODED)]
Multipart = Annotated[dict, Body(media_type=RequestEncodingType.MULTI_PART)]  # a form with files
# A phone's clock may be off; times outside this window are not trusted (the server's time is kept).
DEVICE_TIME_PAST = timedelta(days=14)
DEVICE_TIME_FUTURE = timedelta(minutes=5)


def device_time(request: Request, now: datetime, form_value: object = None) -> datetime | None:
    """The phone's clock when it made the change: the ``X-Device-Time`` header, or (plain form posts cannot set
    headers) the ``device_time`` field that checklist.js fills. None when missing or outside the trusted window."""
    return _trusted(request.headers.get("x-device-time", ""), now) or _trusted(str(form_value or ""), now)


def _trusted(raw: str, now: datetime) -> datetime | None:
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else None
    except ValueError:
        return None
    if moment is None or moment.tzinfo is None or not now - DEVICE_TIME_PAST <= moment <= now + DEVICE_TIME_FUTURE:
        return None
    return moment


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
