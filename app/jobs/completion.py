"""Completing a job only when the spec's gates hold (T18, T19; INV-2, INV-4, INV-6; F45)."""

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Role
from app.core import validation as v
from app.core.database import transaction
from app.core.i18n import _
from app.core.web import DomainError
from app.jobs.access import get_job_for
from app.jobs.lifecycle import Context, Forbidden, check_version, move
from app.jobs.models import Job, JobType
from app.jobs.states import JobState
from app.parts.queries import parts_pending
from app.visits import payments
from app.visits.queries import report_was_altered

S = JobState
MANDATORY_FIELDS = ["site_address", "contact_name", "contact_phone", "device_serial", "fault_description"]


class Gate(str):
    """A reason the job cannot be completed yet: the sentence users read, with a stable ``code`` for pages."""

    code: str

    def __new__(cls, code: str, label: str) -> "Gate":
        gate = super().__new__(cls, label)
        gate.code = code
        return gate


async def open_gates(db: AsyncSession, job: Job) -> list[Gate]:
    """What still stands between this job and completion, in the words shown to users."""
    gates = []
    if job.job_type == JobType.ONSITE and job.report_signed_at is None and job.state not in {S.CANCELLED}:
        gates.append(Gate("signature", _("Waiting for the customer's signature on the service report.")))
    if job.state == S.AWAITING_PARTS_RETURN or await parts_pending(db, job.id):  # INV-4
        gates.append(Gate("parts", _("Waiting for the parts clerk to confirm the parts returned.")))
    if job.outcome == "revisit":  # T18a, not T18: the fault is not fixed yet
        gates.append(Gate("revisit", _("The fault is not fixed: schedule the revisit agreed with the customer.")))
    if await payments.outstanding(db, job):  # F44: paid work is paid before the job is closed
        gates.append(Gate("payment", _("Waiting for the payment: record the amount received and its receipt.")))
    if any(not getattr(job, name) for name in MANDATORY_FIELDS):
        gates.append(Gate("fields", _("The repair order has empty mandatory fields.")))
    return gates


async def complete(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None) -> Job:
    """The coordinator completes a job (T18); a branch manager may override the parts gate with a reason (T19)."""
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        await check_version(db, job, version)
        gates = await open_gates(db, job)
        override = any(gate.code == "parts" for gate in gates)
        if override:
            if ctx.actor.role_enum != Role.MANAGER:
                raise Forbidden(
                    _("Parts are still out: %(gates)s Only a branch manager can override this.", gates=" ".join(gates))
                )
            reason = v.text(data, "reason", max_length=500, label=_("Override reason"))
            gates = [gate for gate in gates if gate.code != "parts"]
        if job.report_signed_at is not None and await report_was_altered(db, job.id):  # INV-2, F22
            gates.append(Gate("report", _("The signed service report does not verify: it was altered after signing.")))
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
