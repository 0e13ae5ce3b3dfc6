"""Completing a job only when the spec's gates hold (T18, T19; INV-2, INV-4, INV-6; F45)."""

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Role
from app.core import validation as v
from app.core.database import transaction
from app.core.i18n import N_, _
from app.core.web import DomainError
from app.jobs.access import get_job_for
from app.jobs.lifecycle import Context, Forbidden, check_version, move
from app.jobs.models import Job, JobType
from app.jobs.states import JobState
from app.parts.queries import parts_pending
from app.visits.queries import service_report_was_altered

S = JobState
MANDATORY_FIELDS = ["site_address", "contact_name", "contact_phone", "device_serial", "fault_description"]


PARTS_GATE = N_("Waiting for the parts clerk to confirm the parts returned.")


async def open_gates(db: AsyncSession, job: Job) -> list[str]:
    """What still stands between this job and completion, in the words shown to users."""
    gates = []
    if job.job_type == JobType.ONSITE and job.report_signed_at is None and job.state not in {S.CANCELLED}:
        gates.append(_("Waiting for the customer's signature on the service report."))
    if job.state == S.AWAITING_PARTS_RETURN or await parts_pending(db, job.id):  # INV-4
        gates.append(_(PARTS_GATE))
    if any(not getattr(job, name) for name in MANDATORY_FIELDS):
        gates.append(_("The repair order has empty mandatory fields."))
    return gates


async def complete(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None) -> Job:
    """The coordinator completes a job (T18); a branch manager may override the parts gate with a reason (T19)."""
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        await check_version(db, job, version)
        gates = await open_gates(db, job)
        override = _(PARTS_GATE) in gates
        if override:
            if ctx.actor.role_enum != Role.MANAGER:
                raise Forbidden(
                    _("Parts are still out: %(gates)s Only a branch manager can override this.", gates=" ".join(gates))
                )
            reason = v.text(data, "reason", max_length=500, label=_("Override reason"))
            gates = [gate for gate in gates if gate != _(PARTS_GATE)]
        if job.report_signed_at is not None and await service_report_was_altered(db, job.id):  # INV-2, F22
            gates.append(_("The signed service report does not verify: it was altered after signing."))
        if gates:
            raise DomainError(_("The job cannot be completed yet: %(gates)s", gates=" ".join(gates)))
        if job.state not in {S.PARTS_CONFIRMED, S.AWAITING_PARTS_RETURN}:
            raise DomainError(_("The job cannot be completed yet: the visit is not finished."))
        await move(
            db,
            job,
            S.COMPLETED,
            ctx,
            kind="completed",
            reason=reason if override else "",
            details={"override": override},
        )
    return job
