"""Return-to-factory repair of a carry-in device (domain.md §1.2, S29): a named person sends it, it is due back in
10 working days, a new date is agreed with a reason when that will be missed, and its return stops the clock.

Sending the device ends the station's own 3-day repair clock (S12): from then on the factory's clock runs."""

import uuid
from datetime import date

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.models import Role, User
from app.carryin.models import CarryInOrder
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError
from app.core.i18n import _
from app.jobs import sla
from app.jobs.access import get_job_for
from app.jobs.lifecycle import add_deadline, check_version, meet, open_deadlines, record, refresh_next_due
from app.jobs.models import Job, JobType
from app.jobs.states import JobState

SENDABLE = frozenset({JobState.IN_STORE, JobState.IN_REPAIR})
ACTIONS = ("send", "back", "new-date")


def may_send(job: Job, order: CarryInOrder | None) -> bool:
    return bool(order and job.state in SENDABLE and not order.at_factory)


async def people(db: AsyncSession, office_id: uuid.UUID) -> list[User]:
    """Who may be named responsible for a return to the factory: the office's active staff."""
    rows = await db.exec(
        select(User)
        .where(User.office_id == office_id, User.is_active, User.role != Role.REGIONAL)
        .order_by(func.lower(User.display_name))
    )
    return list(rows.all())


async def advance(
    db: AsyncSession, job_id: uuid.UUID, action: str, data: dict, ctx: Context, *, version: int | None = None
) -> CarryInOrder:
    if action not in ACTIONS:
        raise DomainError(_("Unknown step."))
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        await check_version(db, job, version)
        order = (await db.exec(select(CarryInOrder).where(CarryInOrder.job_id == job.id))).first()
        if job.job_type != JobType.CARRY_IN or order is None:
            raise DomainError(_("This job has no carry-in repair order."))
        if action == "send":
            await _send(db, job, order, data, ctx)
        elif action == "back":
            await _back(db, job, order, ctx)
        else:
            await _new_date(db, job, order, data, ctx)
        db.add(order)
    return order


async def _send(db: AsyncSession, job: Job, order: CarryInOrder, data: dict, ctx: Context) -> None:
    check = v.Collector()
    person_id = check(_person_id, data)
    note = check(v.text, data, "factory_note", max_length=500, required=False)
    check.done()
    person = await _person(db, job, person_id)
    if not may_send(job, order):
        raise DomainError(_("Only a device in the storeroom or under repair can be sent to the factory."))
    due = sla.factory_return(ctx.calendar, ctx.now)
    order.factory_sent_at, order.factory_responsible_id, order.factory_note = ctx.now, person.id, note
    order.factory_due_at, order.factory_reason, order.factory_back_at = due.due_at, "", None
    await meet(db, job, {"S12"}, ctx.now)  # the factory's clock replaces the station's
    await _replace_clock(db, job, due)
    record(
        db,
        job,
        ctx,
        "sent_to_factory",
        reason=note,
        details={"responsible": person.display_name, "due": due.due_at.isoformat()},
    )


def _person_id(data: dict) -> uuid.UUID:
    raw = str(data.get("factory_responsible_id", "") or "").strip()
    if not raw:
        raise v.FieldError("factory_responsible_id", _("Name the person responsible for the return."))
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise v.FieldError("factory_responsible_id", _("Choose a person from the list.")) from None


async def _person(db: AsyncSession, job: Job, user_id: uuid.UUID) -> User:
    """The named person (S29): an active member of the job's office."""
    user = await db.get(User, user_id)
    if user is None or user.office_id != job.office_id or not user.is_active or user.role == Role.REGIONAL:
        raise v.FieldError("factory_responsible_id", _("Choose a person from the list."))
    return user


async def _back(db: AsyncSession, job: Job, order: CarryInOrder, ctx: Context) -> None:
    if not order.at_factory:
        raise DomainError(_("This device is not at the factory."))
    order.factory_back_at = ctx.now
    await meet(db, job, {"S29"}, ctx.now)
    on_time = order.factory_due_at is None or ctx.now <= order.factory_due_at
    record(db, job, ctx, "back_from_factory", details={"on_time": on_time})


async def _new_date(db: AsyncSession, job: Job, order: CarryInOrder, data: dict, ctx: Context) -> None:
    """S29 "negotiate if it will be missed": a later date and the reason, recorded on the job's timeline."""
    check = v.Collector()
    day = check(_later_day, data, ctx, order)
    reason = check(v.text, data, "factory_reason", max_length=500, label=_("Reason"))
    check.done()
    if not order.at_factory:
        raise DomainError(_("This device is not at the factory."))
    due = sla.agreed_factory_return(ctx.calendar, day)
    order.factory_due_at, order.factory_reason = due.due_at, reason
    await _replace_clock(db, job, due)
    record(db, job, ctx, "factory_date_agreed", reason=reason, details={"due": due.due_at.isoformat()})


def _later_day(data: dict, ctx: Context, order: CarryInOrder) -> date:
    try:
        day = date.fromisoformat(str(data.get("factory_date", "")).strip())
    except ValueError:
        raise v.FieldError("factory_date", _("Enter the new date.")) from None
    today = ctx.calendar.local_date(ctx.now)
    current = ctx.calendar.local_date(order.factory_due_at) if order.factory_due_at else today
    if day <= max(today, current) or not ctx.calendar.is_working_day(day):
        raise v.FieldError("factory_date", _("Choose a working day after the current date."))
    if (day - today).days > 366:
        raise v.FieldError("factory_date", _("Choose a date within a year."))
    return day


async def _replace_clock(db: AsyncSession, job: Job, due: sla.Due) -> None:
    """One open S29 deadline: a new date moves it (the scheduler tells of the new one when it runs out)."""
    deadlines = [deadline for deadline in await open_deadlines(db, job) if deadline.rule == "S29"]
    if not deadlines:
        await add_deadline(db, job, due)
        return
    for deadline in deadlines:
        deadline.due_at, deadline.warn_at = due.due_at, due.warn_at
        db.add(deadline)
    await db.flush()
    await refresh_next_due(db, job)
