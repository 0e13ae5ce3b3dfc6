"""Loan equipment (备用机): the office's register, lending against the customer's signed equipment receipt
(直接客户设备接收单, seed 002) and taking it back (domain.md §7.3, F40)."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.audit.trail import acted
from app.carryin.models import CarryInOrder, Loan, LoanItem
from app.carryin.safety import form_id, write_lock
from app.carryin.service import AT_COUNTER, order_for
from app.carryin.signing import customer_signature, not_staff
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError, NotFound
from app.core.i18n import _
from app.jobs.access import get_job_for
from app.jobs.intake import parse_date
from app.jobs.lifecycle import record
from app.jobs.models import Customer, Job, JobType
from app.sync.idempotency import different_content

LONGEST_LOAN = timedelta(days=90)


@dataclass
class RegisterRow:
    """An item of the register, with its open loan (if out): the job and the customer who has it."""

    item: LoanItem
    loan: Loan | None = None
    job: Job | None = None
    customer_name: str = ""

    def is_overdue(self, today: date) -> bool:
        return bool(self.loan and self.loan.due_back < today)


async def register(db: AsyncSession, office_id: uuid.UUID) -> list[RegisterRow]:
    """Every item, those out first (the longest overdue on top), then those on the shelf by code."""
    items = (await db.exec(select(LoanItem).where(LoanItem.office_id == office_id).order_by(LoanItem.code))).all()
    out = await db.exec(
        select(Loan, Job, Customer.name)
        .join(Job, Job.id == Loan.job_id)
        .join(Customer, Customer.id == Job.customer_id)
        .where(Loan.office_id == office_id, Loan.returned_at.is_(None))
    )
    open_loans = {loan.item_id: (loan, job, name) for loan, job, name in out.all()}
    rows = [RegisterRow(item, *open_loans.get(item.id, ())) for item in items]
    return sorted(rows, key=lambda row: (row.loan is None, row.loan.due_back if row.loan else date.max))


async def available(db: AsyncSession, office_id: uuid.UUID) -> list[LoanItem]:
    """The items on the shelf, ready to lend."""
    lent = select(Loan.item_id).where(Loan.office_id == office_id, Loan.returned_at.is_(None))
    query = select(LoanItem).where(LoanItem.office_id == office_id, LoanItem.id.not_in(lent))
    return list((await db.exec(query.order_by(LoanItem.code))).all())


async def open_loan(db: AsyncSession, job_id: uuid.UUID) -> Loan | None:
    """The loan item still out for this job, if any."""
    return (await db.exec(select(Loan).where(Loan.job_id == job_id, Loan.returned_at.is_(None)))).first()


async def loan_for(db: AsyncSession, loan_id: uuid.UUID, office_id: uuid.UUID) -> Loan:
    loan = await db.get(Loan, loan_id)
    if loan is None or loan.office_id != office_id:
        raise NotFound(_("No such loan."))
    return loan


def parse_item(data: dict) -> dict:
    check = v.Collector()
    fields = {
        "code": (check(v.text, data, "code", max_length=40, label=_("Item code")) or "").upper(),
        "serial": (check(v.text, data, "serial", max_length=80, required=False, label=_("Serial")) or "").upper(),
        "description": check(v.text, data, "description", max_length=200, label=_("Description")),
        "condition": check(v.text, data, "condition", max_length=500, label=_("Condition")),
    }
    check.done()
    return fields


async def add_item(db: AsyncSession, data: dict, ctx: Context) -> LoanItem:
    """A new item in the register; the same form sent twice adds it once."""
    check = v.Collector()
    item_id = check(form_id, data, "item_id")
    fields = check(parse_item, data)
    check.done()
    office_id = ctx.actor.office_id
    try:
        async with transaction(db):
            await write_lock(db)
            if (same := await db.get(LoanItem, item_id)) is not None:
                if same.office_id != office_id or same.code != fields["code"]:
                    raise DomainError(different_content())
                return same
            taken = await db.exec(
                select(LoanItem).where(LoanItem.office_id == office_id, LoanItem.code == fields["code"])
            )
            if taken.first():
                raise v.FieldError("code", _("An item with this code is already in the register."))
            item = LoanItem(id=item_id, office_id=office_id, created_at=ctx.now, **fields)
            db.add(item)
            db.add(acted(ctx, "loan_item_added", "loan_item", item.id, {"code": item.code}))
    except IntegrityError:
        raise v.FieldError("code", _("An item with this code is already in the register.")) from None
    return item


def _due_back(data: dict, today: date) -> date:
    due = parse_date(str(data.get("due_back", "")), "due_back", _("Due back"))
    if due is None:
        raise v.FieldError("due_back", _("%(label)s is required.", label=_("Due back")))
    if not today <= due <= today + LONGEST_LOAN:
        raise v.FieldError("due_back", _("Choose a return date from today to 90 days ahead."))
    return due


def _item_id(data: dict) -> uuid.UUID:
    try:
        return uuid.UUID(str(data.get("item_id", "") or "").strip())
    except ValueError:
        raise v.FieldError("item_id", _("Choose a loan item.")) from None


async def lend(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context) -> Loan:
    """Lends an item for a carry-in job still at the station, against the customer's signed receipt; the same
    form sent twice lends it once."""
    check = v.Collector()
    loan_id = check(form_id, data, "loan_id")
    item_id = check(_item_id, data)
    due_back = check(_due_back, data, ctx.calendar.local_date(ctx.now))
    condition = check(v.text, data, "condition_out", max_length=500, label=_("Condition when lent"))
    signer = check(v.text, data, "signer_name", max_length=120, label=_("Customer's printed name"))
    signature = check(customer_signature, data, "loan_signature", required=True)
    check.done()
    try:
        async with transaction(db):
            await write_lock(db)
            job = await get_job_for(db, job_id, ctx.actor, lock=True)
            if (same := await db.get(Loan, loan_id)) is not None:
                if same.job_id != job.id or same.item_id != item_id:
                    raise DomainError(different_content())
                return same
            order = await order_for(db, job.id)
            _at_the_station(job, order)
            if await open_loan(db, job.id):
                raise DomainError(_("A loan item is already out for this job: take it back first."))
            item = await db.get(LoanItem, item_id)
            if item is None or item.office_id != job.office_id:
                raise v.FieldError("item_id", _("Choose a loan item."))
            if (await db.exec(select(Loan.id).where(Loan.item_id == item.id, Loan.returned_at.is_(None)))).first():
                raise v.FieldError("item_id", _("This item is already lent out. Choose another."))
            await not_staff(db, job.office_id, signer, "signer_name")
            loan = Loan(
                id=loan_id,
                office_id=job.office_id,
                item_id=item.id,
                job_id=job.id,
                lent_at=ctx.now,
                lent_by_id=ctx.actor.id,
                due_back=due_back,
                condition_out=condition,
                signer_name=signer,
                signature=signature,
            )
            db.add(loan)
            details = {"item": item.code, "due_back": due_back.isoformat(), "signed_by": signer}
            record(db, job, ctx, "loan_issued", details=details)
            db.add(acted(ctx, "loan_issued", "loan", loan.id, {"number": job.number, **details}))
    except IntegrityError:
        raise v.FieldError("item_id", _("This item is already lent out. Choose another.")) from None
    return loan


def _at_the_station(job: Job, order: CarryInOrder | None) -> None:
    if job.job_type != JobType.CARRY_IN or order is None or order.collected_at or job.state not in AT_COUNTER:
        raise DomainError(_("Loan equipment is lent only while the customer's device is at the station."))


async def take_back(db: AsyncSession, loan_id: uuid.UUID, data: dict, ctx: Context) -> Loan:
    """The item is back: its condition and who took it back are recorded; sent twice, it is taken back once."""
    condition = v.text(data, "condition_back", max_length=500, label=_("Condition on return"))
    async with transaction(db):
        await write_lock(db)
        loan = await loan_for(db, loan_id, ctx.actor.office_id)
        job = await get_job_for(db, loan.job_id, ctx.actor, lock=True)
        await db.refresh(loan)  # as it is now the job is locked: a return sent twice at once is made once
        if loan.returned_at is not None:
            return loan
        item = await db.get(LoanItem, loan.item_id)
        loan.returned_at, loan.returned_by_id, loan.condition_back = ctx.now, ctx.actor.id, condition
        item.condition = condition
        db.add_all([loan, item])
        record(db, job, ctx, "loan_returned", details={"item": item.code, "condition": condition})
        db.add(acted(ctx, "loan_returned", "loan", loan.id, {"number": job.number, "item": item.code}))
    return loan
