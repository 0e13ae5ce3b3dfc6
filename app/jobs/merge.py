"""Editing a job's site and contact details from two places at once: field-by-field merge.

Each edit carries the values it started from. A field only one side changed is applied; a field both sides
changed to different values keeps the current value and records the other as a conflict for a person to settle.
"""

import uuid

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.models import Role
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError
from app.core.i18n import N_, _
from app.jobs.access import get_job_for
from app.jobs.lifecycle import record
from app.jobs.models import Job, JobConflict

EDITABLE = {
    "contact_name": N_("Contact person"),
    "contact_phone": N_("Contact phone"),
    "site_address": N_("Site address"),
}


def _clean(data: dict, field: str) -> str:
    if field == "contact_phone":
        return v.phone(data, field, label=_(EDITABLE[field]))
    return v.text(data, field, max_length=300 if field == "site_address" else 120, label=_(EDITABLE[field]))


async def edit_details(
    db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None = None
) -> Job:
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        if not job.is_open:
            raise DomainError(_("A closed job's details can no longer be changed."))
        applied, conflicts = {}, []
        for field in EDITABLE:
            if field not in data:
                continue
            mine, base, current = _clean(data, field), str(data.get(f"base_{field}", "")), getattr(job, field)
            if mine in (base, current):
                continue  # this editor did not change it, or both made the same change
            if current == base:
                setattr(job, field, mine)
                applied[field] = mine
            else:
                conflicts.append(
                    JobConflict(
                        job_id=job.id,
                        field=field,
                        kept_value=current,
                        other_value=mine,
                        other_by_id=ctx.actor.id,
                        other_at=ctx.device_at or ctx.now,
                    )
                )
        db.add_all(conflicts)
        if applied or conflicts:
            record(
                db, job, ctx, "details_edited", details={"applied": applied, "conflicts": [c.field for c in conflicts]}
            )
    return job


async def open_conflicts(db: AsyncSession, job_ids) -> list[JobConflict]:
    if not job_ids:
        return []
    rows = await db.exec(
        select(JobConflict)
        .where(JobConflict.job_id.in_(list(job_ids)), JobConflict.resolved_at.is_(None))
        .order_by(JobConflict.other_at)
    )
    return list(rows.all())


async def settle(db: AsyncSession, job_id: uuid.UUID, conflict_id: uuid.UUID, choice: str, ctx: Context) -> Job:
    """A coordinator (or the engineer) chooses which of the two values the job keeps."""
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        if ctx.actor.role_enum == Role.CLERK:
            raise DomainError(_("Only the job's coordinator or engineer can settle its conflicts."))
        conflict = await db.get(JobConflict, conflict_id)
        if conflict is None or conflict.job_id != job.id or conflict.resolved_at:
            raise DomainError(_("This conflict is already settled."))
        if choice not in {"kept", "other"}:
            raise DomainError(_("Choose one of the two values."))
        value = conflict.kept_value if choice == "kept" else conflict.other_value
        setattr(job, conflict.field, value)
        conflict.resolved_at, conflict.resolved_by_id = ctx.now, ctx.actor.id
        db.add(conflict)
        record(db, job, ctx, "conflict_settled", details={"field": conflict.field, "value": value})
    return job
