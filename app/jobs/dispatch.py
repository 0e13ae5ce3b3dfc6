"""Dispatch: assigning engineers, customer contact, rescheduling, cancelling (T3–T7, T22; F05–F07)."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.models import Role, User
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError, Forbidden
from app.core.i18n import _
from app.jobs import sla
from app.jobs.access import get_job_for
from app.jobs.lifecycle import add_deadline, check_version, meet, move, record
from app.jobs.may import may
from app.jobs.models import Job, JobType, Zone
from app.jobs.states import JobState

S = JobState


@dataclass
class Appointment:
    start: datetime
    end: datetime
    negotiated_reason: str


def parse_appointment(data: dict, ctx: Context, job: Job) -> Appointment:
    """A visit window: a date and two times, not in the past, and within the zone's limit (F05)."""
    try:
        day = date.fromisoformat(str(data.get("appointment_date", "")).strip())
        start_t = time.fromisoformat(str(data.get("appointment_from", "")).strip())
        end_t = time.fromisoformat(str(data.get("appointment_to", "")).strip())
    except ValueError:
        raise v.FieldError("appointment_date", _("Give the appointment's date and time window.")) from None
    tz = ctx.calendar.tz
    start = datetime.combine(day, start_t, tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day, end_t, tzinfo=tz).astimezone(UTC)
    if end <= start:
        raise v.FieldError("appointment_to", _("The appointment must end after it starts."))
    if end <= ctx.now:
        raise v.FieldError("appointment_date", _("The appointment is in the past."))
    reason = v.text(data, "negotiated_reason", max_length=500, required=False)
    latest = sla.latest_visit_day(ctx.calendar, job.requested_at, job.zone)
    if latest is None and not reason:
        raise v.FieldError("negotiated_reason", _("Beyond 80 km the date is negotiated: give the reason (S7)."))
    if latest is not None and day > latest and not reason:
        raise v.FieldError(
            "negotiated_reason",
            _(
                "The latest date for this zone is %(day)s. Choose an earlier date, or give the reason the customer "
                "agreed to a later one (F05).",
                day=latest.isoformat(),
            ),
        )
    return Appointment(start, end, reason)


async def _engineer(db: AsyncSession, engineer_id: str, office_id: uuid.UUID) -> User:
    try:
        engineer = await db.get(User, uuid.UUID(str(engineer_id)))
    except ValueError:
        engineer = None
    if engineer is None or engineer.office_id != office_id or engineer.role != Role.ENGINEER:
        raise v.FieldError("engineer_id", _("Choose an onsite engineer of this office."))
    if not engineer.is_active:
        raise v.FieldError(
            "engineer_id", _("%(name)s is deactivated and cannot be assigned.", name=engineer.display_name)
        )
    if not engineer.certified:
        raise v.FieldError(
            "engineer_id", _("%(name)s is not certified yet and cannot be assigned.", name=engineer.display_name)
        )
    return engineer


async def assign(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None) -> Job:
    """First assignment (T3) or reassignment with a reason (an installation's team comes with its plan)."""
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        await check_version(db, job, version)
        if job.job_type == JobType.INSTALL:
            raise DomainError(_("An installation's team and project manager are chosen in its plan."))
        engineer = await _engineer(db, data.get("engineer_id", ""), job.office_id)
        reason = v.text(data, "reason", max_length=500, required=False)
        if job.engineer_id and job.engineer_id != engineer.id and not reason:
            raise v.FieldError("reason", _("Give the reason for the reassignment."))
        previous = job.engineer_id
        job.engineer_id = engineer.id
        details = {"engineer": engineer.display_name, "previous_engineer_id": str(previous) if previous else None}
        if job.state == S.QUEUED_FOR_DISPATCH:
            await move(db, job, S.ASSIGNED, ctx, reason=reason, details=details, kind="assigned")
        elif job.state in {S.ASSIGNED, S.SCHEDULED, S.AWAITING_PARTS} or job.job_type != JobType.ONSITE:
            if ctx.actor.role_enum not in {Role.COORDINATOR, Role.MANAGER}:
                raise Forbidden(_("Only a coordinator can assign engineers."))
            record(db, job, ctx, "reassigned" if previous else "assigned", reason=reason, details=details)
        else:
            raise DomainError(_("An engineer can no longer be assigned once the visit has started."))
    return job


async def record_contact(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None) -> Job:
    """The customer contact (T4): when, with whom, the outcome; if reached, the committed visit window."""
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        await check_version(db, job, version)
        if job.state != S.ASSIGNED:
            raise DomainError(_("Customer contact is recorded once the job is assigned and before it is scheduled."))
        check = v.Collector()
        reached = check(v.choice, data, "outcome", ["reached", "not_reached"], label=_("outcome")) == "reached"
        person = check(v.text, data, "contact_person", max_length=120, required=reached, label=_("Person spoken to"))
        appointment = check(parse_appointment, data, ctx, job) if reached else None
        note = check(v.text, data, "note", max_length=1000, required=False, label=_("Note"))
        check.done()
        contact_at = ctx.device_at or ctx.now
        if not reached:
            record(db, job, ctx, "contact_attempt", reason=note, details={"outcome": "not_reached"})
            return job
        job.first_contact_at = job.first_contact_at or contact_at
        set_appointment(job, appointment, ctx)
        await meet(db, job, {"S4"}, contact_at)
        if job.zone == Zone.BEYOND_80KM:
            await add_deadline(db, job, sla.negotiated_arrival(ctx.calendar, appointment.end))
        await move(
            db,
            job,
            S.SCHEDULED,
            ctx,
            reason=note,
            kind="customer_contacted",
            details={
                "person": person,
                "appointment_start": appointment.start.isoformat(),
                "appointment_end": appointment.end.isoformat(),
                "negotiated_reason": appointment.negotiated_reason,
            },
        )
    return job


def set_appointment(job: Job, appointment: Appointment, ctx: Context) -> None:
    """The agreed window; the job turns unfinished after its day ends, and once unfinished it stays so until it
    is completed (INV-8): a new date (a reschedule, a revisit) does not clear the flag."""
    job.appointment_start, job.appointment_end = appointment.start, appointment.end
    job.negotiated_reason = appointment.negotiated_reason
    if not (job.unfinished_after and job.unfinished_after < ctx.now):
        job.unfinished_after = ctx.calendar.end_of_day(ctx.calendar.local_date(appointment.end))


def _short_notice(job: Job, ctx: Context) -> bool:
    """S10: less than one day's notice before the appointment."""
    return job.appointment_start is not None and job.appointment_start - ctx.now < timedelta(days=1)


async def reschedule(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None) -> Job:
    """T5: a new agreed window with a reason; short notice flags the job as a late change (F07)."""
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        await check_version(db, job, version)
        if job.state != S.SCHEDULED:
            raise DomainError(_("Only a scheduled visit can be rescheduled."))
        check = v.Collector()
        appointment = check(parse_appointment, data, ctx, job)
        reason = check(v.text, data, "reason", max_length=500, label=_("Reason"))
        check.done()
        late = _short_notice(job, ctx)
        job.late_change = job.late_change or late
        previous = job.appointment_start.isoformat() if job.appointment_start else None
        set_appointment(job, appointment, ctx)
        await move(
            db,
            job,
            S.SCHEDULED,
            ctx,
            reason=reason,
            kind="rescheduled",
            details={
                "late_change": late,
                "previous_start": previous,
                "appointment_start": appointment.start.isoformat(),
            },
        )
    return job


async def cancel(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None) -> Job:
    """T22: cancelled before arrival, with a reason and the customer informed."""
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        await check_version(db, job, version)
        check = v.Collector()
        reason = check(v.text, data, "reason", max_length=500, label=_("Reason"))
        if not v.checkbox(data, "customer_informed"):
            check.add("customer_informed", _("Tell the customer first, then tick the box."))
        check.done()
        late = _short_notice(job, ctx)
        job.late_change = job.late_change or late
        await move(db, job, S.CANCELLED, ctx, reason=reason, kind="cancelled", details={"late_change": late})
    return job


async def start_travel(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None) -> Job:
    """T7: the engineer sets off to the site."""
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        await check_version(db, job, version)
        if not may(job, "travel", ctx.actor):
            raise DomainError(
                _("Set off only on a scheduled visit of your own (agree the visit with the customer first).")
            )
        await move(db, job, S.EN_ROUTE, ctx, kind="travel_started")
    return job
