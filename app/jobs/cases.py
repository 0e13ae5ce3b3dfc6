"""Consultation cases (domain.md §3.5, F10): the technical specialist answers within a working day (S11), resolves,
cancels, or converts the case into an onsite or carry-in job that keeps the case's request time and notes."""

import uuid

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError
from app.core.i18n import _
from app.jobs.access import get_job_for
from app.jobs.follow_on import CONVERTED_CASE, open_follow_on
from app.jobs.lifecycle import check_version, move, record
from app.jobs.models import Job, JobEvent, JobType
from app.jobs.states import CASE_UNRESOLVED, JobState

S = JobState
NOTE_MAX = 1000
# The events whose text is the case's history: what the specialist said, and why it ended.
NOTE_KINDS = ("case_answered", "case_note", "case_resolved", "case_cancelled", "case_converted")
CONVERTS_TO = (JobType.ONSITE, JobType.CARRY_IN)


class CaseRefused(DomainError):
    code = "case_refused"


async def _open_case(db: AsyncSession, job_id: uuid.UUID, ctx: Context, version: int | None) -> Job:
    job = await get_job_for(db, job_id, ctx.actor, lock=True)
    await check_version(db, job, version)
    if job.job_type != JobType.CASE:
        raise CaseRefused(_("Only a consultation case can be answered, resolved or converted."))
    return job


def _note(data: dict, label: str) -> str:
    check = v.Collector()
    note = check(v.text, data, "note", max_length=NOTE_MAX, label=label)
    check.done()
    return note


async def answer(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None) -> Job:
    """K1: the first answer takes the case in hand and meets S11; later answers add to its history."""
    async with transaction(db):
        job = await _open_case(db, job_id, ctx, version)
        note = _note(data, _("Answer"))
        if job.state == S.OPEN:
            await move(db, job, S.IN_PROGRESS, ctx, reason=note, kind="case_answered")
        elif job.state in CASE_UNRESOLVED:
            record(db, job, ctx, "case_note", reason=note)
        else:
            raise CaseRefused(_("This case is no longer open."))
    return job


async def resolve(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None) -> Job:
    """K3: resolved, with what solved it."""
    async with transaction(db):
        job = await _open_case(db, job_id, ctx, version)
        note = _note(data, _("How it was resolved"))
        await move(db, job, S.RESOLVED, ctx, reason=note, kind="case_resolved")
    return job


async def close(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None) -> Job:
    """K4: closed once a call to the customer confirms the problem is gone."""
    async with transaction(db):
        job = await _open_case(db, job_id, ctx, version)
        if job.state != S.RESOLVED:
            raise CaseRefused(_("Resolve the case before closing it."))
        if not v.checkbox(data, "confirmed"):
            raise v.FieldError("confirmed", _("Call the customer and tick the box once the problem is gone."))
        await move(db, job, S.CLOSED, ctx, kind="case_closed")
    return job


async def cancel(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None) -> Job:
    """K6: cancelled with a reason (the customer withdrew, or it was a duplicate)."""
    async with transaction(db):
        job = await _open_case(db, job_id, ctx, version)
        check = v.Collector()
        reason = check(v.text, data, "reason", max_length=NOTE_MAX, label=_("Reason"))
        check.done()
        await move(db, job, S.CANCELLED, ctx, reason=reason, kind="case_cancelled")
    return job


async def convert(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None) -> Job:
    """K5: the case becomes an onsite or carry-in job, linked to it, with the case's request time; the case
    closes. Returns the new job."""
    async with transaction(db):
        case = await _open_case(db, job_id, ctx, version)
        check = v.Collector()
        job_type = check(v.choice, data, "job_type", list(CONVERTS_TO), label=_("job type"))
        reason = check(v.text, data, "note", max_length=NOTE_MAX, label=_("Why a visit or a carry-in repair"))
        check.done()
        if case.state not in CASE_UNRESOLVED:
            raise CaseRefused(_("This case is no longer open."))
        job = await open_follow_on(db, case, ctx, kind=CONVERTED_CASE, job_type=job_type)
        await move(db, case, S.CLOSED, ctx, reason=reason, kind="case_converted", details={"job": str(job.id)})
    return job


async def notes(db: AsyncSession, case_id: uuid.UUID) -> list[JobEvent]:
    """The case's history as written: answers, notes, and how it ended, oldest first."""
    rows = await db.exec(
        select(JobEvent).where(JobEvent.job_id == case_id, JobEvent.kind.in_(NOTE_KINDS)).order_by(JobEvent.at)
    )
    return list(rows.all())


async def open_cases(db: AsyncSession, office_id: uuid.UUID) -> list[Job]:
    """The specialist's queue: unresolved cases, the nearest S11 deadline first (answered ones after)."""
    rows = await db.exec(
        select(Job)
        .where(Job.office_id == office_id, Job.job_type == JobType.CASE, Job.state.in_(CASE_UNRESOLVED))
        .order_by(Job.next_due_at.is_(None), Job.next_due_at, Job.requested_at)
    )
    return list(rows.all())
