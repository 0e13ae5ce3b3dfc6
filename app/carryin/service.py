"""Carry-in at the counter: intake extras, storeroom, ready for pickup and pickup (domain.md §7; C1–C10)."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.carryin import appointments, voucher
from app.carryin.models import CarryInOrder, Loan, LoanItem
from app.carryin.signing import customer_signature, not_staff
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError, NotFound
from app.core.i18n import N_, _
from app.jobs import intake, sla
from app.jobs.access import get_job_for
from app.jobs.lifecycle import check_version, move, record
from app.jobs.models import Customer, Job, JobType
from app.jobs.states import JobState
from app.parts.queries import parts_pending

S = JobState
# Packaging and bundled firmware items may stay with the device if noted (seed 002).
KEPT_ACCESSORIES = {
    "packaging": N_("Packaging"),
    "dongle": N_("Dongle"),
    "daughter_card": N_("Daughter card"),
    "media": N_("Media found in the device"),
}
AT_COUNTER = [
    S.RECEIVED,
    S.IN_STORE,
    S.IN_REPAIR,
    S.AWAITING_PARTS,
    S.AWAITING_CUSTOMER_DECISION,
    S.REPAIRED,
    S.READY_FOR_PICKUP,
]


class VoucherNotFound(NotFound):
    code = "voucher_not_found"


@dataclass
class CounterRow:
    job: Job
    order: CarryInOrder | None
    customer_name: str
    loan_item: str | None = None  # the code of the loan equipment still out for the job (F40)

    def is_overdue(self, now: datetime) -> bool:
        """Not repaired by the promised date (S12)."""
        return bool(self.job.next_due_rule == "S12" and self.job.next_due_at and self.job.next_due_at < now)

    def is_factory_overdue(self, now: datetime) -> bool:
        """Sent to the factory and not back by its date (S29)."""
        return bool(self.order and self.order.factory_overdue(now))

    def is_uncollected(self, now: datetime) -> bool:
        """Ready, but the customer has not collected it by the promised pickup date."""
        return bool(self.job.state == S.READY_FOR_PICKUP and self.order and self.order.promised_pickup_at < now)


def parse_order(data: dict, check: v.Collector) -> dict:
    """The repair order's fields; every wrong one goes to ``check``."""
    kept = data.get("accessories_kept") or []
    kept = [kept] if isinstance(kept, str) else list(kept)
    if any(item not in KEPT_ACCESSORIES for item in kept):
        check.add("accessories_kept", _("Choose valid accessories."))
    matches = (
        check(v.choice, data, "configuration", ["matches", "differs"], label=_("configuration check")) != "differs"
    )
    return {
        "accessories_kept": kept,
        "accessories_returned": check(v.text, data, "accessories_returned", max_length=500, required=False),
        "customer_items": check(v.text, data, "customer_items", max_length=500, required=False),
        "configuration_matches": matches,
        "configuration_note": check(
            v.text,
            data,
            "configuration_note",
            max_length=1000,
            required=not matches,
            label=_("Configuration differences"),
        ),
        "intake_signer_name": check(
            v.text, data, "intake_signer_name", max_length=120, label=_("Customer's printed name")
        ),
        "intake_signature": check(
            customer_signature, data, "intake_signature", required=True
        ),  # INV-1: the customer signs
    }


async def take_in(db: AsyncSession, data: dict, ctx: Context, *, office_code: str) -> Job:
    """C1: the carry-in job with its repair order, voucher code and promised pickup date (S12)."""
    check = v.Collector()  # the request's and the repair order's wrong fields, all at once
    form = check(intake.parse_intake_form, {**data, "job_type": JobType.CARRY_IN}, ctx.calendar.tz)
    order_fields = parse_order(data, check)
    appointment = None
    try:
        appointment = await appointments.for_intake(db, data.get("appointment_id"), ctx.actor.office_id)
    except v.FieldError as error:
        check.add(error.field, error.message)
    check.done()
    await not_staff(db, ctx.actor.office_id, order_fields["intake_signer_name"], "intake_signer_name")
    job = await intake.create_job(db, form, ctx, office_code=office_code)
    async with transaction(db):
        promised = sla.carry_in_repair(ctx.calendar, job.requested_at).due_at
        order = CarryInOrder(
            office_id=job.office_id,
            job_id=job.id,
            voucher_code=voucher.new_code(),
            promised_pickup_at=promised,
            **order_fields,
        )
        _add_signed_order(db, job, order, ctx)
        if appointment is not None:  # F41: the appointment turns into this drop-off
            await db.refresh(appointment)
            if appointment.state == appointments.BOOKED:  # not taken in at another desk meanwhile
                appointments.arrived(db, appointment, job.id, ctx)
    return job


def _add_signed_order(db: AsyncSession, job: Job, order: CarryInOrder, ctx: Context) -> None:
    """C1: the signed repair order is stored and the job's timeline says so, with the voucher."""
    db.add(order)
    details = {"transition": "C1", "voucher": order.voucher_code, "configuration_matches": order.configuration_matches}
    record(db, job, ctx, "repair_order_signed", details=details)


async def attach_order(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context) -> CarryInOrder:
    """C1 for a carry-in job created elsewhere (a take-back from a visit, a repeat repair): the counter's
    repair order, voucher and promised pickup date, when the device arrives."""
    check = v.Collector()
    order_fields = parse_order(data, check)
    check.done()
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        if job.job_type != JobType.CARRY_IN or job.state != S.RECEIVED or await order_for(db, job.id):
            raise DomainError(_("This job does not need a carry-in intake."))
        await not_staff(db, job.office_id, order_fields["intake_signer_name"], "intake_signer_name")
        order = CarryInOrder(
            office_id=job.office_id,
            job_id=job.id,
            voucher_code=voucher.new_code(),
            promised_pickup_at=sla.carry_in_repair(ctx.calendar, ctx.now).due_at,
            **order_fields,
        )
        _add_signed_order(db, job, order, ctx)
    return order


async def order_for(db: AsyncSession, job_id: uuid.UUID) -> CarryInOrder | None:
    return (await db.exec(select(CarryInOrder).where(CarryInOrder.job_id == job_id))).first()


async def find_by_voucher(db: AsyncSession, office_id: uuid.UUID, code: str) -> CarryInOrder:
    order = (
        await db.exec(
            select(CarryInOrder).where(
                CarryInOrder.office_id == office_id, CarryInOrder.voucher_code == voucher.normalise(code)
            )
        )
    ).first()
    if order is None:
        raise VoucherNotFound(_("No repair order has this pickup code. Check the code on the voucher."))
    return order


async def counter(db: AsyncSession, office_id: uuid.UUID) -> list[CounterRow]:
    """Carry-in jobs still at the station, oldest first."""
    rows = await db.exec(
        select(Job, CarryInOrder, Customer.name, LoanItem.code)
        .join(Customer, Customer.id == Job.customer_id)
        .outerjoin(CarryInOrder, CarryInOrder.job_id == Job.id)
        .outerjoin(Loan, (Loan.job_id == Job.id) & Loan.returned_at.is_(None))
        .outerjoin(LoanItem, LoanItem.id == Loan.item_id)
        .where(Job.office_id == office_id, Job.job_type == JobType.CARRY_IN, Job.state.in_(AT_COUNTER))
        .order_by(Job.created_at)
    )
    return [CounterRow(*row) for row in rows.all()]


STEPS = {
    "store": (S.IN_STORE, "stored"),
    "start_repair": (S.IN_REPAIR, "repair_started"),
    "repaired": (S.REPAIRED, "repaired"),
    "ready": (S.READY_FOR_PICKUP, "customer_told"),
    "ask_customer": (S.AWAITING_CUSTOMER_DECISION, "customer_decision_needed"),
    "resume": (S.IN_REPAIR, "customer_agreed"),
    "declined": (S.READY_FOR_PICKUP, "customer_declined"),
}
VOUCHER_MISMATCH = N_("The pickup code does not match. Scan the voucher, or record an identity check.")
LOAN_OUT = N_(
    "The loan equipment lent for this job is still out. Take it back (under Loan equipment) before handing over "
    "the device."
)
NOTE_REQUIRED = {"ask_customer", "declined"}  # C5: the new fault or charge noted on the order; C10: why


async def advance(
    db: AsyncSession, job_id: uuid.UUID, step: str, data: dict, ctx: Context, *, version: int | None = None
) -> Job:
    """One workshop step: storeroom (C2), repair started (C3), repaired (C6), customer told (C7)."""
    if step not in STEPS:
        raise DomainError(_("Unknown step."))
    target, kind = STEPS[step]
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        await check_version(db, job, version)
        if job.job_type != JobType.CARRY_IN:
            raise DomainError(_("This is not a carry-in job."))
        check = v.Collector()
        if step == "start_repair":
            serial = check(v.text, data, "serial", max_length=80, label=_("Scanned serial"))
            if serial is not None and serial.upper() != job.device_serial:
                check.add("serial", _("The scanned serial does not match this repair order (C3)."))
        note = check(v.text, data, "note", max_length=500, required=step in NOTE_REQUIRED, label=_("Note"))
        check.done()
        if step == "start_repair" and ctx.actor.role == "engineer":
            job.engineer_id = ctx.actor.id  # the in-station engineer takes the order
        if step == "repaired" and (order := await order_for(db, job.id)) and order.at_factory:  # S29
            raise DomainError(_("The device is still at the factory: record its return first."))
        if step == "repaired" and await parts_pending(db, job.id):  # INV-4, as for onsite jobs
            raise DomainError(
                _("A part lent for this repair is still out or not yet confirmed: the parts clerk settles it first.")
            )
        if step == "declined":
            job.outcome = "returned_unrepaired"  # C10
        await move(db, job, target, ctx, kind=kind, reason=note)
    return job


async def hand_over(
    db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None = None
) -> CarryInOrder:
    """C8: voucher (or a recorded identity check), bench re-verification and the customer's signature."""
    check = v.Collector()
    code = voucher.normalise(str(data.get("voucher_code", "")))
    identity = check(v.text, data, "identity_check", max_length=200, required=False)
    if not code and not identity:
        check.add("voucher_code", _(VOUCHER_MISMATCH))
    name = check(v.text, data, "collected_by_name", max_length=120, label=_("Name of the person collecting"))
    if not v.checkbox(data, "bench_verified"):
        check.add("bench_verified", _("Re-verify the device at the bench in front of the customer."))
    signature = check(customer_signature, data, "pickup_signature", required=True)
    check.done()
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        await check_version(db, job, version)
        order = await order_for(db, job.id)
        if order is None:
            raise DomainError(_("This job has no carry-in repair order."))
        if code != order.voucher_code and not identity:
            raise v.FieldError("voucher_code", _(VOUCHER_MISMATCH))
        if (await db.exec(select(Loan.id).where(Loan.job_id == job.id, Loan.returned_at.is_(None)))).first():
            raise DomainError(_(LOAN_OUT))  # F40: the loan item comes back before the device goes home
        await not_staff(db, job.office_id, name, "collected_by_name")
        order.collected_at, order.collected_by_name, order.identity_check = ctx.now, name, identity
        order.bench_verified, order.pickup_signature, order.handed_over_by_id = True, signature, ctx.actor.id
        db.add(order)
        await move(
            db,
            job,
            S.COLLECTED,
            ctx,
            kind="collected",
            details={"collected_by": name, "voucher": code == order.voucher_code, "identity_check": identity},
        )
    return order
