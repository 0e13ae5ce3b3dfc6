"""Payments for paid work (F44, T18): how much the customer paid, how, against which receipt or invoice, who
handed it over and who took it. A paid job is completed only once the consented price is covered."""

import uuid
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core import validation as v
from app.core.database import transaction
from app.core.i18n import N_, _
from app.core.web import DomainError
from app.jobs.access import get_job_for
from app.jobs.lifecycle import Context, check_version, record
from app.jobs.models import Job
from app.sync.idempotency import different_content
from app.visits.models import CustomerSignature, Payment, VisitChecklist
from app.visits.pricing import cents_of, format_cents

METHODS = {
    "cash": N_("Cash"),
    "card": N_("Bank card"),
    "transfer": N_("Bank transfer"),
    "mobile": N_("Mobile payment (WeChat Pay, Alipay)"),
}
MAX_CENTS = 100_000_000  # one million yuan: anything above is a typing slip


@dataclass
class PaymentSummary:
    due_cents: int  # the quotes the customer signed as accepted
    received_cents: int
    payments: list[Payment]

    @property
    def outstanding(self) -> bool:
        return self.received_cents < self.due_cents


async def consented_cents(db: AsyncSession, job: Job) -> int:
    """The total of the job's quotes the customer accepted with a signature (INV-5)."""
    checklist = await db.get(VisitChecklist, job.id)
    if checklist is None or not checklist.quote:
        return 0
    accepted = await db.exec(
        select(CustomerSignature.step_key).where(
            CustomerSignature.job_id == job.id,
            CustomerSignature.purpose == "quote",
            CustomerSignature.decision == "accepted",
        )
    )
    return sum(cents_of(checklist.quote[key]["total"]) for key in set(accepted.all()) if key in checklist.quote)


async def summary(db: AsyncSession, job: Job) -> PaymentSummary | None:
    """What is due and what was received, for the job page and the completion gate; None for unpaid work."""
    due = await consented_cents(db, job)
    rows = list((await db.exec(select(Payment).where(Payment.job_id == job.id).order_by(Payment.at))).all())
    if not (job.paid or due or rows):
        return None
    return PaymentSummary(due, sum(row.amount_cents for row in rows), rows)


async def outstanding(db: AsyncSession, job: Job) -> bool:
    due = await consented_cents(db, job)
    if not due:
        return False
    received = (
        await db.exec(select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(Payment.job_id == job.id))
    ).one()
    return received < due


def _parse(data: dict) -> dict:
    try:
        payment_id = uuid.UUID(str(data.get("payment_id", "")))
    except ValueError:
        raise v.FieldError("amount", _("This form is out of date. Reload the page and try again.")) from None
    try:
        amount = cents_of(str(data.get("amount", "")).strip())
    except ValueError:
        amount = 0
    if not 0 < amount <= MAX_CENTS:
        raise v.FieldError("amount", _("Give the amount received in yuan, for example 350.00."))
    return {
        "id": payment_id,
        "amount_cents": amount,
        "method": v.choice(data, "method", list(METHODS), label=_("Payment method")),
        "receipt_number": v.text(data, "receipt_number", max_length=40, label=_("Receipt or invoice number")),
        "paid_by": v.text(data, "paid_by", max_length=120, label=_("Handed over by")),
    }


async def record_payment(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None) -> Job:
    """Records money received on a paid job; the same form sent again (same ``payment_id``) records it once."""
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        fields = _parse(data)
        existing = await db.get(Payment, fields["id"])
        if existing is not None:
            if existing.job_id != job.id or any(getattr(existing, k) != val for k, val in fields.items()):
                raise DomainError(different_content())
            return job
        await check_version(db, job, version)
        if not job.is_open or not (job.paid or await consented_cents(db, job)):
            raise DomainError(_("Payments are recorded for paid work on an open job."))
        db.add(
            Payment(
                **fields,
                job_id=job.id,
                office_id=job.office_id,
                received_by_id=ctx.actor.id,
                at=ctx.now,
                device_at=ctx.device_at,
            )
        )
        record(
            db,
            job,
            ctx,
            "payment_recorded",
            details={
                "amount": format_cents(fields["amount_cents"]),
                "method": fields["method"],
                "receipt_number": fields["receipt_number"],
                "paid_by": fields["paid_by"],
            },
        )
    return job
