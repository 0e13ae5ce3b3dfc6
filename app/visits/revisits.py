"""Revisits (T18a): a visit that ended "not fixed" with a revisit date sends the same job back to scheduling.

The finished visit is kept as an ``EarlierVisit`` (its signed report with seal, the signature, the photos by
hash), and the job's checklist starts afresh for the next visit. The job keeps its request time (INV-9) and
its unfinished flag (INV-8)."""

import uuid

from sqlalchemy import delete, func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.database import transaction
from app.core.i18n import _
from app.core.web import DomainError
from app.jobs.access import get_job_for
from app.jobs.dispatch import parse_appointment, set_appointment
from app.jobs.lifecycle import Context, check_version, move
from app.jobs.models import Job
from app.jobs.states import JobState
from app.visits.models import (
    CustomerSignature,
    EarlierVisit,
    ServiceReport,
    StepResult,
    VisitChecklist,
    VisitPhoto,
)

REVISIT = "revisit"


def wants_revisit(job: Job) -> bool:
    """The visit ended not fixed with a revisit date, and the parts are settled: T18a is next."""
    return job.outcome == REVISIT and job.state == JobState.PARTS_CONFIRMED


async def schedule_revisit(
    db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None
) -> Job:
    """T18a: keeps the finished visit, clears the checklist and books the next visit on the same job."""
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        await check_version(db, job, version)
        if not wants_revisit(job):
            raise DomainError(
                _("Only a visit that ended not fixed with a revisit date, its parts confirmed, is revisited.")
            )
        agreed = await revisit_date(db, job)
        if agreed and str(data.get("appointment_date", "")).strip() == agreed and not data.get("negotiated_reason"):
            data = {
                **data,
                "negotiated_reason": _("Revisit date agreed with the customer on the signed service report."),
            }
        appointment = parse_appointment(data, ctx, job)
        earlier = await _keep_visit(db, job, ctx)
        job.report_signed_at = None
        job.outcome = ""
        set_appointment(job, appointment, ctx)
        await move(
            db,
            job,
            JobState.SCHEDULED,
            ctx,
            kind="revisit_scheduled",
            details={"visit": earlier.number + 1, "appointment_start": appointment.start.isoformat()},
        )
    return job


async def _keep_visit(db: AsyncSession, job: Job, ctx: Context) -> EarlierVisit:
    report = await db.get(ServiceReport, job.id)
    if report is None:
        raise DomainError(_("The visit's service report is not signed yet."))
    signature = await db.get(CustomerSignature, report.signature_id)
    unresolved = await db.exec(
        select(StepResult).where(StepResult.job_id == job.id, StepResult.step_key == "unresolved")
    )
    step = unresolved.first()
    photos = (await db.exec(select(VisitPhoto).where(VisitPhoto.job_id == job.id).order_by(VisitPhoto.at))).all()
    number = 1 + (await db.exec(select(func.count()).where(EarlierVisit.job_id == job.id))).one()
    earlier = EarlierVisit(
        job_id=job.id,
        office_id=job.office_id,
        number=number,
        outcome=job.outcome,
        revisit_date=str(step.values.get("revisit_date", "")) if step else "",
        report_content=report.content,
        report_sha256=report.sha256,
        seal_scheme=report.seal_scheme,
        seal_key_id=report.seal_key_id,
        seal=report.seal,
        signed_at=report.signed_at,
        signer_name=signature.signer_name,
        signature_image=signature.image,
        photos=[{"step": p.step_key, "sha256": p.sha256, "at": p.at.isoformat(), "deleted": p.deleted} for p in photos],
        archived_at=ctx.now,
        archived_by_id=ctx.actor.id,
    )
    db.add(earlier)
    for model in (ServiceReport, CustomerSignature, StepResult, VisitPhoto, VisitChecklist):
        await db.exec(delete(model).where(model.job_id == job.id))
    await db.flush()
    return earlier


async def revisit_date(db: AsyncSession, job: Job) -> str:
    """The date the customer agreed for the revisit, to offer in the scheduling form."""
    if not wants_revisit(job):
        return ""
    rows = await db.exec(select(StepResult).where(StepResult.job_id == job.id, StepResult.step_key == "unresolved"))
    step = rows.first()
    return str(step.values.get("revisit_date", "")) if step else ""


async def earlier_visits(db: AsyncSession, job_id: uuid.UUID) -> list[EarlierVisit]:
    rows = await db.exec(select(EarlierVisit).where(EarlierVisit.job_id == job_id).order_by(EarlierVisit.number))
    return list(rows.all())
