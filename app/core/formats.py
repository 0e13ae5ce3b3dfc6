"""Dates, times, numbers, percentages and money in the reader's language and the office's time zone (Babel).

Templates reach these as ``when``, ``day``, ``number``, ``percent`` and ``money``; Python code that writes a time
into a message uses the same functions, so every screen, PDF and CSV reads alike.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_currency, format_decimal, format_percent

from app.core.i18n import get_locale

CURRENCY = "CNY"
# Parsed once: Babel would otherwise parse the identifier again for every value it formats.
_LOCALES = {"zh_Hans": Locale.parse("zh_Hans_CN"), "en": Locale.parse("en_GB")}
_office_tz: list[tzinfo] = [ZoneInfo("Asia/Shanghai")]
_request_tz: ContextVar[tzinfo | None] = ContextVar("office_time_zone", default=None)


def set_office_time_zone(tz: tzinfo) -> None:
    """The server's zone (``ONSITE_TIMEZONE``), set once at start-up: for an office that sets none."""
    _office_tz[0] = tz


def use_time_zone(name: str) -> None:
    """This request's office zone (an IANA name; "" keeps the server's)."""
    _request_tz.set(ZoneInfo(name) if name else None)


@contextmanager
def in_time_zone(name: str) -> Iterator[None]:
    """Times written inside the block are in the zone ``name`` (a message about another office's job)."""
    token = _request_tz.set(ZoneInfo(name) if name else None)
    try:
        yield
    finally:
        _request_tz.reset(token)


def office_time_zone() -> tzinfo:
    """The zone of the office the request is about, else the server's."""
    return _request_tz.get() or _office_tz[0]


def babel_locale() -> Locale:
    return _LOCALES.get(get_locale(), _LOCALES["en"])


def when(moment: datetime | None, fmt: str = "short", tz: tzinfo | None = None) -> str:
    """A moment in the office's time zone: ``short`` (date and time), ``medium``, or a pattern like ``HH:mm``."""
    if moment is None:
        return ""
    return format_datetime(moment, fmt, tzinfo=tz or office_time_zone(), locale=babel_locale())


def when_stored(text: str | None, fmt: str = "short") -> str:
    """A moment stored as ISO 8601 text (a frozen report's times): as ``when`` writes it; other text unchanged."""
    if not text:
        return ""
    try:
        moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return str(text)
    return when(moment, fmt) if moment.tzinfo else str(text)


def clock(moment: datetime | None, fmt: str = "short", tz: tzinfo | None = None) -> str:
    """Only the time of day, in the office's time zone."""
    if moment is None:
        return ""
    return format_time(moment, fmt, tzinfo=tz or office_time_zone(), locale=babel_locale())


def day(value: date | datetime | None, fmt: str = "medium", tz: tzinfo | None = None) -> str:
    """A calendar day; a moment is first taken to the office's time zone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(tz or office_time_zone()).date()
    return format_date(value, fmt, locale=babel_locale())


def number(value: float | int | Decimal | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, pattern, locale=babel_locale())


def percent(rate: float | None, digits: int = 1) -> str:
    if rate is None:
        return "—"
    pattern = "#,##0." + "0" * digits + "%" if digits else "#,##0%"
    return format_percent(rate, pattern, locale=babel_locale())


def money(amount: str | int | float | Decimal | None, cents: bool = False) -> str:
    """An amount of yuan (``cents=True``: an integer number of fen), with the currency sign of the reader's locale."""
    if amount is None or amount == "":
        return "—"
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    if cents:
        value = value / 100
    return format_currency(value, CURRENCY, locale=babel_locale())


TEMPLATE_GLOBALS = {
    "when": when,
    "when_stored": when_stored,
    "clock": clock,
    "day": day,
    "number": number,
    "percent": percent,
    "money": money,
}
