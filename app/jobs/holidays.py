"""The office's holiday table, which the working-day calendar skips, and its make-up working days (调休上班),
weekend days the calendar counts as working (domain.md §4)."""

import uuid
from datetime import date

from sqlalchemy import delete
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import DayKind, Holiday
from app.core import formats
from app.core import validation as v
from app.core.database import insert_if_missing, transaction
from app.core.i18n import _
from app.jobs.intake import parse_date


async def list_days(db: AsyncSession, office_id: uuid.UUID, kind: DayKind) -> list[Holiday]:
    rows = await db.exec(
        select(Holiday).where(Holiday.office_id == office_id, Holiday.kind == kind).order_by(Holiday.day)
    )
    return list(rows.all())


async def add_day(db: AsyncSession, office_id: uuid.UUID, kind: DayKind, data: dict) -> Holiday:
    """Adds the holiday or make-up working day, or renames it: sending the form again changes nothing. A make-up
    day must fall on a weekend; a day already on the calendar as the other kind is refused."""
    check = v.Collector()
    day = check(parse_date, str(data.get("day", "")), "day", _("Date"))
    if day is None and "day" not in check.errors:
        check.add("day", _("Date is required."))
    if kind == DayKind.WORKING and day is not None and day.weekday() < 5:
        check.add("day", _("A make-up working day must be a Saturday or a Sunday: Monday to Friday are worked anyway."))
    name = check(v.text, data, "name", max_length=120, label=_("Name of the day"))
    check.done()
    async with transaction(db):
        values = {"office_id": office_id, "day": day, "name": name, "kind": kind}
        await insert_if_missing(db, Holiday, values, ["office_id", "day"])
        row = await db.get(Holiday, (office_id, day), populate_existing=True)
        if row.kind != kind:
            raise v.FieldError("day", other_kind(row))
        row.name = name
        db.add(row)
    return row


def other_kind(row: Holiday) -> str:
    """Why the day cannot also be the other kind."""
    if row.kind == DayKind.WORKING:
        return _("%(day)s is a make-up working day on this calendar; remove it there first.", day=formats.day(row.day))
    return _("%(day)s is a holiday on this calendar; remove the holiday first.", day=formats.day(row.day))


async def remove_day(db: AsyncSession, office_id: uuid.UUID, kind: DayKind, day: date) -> None:
    async with transaction(db):
        await db.exec(delete(Holiday).where(Holiday.office_id == office_id, Holiday.day == day, Holiday.kind == kind))
