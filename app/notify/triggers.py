"""What a change tells whom: the job events a transaction recorded become messages in the same transaction
(``NotifyOnEvents``, registered with every transaction at start-up)."""

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Office, Role, User
from app.core.database import TransactionHook
from app.core.i18n import N_
from app.followups.models import FollowUpCall
from app.jobs import sla
from app.jobs.lifecycle import RECORDED_CALENDARS, RECORDED_EVENTS, recorded_calendar
from app.jobs.models import Customer, Device, Job, JobEvent
from app.jobs.states import JobState
from app.notify.outbox import staff, tell_customer, tell_staff
from app.notify.texts import Moment, Names, Words
from app.shifts import rota

FOLLOW_UP_STATES = {JobState.COMPLETED, JobState.COLLECTED, JobState.DEPARTED}
MANAGER_TOLD = {"L1", "L2"}


class NotifyOnEvents(TransactionHook):
    """Before commit: a message for every recorded event that tells someone; a rollback forgets the events."""

    async def before_commit(self, db: AsyncSession) -> None:
        for event in db.info.pop(RECORDED_EVENTS, []):
            job = await db.get(Job, event.job_id)
            if (message := _message_for(job, event)) is not None:
                await message(db, job, event, await job_names(db, job))
        db.info.pop(RECORDED_CALENDARS, None)

    def rolled_back(self, db: AsyncSession) -> None:
        db.info.pop(RECORDED_EVENTS, None)
        db.info.pop(RECORDED_CALENDARS, None)


Message = Callable[[AsyncSession, Job, JobEvent, Names], Awaitable[None]]


def _message_for(job: Job, event: JobEvent) -> Message | None:
    """The message an event makes, if any: most events tell no one, and then no name is loaded."""
    if event.kind in {"customer_contacted", "rescheduled"}:
        return _window_agreed
    if event.kind == "travel_started":
        return _on_the_way
    if event.kind == "install_delayed":
        return _install_delayed
    if event.to_state == JobState.READY_FOR_PICKUP:
        return _ready_for_pickup
    if event.kind == "created" and job.priority == "urgent":
        return _urgent_request
    if event.kind in {"assigned", "reassigned"} and job.priority == "urgent" and job.engineer_id:
        return _urgent_assigned
    if event.kind == "escalated" and event.details.get("level") in MANAGER_TOLD:
        return _escalated
    if event.to_state in FOLLOW_UP_STATES:
        return _follow_up_due
    if event.kind == "follow_up_not_reached":
        return _follow_up_retry
    return None


async def _window_agreed(db: AsyncSession, job: Job, event: JobEvent, names: Names) -> None:
    trigger = "window_agreed" if event.kind == "customer_contacted" else "rescheduled"
    key = f"{trigger}:{job.id}:{job.appointment_start.isoformat()}"
    await tell_customer(db, job, trigger, key, {**names, "window": window(job)}, event.at)


async def _install_delayed(db: AsyncSession, job: Job, event: JobEvent, names: Names) -> None:
    """S27: the customer is told at once, and the office's managers (who tell the provincial office)."""
    delayed = {**names, "reason": event.reason, "window": Moment(job.appointment_start, "days", job.appointment_end)}
    await tell_customer(db, job, "install_delayed", f"install_delayed:{event.id}", delayed, event.at)
    managers = await staff(db, job.office_id, Role.MANAGER)
    key = f"install_delayed_staff:{event.id}"
    await tell_staff(db, job, managers, "install_delayed_staff", key, delayed, event.at, by_sms=False)


async def _on_the_way(db: AsyncSession, job: Job, event: JobEvent, names: Names) -> None:
    engineer = await db.get(User, job.engineer_id) if job.engineer_id else None
    who = engineer.display_name if engineer else ""
    key = f"on_the_way:{job.id}:{job.appointment_start.isoformat() if job.appointment_start else ''}"
    await tell_customer(db, job, "on_the_way", key, {**names, "engineer": who}, event.at)


async def _ready_for_pickup(db: AsyncSession, job: Job, event: JobEvent, names: Names) -> None:
    await tell_customer(db, job, "ready_for_pickup", f"ready:{job.id}", names, event.at)


async def _urgent_request(db: AsyncSession, job: Job, event: JobEvent, names: Names) -> None:
    """S8 to every coordinator; while the office is closed (S23) to the person on duty as well."""
    coordinators = await staff(db, job.office_id, Role.COORDINATOR)
    told = coordinators + await _on_duty_if_closed(db, job, event, coordinators)
    await tell_staff(db, job, told, "urgent_request", f"urgent:{job.id}", names, event.at)


async def _urgent_assigned(db: AsyncSession, job: Job, event: JobEvent, names: Names) -> None:
    engineer = await db.get(User, job.engineer_id)
    key = f"urgent:{job.id}:{engineer.id}"
    await tell_staff(db, job, [engineer], "urgent_assigned", key, names, event.at)


async def _escalated(db: AsyncSession, job: Job, event: JobEvent, names: Names) -> None:
    escalated = {**names, "level": event.details["level"], "symptoms": event.reason}
    managers = await staff(db, job.office_id, Role.MANAGER)
    major = event.details["level"] == "L1"
    told = managers + (await _on_duty_if_closed(db, job, event, managers) if major else [])
    await tell_staff(db, job, told, "escalated", f"escalated:{event.id}", escalated, event.at)
    lead_id = event.details.get("integration_lead")
    lead = await db.get(User, uuid.UUID(lead_id)) if lead_id else None
    if lead is not None and lead.is_active:  # S31: a major case reaches the system-integration lead at once
        await tell_staff(db, job, [lead], "major_case", f"major_case:{event.id}", escalated, event.at)


async def _on_duty_if_closed(db: AsyncSession, job: Job, event: JobEvent, told: list[User]) -> list[User]:
    """S23: the person on the duty rota, when the event came while the office was closed and they are not told
    already."""
    calendar = recorded_calendar(db, job.office_id)
    duty = await rota.duty_when_closed(db, job.office_id, calendar, event.at)
    return [duty] if duty is not None and duty.id not in {user.id for user in told} else []


async def _follow_up_due(db: AsyncSession, job: Job, event: JobEvent, names: Names) -> None:
    due = sla.follow_up(event.at).due_at
    await _tell_callers(db, job, "follow_up_due", f"follow_up:{job.id}", names, due, event.at)


async def _follow_up_retry(db: AsyncSession, job: Job, event: JobEvent, names: Names) -> None:
    call = await db.get(FollowUpCall, uuid.UUID(event.details["call"]))
    await _tell_callers(db, job, "follow_up_retry", f"follow_up_retry:{call.id}", names, call.retry_at, event.at)


async def _tell_callers(db, job: Job, trigger: str, key: str, names: Names, due: datetime, now: datetime) -> None:
    callers = await staff(db, job.office_id, Role.FOLLOW_UP)
    await tell_staff(db, job, callers, trigger, key, {**names, "due": Moment(due)}, now)


async def job_names(db: AsyncSession, job: Job) -> Names:
    """The names every message may use; the office's line is worded in the reader's language."""
    customer = await db.get(Customer, job.customer_id)
    device = await db.get(Device, job.device_id)
    office = await db.get(Office, job.office_id)
    return {
        "number": job.number,
        "customer": customer.name,
        "device": f"{device.model} {device.serial}",
        "office": Words(N_("%(office)s, phone %(phone)s"), {"office": office.name, "phone": office.phone or "-"}),
    }


def window(job: Job) -> Moment:
    """The agreed visit window, worded in the reader's language and the office's time zone."""
    return Moment(job.appointment_start, "span", job.appointment_end)
