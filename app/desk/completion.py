"""Completing a job only when the spec's gates hold (T18, T19; INV-2, INV-4, INV-6; F45)."""

import enum
import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.models import Role
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError, Forbidden
from app.core.i18n import N_, _, gettext
from app.jobs.access import get_job_for
from app.jobs.lifecycle import check_version, move
from app.jobs.models import Job, JobType
from app.jobs.states import JobState
from app.parts.queries import parts_pending
from app.visits import payments
from app.visits.queries import service_report_was_altered

S = JobState
MANDATORY_FIELDS = ["site_address", "contact_name", "contact_phone", "device_serial", "fault_description"]


class Gate(enum.StrEnum):
    """What can stand between a job and its completion; the words are looked up when shown."""

    SIGNATURE = "signature"
    PARTS = "parts"
    REVISIT = "revisit"
    PAYMENT = "payment"
    MANDATORY_FIELDS = "mandatory_fields"
    REPORT_ALTERED = "report_altered"


GATE_LABELS = {
    Gate.SIGNATURE: N_("Waiting for the customer's signature on the service report."),
    Gate.PARTS: N_("Waiting for the parts clerk to confirm the parts returned."),
    Gate.REVISIT: N_("The fault is not fixed: schedule the revisit agreed with the customer."),
    Gate.PAYMENT: N_("Waiting for the payment: record the amount received and its receipt."),
    Gate.MANDATORY_FIELDS: N_("The repair order has empty mandatory fields."),
    Gate.REPORT_ALTERED: N_("The signed service report does not verify: it was altered after signing."),
}


class GatesOpen(DomainError):
    """Completion refused while gates are open; ``gates`` names them."""

    code = "gates_open"

    def __init__(self, message: str, gates: list[Gate]) -> None:
        super().__init__(message)
        self.gates = gates


def gate_label(gate: Gate) -> str:
    return gettext(GATE_LABELS[gate])


def _sentence(gates: list[Gate]) -> str:
    return " ".join(gate_label(gate) for gate in gates)


async def open_gates(db: AsyncSession, job: Job) -> list[Gate]:
    """What still stands between this job and completion."""
    gates = []
    if job.job_type == JobType.ONSITE and job.report_signed_at is None and job.state not in {S.CANCELLED}:
        gates.append(Gate.SIGNATURE)
    if job.state == S.AWAITING_PARTS_RETURN or await parts_pending(db, job.id):  # INV-4
        gates.append(Gate.PARTS)
    if job.outcome == "revisit":  # T18a, not T18: the fault is not fixed yet
        gates.append(Gate.REVISIT)
    if await payments.outstanding(db, job):  # F44: paid work is paid before the job is closed
        gates.append(Gate.PAYMENT)
    if any(not getattr(job, name) for name in MANDATORY_FIELDS):
        gates.append(Gate.MANDATORY_FIELDS)
    return gates


async def complete(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None) -> Job:
    """The coordinator completes a job (T18); a branch manager may override the parts gate with a reason (T19)."""
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        await check_version(db, job, version)
        gates = await open_gates(db, job)
        override = Gate.PARTS in gates
        if override:
            if ctx.actor.role_enum != Role.MANAGER:
                raise Forbidden(
                    _(
                        "Parts are still out: %(gates)s Only a branch manager can override this.",
                        gates=_sentence(gates),
                    ),
                    code="parts_override_refused",
                )
            reason = v.text(data, "reason", max_length=500, label=_("Override reason"))
            gates.remove(Gate.PARTS)
        if job.report_signed_at is not None and await service_report_was_altered(db, job.id):  # INV-2, F22
            gates.append(Gate.REPORT_ALTERED)
        if gates:
            raise GatesOpen(_("The job cannot be completed yet: %(gates)s", gates=_sentence(gates)), gates)
        if job.state not in {S.PARTS_CONFIRMED, S.AWAITING_PARTS_RETURN}:
            raise DomainError(_("The job cannot be completed yet: the visit is not finished."), code="visit_unfinished")
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
