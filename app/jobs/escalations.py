"""Escalating a job with a fault level along the technical chain (domain.md §9, F52)."""

import uuid
from collections.abc import Sequence

import anyio
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.models import Office, Role
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError, Forbidden
from app.core.i18n import _
from app.jobs import escalation_files, sla
from app.jobs.access import get_job_for
from app.jobs.lifecycle import add_deadline, meet, record
from app.jobs.models import Escalation, Job
from app.media.images import ProcessedPhoto
from app.media.store import photo_store

# The technical chain (seed 003): engineer -> technical specialist -> department manager -> VP in charge.
TIERS = ["technical_specialist", "department_manager", "vp_in_charge"]
LEVELS = ["L1", "L2", "L3", "L4"]
MANAGER_TOLD = {"L1", "L2"}
NOTIFIED_FOR_MAJOR = "customer_service_manager,sales_representative"
MAJOR = "L1"  # a major case (S31): the office's system-integration lead is told at once


async def integration_lead(db: AsyncSession, office_id: uuid.UUID) -> uuid.UUID | None:
    """The office's system-integration lead (set on Office settings), if one is named."""
    office = await db.get(Office, office_id)
    return office.integration_lead_id if office else None


async def escalate(
    db: AsyncSession,
    job_id: uuid.UUID,
    data: dict,
    ctx: Context,
    *,
    version: int | None = None,
    photos: Sequence[ProcessedPhoto] = (),
    documents: Sequence[escalation_files.Pdf] = (),
    settings=None,
) -> Escalation:
    """Raises a case, with any photos of the fault (already checked and normalised by ``app/media``) and PDFs
    (checked by ``escalation_files.checked_pdf``); L1/L2 go on the manager's board at once and notify the customer
    service manager and sales representative (seed 002)."""
    written: list[str] = []
    files = (list(photos), list(documents))
    try:
        return await _escalate(db, job_id, data, ctx, files, settings, written)
    except BaseException:
        if written:
            await anyio.to_thread.run_sync(photo_store(settings).discard, written)
        raise


async def _escalate(db, job_id, data, ctx: Context, files, settings, written: list[str]) -> Escalation:
    photos, documents = files
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        if not job.is_open:
            raise DomainError(_("A closed job cannot be escalated."))
        check = v.Collector()
        level = check(v.choice, data, "level", LEVELS, label=_("fault level"))
        symptoms = check(v.text, data, "symptoms", max_length=2000, label=_("Symptoms and reproduction result"))
        actions_taken = check(v.text, data, "actions_taken", max_length=2000, label=_("Actions taken"))
        expectation = check(v.text, data, "customer_expectation", max_length=1000, required=False)
        check.done()
        escalation = Escalation(
            office_id=job.office_id,
            job_id=job.id,
            level=level,
            tier=TIERS[0],
            symptoms=symptoms,
            actions_taken=actions_taken,
            customer_expectation=expectation,
            raised_by_id=ctx.actor.id,
            raised_at=ctx.now,
            notified=NOTIFIED_FOR_MAJOR if level in MANAGER_TOLD else "",
        )
        db.add(escalation)
        await db.flush()  # the escalation's row before its photos'
        if photos or documents:
            ids = escalation_files.file_ids(data, len(photos) + len(documents))
            written += await escalation_files.attach(db, settings, escalation, job, photos, documents, ids, ctx)
        if not job.fault_level or level < job.fault_level:  # "L1" < "L2": keep the most severe
            job.fault_level = level
        for due in sla.escalation(ctx.calendar, ctx.now, level):
            await add_deadline(db, job, due)
        lead = await integration_lead(db, job.office_id) if level == MAJOR else None
        if lead:  # S31: the lead is told at once (notify.triggers) and has 30 working minutes to acknowledge
            await add_deadline(db, job, sla.major_case(ctx.calendar, ctx.now))
        record(
            db,
            job,
            ctx,
            "escalated",
            reason=escalation.symptoms,
            details={
                "level": level,
                "tier": escalation.tier,
                "notified": escalation.notified,
                **({"integration_lead": str(lead)} if lead else {}),
            },
        )
    return escalation


async def _escalation_for(db: AsyncSession, escalation_id: uuid.UUID, ctx: Context) -> tuple[Escalation, Job]:
    if ctx.actor.role_enum not in {Role.COORDINATOR, Role.MANAGER}:
        raise Forbidden(_("Only coordinators and managers handle escalations."))
    escalation = await db.get(Escalation, escalation_id)
    if escalation is None or escalation.office_id != ctx.actor.office_id:
        raise DomainError(_("This escalation does not exist."))
    return escalation, await get_job_for(db, escalation.job_id, ctx.actor, lock=True)


async def acknowledge(db: AsyncSession, escalation_id: uuid.UUID, ctx: Context) -> Escalation:
    async with transaction(db):
        escalation, job = await _escalation_for(db, escalation_id, ctx)
        if escalation.acknowledged_at is None:
            escalation.acknowledged_at = ctx.now
            db.add(escalation)
            await meet(db, job, {"ESC_ACK", "S11"}, ctx.now)
            record(db, job, ctx, "escalation_acknowledged", details={"level": escalation.level})
    return escalation


async def lead_acknowledge(db: AsyncSession, escalation_id: uuid.UUID, ctx: Context) -> Escalation:
    """S31 met: the system-integration lead has seen the major case."""
    async with transaction(db):
        escalation, job = await _escalation_for(db, escalation_id, ctx)
        if escalation.level != MAJOR or await integration_lead(db, job.office_id) != ctx.actor.id:
            raise Forbidden(_("Only the office's system-integration lead acknowledges a major case for the lead."))
        if escalation.lead_acknowledged_at is None:
            escalation.lead_acknowledged_at = ctx.now
            db.add(escalation)
            await meet(db, job, {"S31"}, ctx.now)
            record(db, job, ctx, "major_case_seen", details={"level": escalation.level})
    return escalation


async def next_tier(db: AsyncSession, escalation_id: uuid.UUID, data: dict, ctx: Context) -> Escalation:
    """Passes the case up the chain; the hop is recorded with its reason."""
    async with transaction(db):
        escalation, job = await _escalation_for(db, escalation_id, ctx)
        position = TIERS.index(escalation.tier)
        if position + 1 >= len(TIERS) or escalation.resolved_at:
            raise DomainError(_("This case is already at the top of the chain."))
        reason = v.text(data, "reason", max_length=500, label=_("Reason"))
        escalation.tier = TIERS[position + 1]
        db.add(escalation)
        record(db, job, ctx, "escalation_raised", reason=reason, details={"tier": escalation.tier})
    return escalation


async def resolve(db: AsyncSession, escalation_id: uuid.UUID, data: dict, ctx: Context) -> Escalation:
    async with transaction(db):
        escalation, job = await _escalation_for(db, escalation_id, ctx)
        note = v.text(data, "resolution", max_length=1000, label=_("Resolution"))
        escalation.resolved_at = ctx.now
        escalation.acknowledged_at = escalation.acknowledged_at or ctx.now
        db.add(escalation)
        await meet(db, job, {"ESC_ACK", "ESC_RESOLVE", "S11", "S31"}, ctx.now)
        record(db, job, ctx, "escalation_resolved", reason=note, details={"level": escalation.level})
    return escalation


async def open_escalations(db: AsyncSession, office_id: uuid.UUID, levels: set[str] | None = None):
    """The office's unresolved escalations with their jobs, the most urgent level first."""
    query = (
        select(Escalation, Job)
        .join(Job, Job.id == Escalation.job_id)
        .where(Escalation.office_id == office_id, Escalation.resolved_at.is_(None))
        .order_by(Escalation.level, Escalation.raised_at)
    )
    if levels:
        query = query.where(Escalation.level.in_(levels))
    return list((await db.exec(query)).all())


async def open_escalations_of(db: AsyncSession, job_id: uuid.UUID) -> list[Escalation]:
    """One job's unresolved escalations, the most urgent level first."""
    query = (
        select(Escalation)
        .where(Escalation.job_id == job_id, Escalation.resolved_at.is_(None))
        .order_by(Escalation.level, Escalation.raised_at)
    )
    return list((await db.exec(query)).all())
