"""The office's holiday table, which the working-day calendar skips (domain.md §4)."""

import uuid
from datetime import date

from sqlalchemy import delete
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Holiday
from app.core import validation as v
from app.core.database import transaction
from app.core.i18n import _
from app.jobs.intake import parse_date


async def list_holidays(db: AsyncSession, office_id: uuid.UUID) -> list[Holiday]:
    rows = await db.exec(select(Holiday).where(Holiday.office_id == office_id).order_by(Holiday.day))
    return list(rows.all())


async def add_holiday(db: AsyncSession, office_id: uuid.UUID, data: dict) -> Holiday:
    check = v.Collector()
    day = check(parse_date, str(data.get("day", "")), "day", _("Date"))
    if day is None and "day" not in check.errors:
        check.add("day", _("Date is required."))
    name = check(v.text, data, "name", max_length=120, label=_("Name"))
    check.done()
    async with transaction(db):
        holiday = await db.get(Holiday, (office_id, day))
        if holiday is None:
            holiday = Holiday(office_id=office_id, day=day, name=name)
        holiday.name = name
        db.add(holiday)
    return holiday


async def remove_holiday(db: AsyncSession, office_id: uuid.UUID, day: date) -> None:
    async with transaction(db):
        await db.exec(delete(Holiday).where(Holiday.office_id == office_id, Holiday.day == day))
