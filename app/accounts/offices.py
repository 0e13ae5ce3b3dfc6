"""Several offices: a regional user creates offices and oversees each of them, one at a time.

A regional user's ``office_id`` is the office they look at now; the offices they may look at are their
``RegionalOffice`` rows. Switching moves ``office_id`` to another of them, so every page that reads
``request.user.office_id`` (the board, reports, users, calendar, letterhead) shows that office and no other.
An office's calendar (time zone, working hours, its holidays) is the one its SLA clocks run on
(``app.accounts.acting.load_calendar``)."""

import re
import uuid
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from litestar.exceptions import NotFoundException
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Holiday, Office, RegionalOffice, User
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError
from app.core.i18n import _

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")
_HOUR = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def time_zones() -> list[str]:
    """The IANA zones offered, the usual ones of the region first."""
    usual = ["Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "UTC"]
    return usual + sorted(available_timezones() - set(usual))


def check_calendar(check: v.Collector, data: dict) -> dict[str, str]:
    """The office's zones, time zone and working hours from a form; "" keeps the server's setting."""
    zones = "\n".join(line.strip() for line in str(data.get("zones", "") or "").splitlines() if line.strip())
    if len(zones) > 2000:
        check.add("zones", _("At most %(n)s characters.", n=2000))
    time_zone = v.single_line(data.get("time_zone", ""))
    if time_zone:
        try:
            ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            check.add("time_zone", _("Choose a time zone from the list."))
    hours = {name: v.single_line(data.get(name, "")) for name in ("work_start", "work_end")}
    for name, value in hours.items():
        if value and not _HOUR.match(value):
            check.add(name, _("Write the time as HH:MM, for example 08:30."))
    start, end = hours["work_start"], hours["work_end"]
    if bool(start) != bool(end):
        check.add("work_end" if start else "work_start", _("Give both the start and the end of the working day."))
    elif start and _HOUR.match(start) and _HOUR.match(end) and time.fromisoformat(start) >= time.fromisoformat(end):
        check.add("work_end", _("The working day must end after it starts."))
    return {"zones": zones, "time_zone": time_zone, **hours}


LETTERHEAD_LIMITS = {"name": 120, "address": 300, "phone": 40}


def check_letterhead(check: v.Collector, data: dict) -> dict[str, str]:
    """The name, address and phone printed on the office's customer documents."""
    fields = {name: " ".join(str(data.get(name, "") or "").split()) for name in LETTERHEAD_LIMITS}
    if not fields["name"]:
        check.add("name", _("The office name is required."))
    for name, limit in LETTERHEAD_LIMITS.items():
        if len(fields[name]) > limit:
            check.add(name, _("At most %(n)s characters.", n=limit))
    return fields


async def overseen(db: AsyncSession, user: User) -> list[Office]:
    """The offices ``user`` may look at: a regional user's own list, anyone else's one office."""
    query = select(Office).join(RegionalOffice, RegionalOffice.office_id == Office.id)
    rows = await db.exec(query.where(RegionalOffice.user_id == user.id).order_by(Office.code))
    return list(rows.all()) or [await db.get(Office, user.office_id)]


async def create_office(db: AsyncSession, user: User, data: dict) -> Office:
    """A new office overseen by ``user``; ``copy_holidays`` gives it the holidays and make-up
    working days of the office they look at."""
    check = v.Collector()
    code = v.single_line(data.get("code", "")).upper()
    if not _CODE.match(code):
        check.add("code", _("Use 2 to 20 capital letters, digits or dashes."))
    letterhead = check_letterhead(check, data)
    calendar = check_calendar(check, data)
    check.done()
    async with transaction(db):
        if (await db.exec(select(Office.id).where(Office.code == code))).first():
            raise DomainError(_("The office code %(code)s is already taken.", code=code), field="code")
        office = Office(code=code, **letterhead, **calendar)
        db.add(office)
        await db.flush()
        db.add(RegionalOffice(user_id=user.id, office_id=office.id))
        if await db.get(RegionalOffice, (user.id, user.office_id)) is None:
            db.add(RegionalOffice(user_id=user.id, office_id=user.office_id))  # the one they looked at until now
        if v.checkbox(data, "copy_holidays"):
            for holiday in (await db.exec(select(Holiday).where(Holiday.office_id == user.office_id))).all():
                db.add(Holiday(office_id=office.id, day=holiday.day, name=holiday.name, kind=holiday.kind))
    return office


async def switch_office(db: AsyncSession, user: User, office_id: uuid.UUID) -> Office:
    """Makes ``office_id`` the office ``user`` looks at; an office they do not oversee is a 404."""
    async with transaction(db):
        office = next((office for office in await overseen(db, user) if office.id == office_id), None)
        if office is None:
            raise NotFoundException()
        account = await db.get(User, user.id)
        account.office_id = office.id
        db.add(account)
    return office


async def share_offices(db: AsyncSession, regional: User, new_user: User) -> None:
    """A regional user made by another oversees the same offices (in the caller's transaction)."""
    for office in await overseen(db, regional):
        db.add(RegionalOffice(user_id=new_user.id, office_id=office.id))
