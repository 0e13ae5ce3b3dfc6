"""Carry-in appointments (预约) within the office's daily capacity, 20 % held back for carry-overs (滞留) and
walk-ins (随到客户) (domain.md §4 "Workshop capacity heuristics", seed 003; F41)."""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.audit.trail import acted
from app.carryin.models import Appointment, CarryInSettings
from app.carryin.safety import form_id, write_lock
from app.core import validation as v
from app.core.calendar import WorkingCalendar
from app.core.database import insert_if_missing, transaction
from app.core.errors import DomainError, NotFound
from app.core.formats import day as day_text
from app.core.i18n import N_, _
from app.jobs.intake import parse_date
from app.sync.idempotency import different_content

DEFAULT_CAPACITY = 10
MAX_CAPACITY = 500
HELD_BACK = 0.2  # for carry-overs, walk-ins and extra work (seed 003)
HORIZON = timedelta(days=90)  # how far ahead a day can be booked
BOOKED, ARRIVED, NO_SHOW, CANCELLED = "booked", "arrived", "no_show", "cancelled"
STATE_LABELS = {
    BOOKED: N_("Booked"),
    ARRIVED: N_("Arrived: taken in"),
    NO_SHOW: N_("No-show"),
    CANCELLED: N_("Cancelled"),
}
TAKING_PLACES = (BOOKED, ARRIVED, NO_SHOW)  # a cancelled appointment gives its place back


def bookable(capacity: int) -> int:
    """Places that may be booked: the capacity less the 20 % held back, rounded down."""
    return capacity * 4 // 5


@dataclass
class DayPlan:
    day: date
    working: bool
    capacity: int
    booked: int
    appointments: list[Appointment] = field(default_factory=list)

    @property
    def bookable(self) -> int:
        return bookable(self.capacity)

    @property
    def held_back(self) -> int:
        return self.capacity - self.bookable

    @property
    def room(self) -> int:
        return max(self.bookable - self.booked, 0) if self.working else 0


async def capacity(db: AsyncSession, office_id: uuid.UUID) -> int:
    settings = await db.get(CarryInSettings, office_id)
    return settings.daily_capacity if settings else DEFAULT_CAPACITY


async def day_plan(db: AsyncSession, office_id: uuid.UUID, day: date, calendar: WorkingCalendar) -> DayPlan:
    rows = await db.exec(
        select(Appointment)
        .where(Appointment.office_id == office_id, Appointment.day == day)
        .order_by(Appointment.booked_at)
    )
    appointments = list(rows.all())
    taken = sum(1 for appointment in appointments if appointment.state in TAKING_PLACES)
    return DayPlan(day, calendar.is_working_day(day), await capacity(db, office_id), taken, appointments)


async def next_day_with_room(
    db: AsyncSession, office_id: uuid.UUID, start: date, calendar: WorkingCalendar, places: int
) -> date | None:
    """The first working day from ``start`` on that still has a place, within the booking horizon."""
    end = start + HORIZON
    rows = await db.exec(
        select(Appointment.day, func.count())
        .where(
            Appointment.office_id == office_id,
            Appointment.day >= start,
            Appointment.day <= end,
            Appointment.state.in_(TAKING_PLACES),
        )
        .group_by(Appointment.day)
    )
    taken = dict(rows.all())
    current = start
    while places > 0 and current <= end:
        if calendar.is_working_day(current) and taken.get(current, 0) < places:
            return current
        current += timedelta(days=1)
    return None


def parse_capacity(data: dict) -> int:
    value = v.integer(data, "daily_capacity", label=_("Devices taken in a day"), minimum=1)
    if value > MAX_CAPACITY:
        raise v.FieldError("daily_capacity", _("%(label)s is too large.", label=_("Devices taken in a day")))
    return value


async def set_capacity(db: AsyncSession, data: dict, ctx: Context) -> int:
    value = parse_capacity(data)
    office_id = ctx.actor.office_id
    async with transaction(db):
        settings = await db.get(CarryInSettings, office_id) or CarryInSettings(office_id=office_id)
        before, settings.daily_capacity = settings.daily_capacity, value
        db.add(settings)
        db.add(acted(ctx, "carry_in_capacity_set", "office", office_id, {"from": before, "to": value}))
    return value


def _parse_booking(data: dict) -> dict:
    check = v.Collector()
    fields = {
        "id": check(form_id, data, "appointment_id"),
        "day": check(parse_date, str(data.get("day", "")), "day", _("Day")),
        "customer_name": check(v.text, data, "customer_name", max_length=120, label=_("Customer name")),
        "customer_phone": check(v.phone, data, "customer_phone", label=_("Customer phone")),
        "device_model": check(v.text, data, "device_model", max_length=120, label=_("Device model")),
        "device_serial": (
            check(v.text, data, "device_serial", max_length=80, required=False, label=_("Device serial")) or ""
        ).upper(),
        "fault_description": check(
            v.text, data, "fault_description", max_length=2000, label=_("Fault in the customer's words")
        ),
    }
    if fields["day"] is None and "day" not in check.errors:
        check.add("day", _("%(label)s is required.", label=_("Day")))
    check.done()
    return fields


async def _lock_capacity(db: AsyncSession, office_id: uuid.UUID) -> int:
    """The office's capacity, its row locked until the commit: two bookings of the last place queue up (SQLite:
    the insert takes the database's write lock first)."""
    defaults = {"office_id": office_id, "daily_capacity": DEFAULT_CAPACITY}
    await insert_if_missing(db, CarryInSettings, defaults, ["office_id"])
    query = select(CarryInSettings).where(CarryInSettings.office_id == office_id)
    if db.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    settings = (await db.exec(query.execution_options(populate_existing=True))).one()
    return settings.daily_capacity


async def book(db: AsyncSession, data: dict, ctx: Context) -> Appointment:
    """Books a working day that still has room; the same form sent twice books once."""
    fields = _parse_booking(data)
    office_id, today, calendar = ctx.actor.office_id, ctx.calendar.local_date(ctx.now), ctx.calendar
    day = fields["day"]
    async with transaction(db):
        places = bookable(await _lock_capacity(db, office_id))
        if (same := await db.get(Appointment, fields["id"])) is not None:
            if same.office_id != office_id or same.day != day or same.customer_phone != fields["customer_phone"]:
                raise DomainError(different_content())
            return same
        if day < today:
            raise v.FieldError("day", _("Choose today or a later day."))
        if day > today + HORIZON:
            raise v.FieldError("day", _("Appointments are booked at most 90 days ahead."))
        plan = await day_plan(db, office_id, day, calendar)
        if not plan.working or plan.booked >= places:
            found = await next_day_with_room(db, office_id, day + timedelta(days=1), calendar, places)
            raise v.FieldError("day", _refusal(plan, places, found))
        appointment = Appointment(office_id=office_id, booked_at=ctx.now, booked_by_id=ctx.actor.id, **fields)
        db.add(appointment)
        db.add(acted(ctx, "appointment_booked", "appointment", appointment.id, {"day": day.isoformat()}))
    return appointment


def _refusal(plan: DayPlan, places: int, found: date | None) -> str:
    if not plan.working:
        reason = _("%(day)s is not a working day of the office.", day=day_text(plan.day))
    else:
        reason = _(
            "%(day)s is full: %(booked)s of %(places)s places are booked; the rest is held back for carry-overs "
            "and walk-ins.",
            day=day_text(plan.day),
            booked=plan.booked,
            places=places,
        )
    if found is None:
        return reason + " " + _("No working day has room in the next 90 days.")
    return reason + " " + _("The next day with room is %(day)s.", day=day_text(found))


async def _open(db: AsyncSession, appointment_id: uuid.UUID, ctx: Context) -> Appointment:
    query = select(Appointment).where(Appointment.id == appointment_id)
    if db.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    appointment = (await db.exec(query.execution_options(populate_existing=True))).first()
    if appointment is None or appointment.office_id != ctx.actor.office_id:
        raise NotFound(_("No such appointment."))
    return appointment


async def close(db: AsyncSession, appointment_id: uuid.UUID, state: str, data: dict, ctx: Context) -> Appointment:
    """Cancelled (with the reason) or a no-show (from its day on); sent twice, closed once. An appointment that is
    not the office's is not found, whatever the form says."""
    async with transaction(db):
        await write_lock(db)
        appointment = await _open(db, appointment_id, ctx)
        if appointment.state == state:
            return appointment
        if appointment.state != BOOKED:
            raise DomainError(_("This appointment is no longer open."))
        if state == NO_SHOW and appointment.day > ctx.calendar.local_date(ctx.now):
            raise DomainError(_("A customer can be marked as a no-show only from the day of the appointment."))
        reason = v.text(data, "reason", max_length=300, label=_("Reason")) if state == CANCELLED else ""
        appointment.state, appointment.close_reason = state, reason
        appointment.closed_at, appointment.closed_by_id = ctx.now, ctx.actor.id
        db.add(appointment)
        db.add(acted(ctx, f"appointment_{state}", "appointment", appointment.id, {"reason": reason}))
    return appointment


async def for_intake(db: AsyncSession, raw_id: str, office_id: uuid.UUID) -> Appointment | None:
    """The booked appointment a drop-off comes from (None when the form names none)."""
    if not str(raw_id or "").strip():
        return None
    try:
        appointment = await db.get(Appointment, uuid.UUID(str(raw_id).strip()))
    except ValueError:
        appointment = None
    if appointment is None or appointment.office_id != office_id or appointment.state != BOOKED:
        raise v.FieldError("appointment_id", _("This appointment is no longer open."))
    return appointment


def intake_values(appointment: Appointment) -> dict:
    """What the appointment already says, for the drop-off form."""
    return {
        "appointment_id": str(appointment.id),
        "customer_name": appointment.customer_name,
        "customer_phone": appointment.customer_phone,
        "contact_name": appointment.customer_name,
        "contact_phone": appointment.customer_phone,
        "device_model": appointment.device_model,
        "device_serial": appointment.device_serial,
        "fault_description": appointment.fault_description,
    }


def arrived(db: AsyncSession, appointment: Appointment, job_id: uuid.UUID, ctx: Context) -> None:
    """The customer came: the appointment keeps the link to the carry-in job made at the counter."""
    appointment.state, appointment.job_id = ARRIVED, job_id
    appointment.closed_at, appointment.closed_by_id = ctx.now, ctx.actor.id
    db.add(appointment)
    db.add(acted(ctx, "appointment_arrived", "appointment", appointment.id, {"job_id": str(job_id)}))
