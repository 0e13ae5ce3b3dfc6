"""Taking a repair request: customer and device, duplicate check, job number, first clocks (F01–F03, T1–T2)."""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, or_, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError
from app.core.i18n import LANGUAGES, _
from app.jobs import sla
from app.jobs.lifecycle import add_deadline, move, record
from app.jobs.models import (
    Channel,
    Customer,
    Device,
    FaultJudgement,
    Job,
    JobNumberCounter,
    JobType,
    OnsitePeriod,
    Priority,
    WarrantyBasis,
    WarrantyStatus,
    Zone,
)
from app.jobs.states import INITIAL_STATE, JobState

AfterCreate = Callable[[AsyncSession, Job], Awaitable[None]]


@dataclass
class IntakeForm:
    job_type: str
    customer_id: uuid.UUID | None
    customer_name: str
    organisation: str
    customer_phone: str
    site_address: str
    zone: str
    contact_name: str
    contact_phone: str
    device_model: str
    device_serial: str
    purchase_date: date | None
    warranty_status: str
    warranty_basis: str
    onsite_period: str
    fault_description: str
    fault_judgement: str
    channel: str
    priority: str
    requested_at: datetime | None
    policy_explained: bool
    confirm_duplicate: bool
    customer_locale: str = ""
    customer_email: str = ""

    @property
    def paid(self) -> bool:
        """Out of warranty or a software fault: the paid-service rule applies (domain.md §8)."""
        return self.warranty_status == WarrantyStatus.OUT_OF_WARRANTY or self.fault_judgement == "software"


class DuplicateJob(DomainError):
    """An open job already exists for this device serial; shown before a second one is created."""

    code = "duplicate_job"

    def __init__(self, jobs: list[Job]) -> None:
        super().__init__(
            _("An open job already exists for this device serial. Check it before creating another."),
            field="device_serial",
        )
        # Plain values: the transaction is rolled back before the page shows them.
        self.jobs = [{"id": job.id, "number": job.number, "state": job.state} for job in jobs]


def parse_local_datetime(raw: str, field: str, tz, label: str) -> datetime | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=tz).astimezone(UTC)
    except ValueError:
        raise v.FieldError(field, _("%(label)s is not a valid date and time.", label=label)) from None


def parse_date(raw: str, field: str, label: str) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise v.FieldError(field, _("%(label)s is not a valid date.", label=label)) from None


def parse_intake_form(data: dict, tz) -> IntakeForm:
    """Every mandatory field filled (INV-6, F01); raises ``FormErrors`` naming every gap at once."""
    check = v.Collector()
    customer_id = None
    if raw_id := str(data.get("customer_id", "") or "").strip():
        try:
            customer_id = uuid.UUID(raw_id)
        except ValueError:
            check.add("customer_id", _("Choose the customer again."))
    new_customer = customer_id is None and "customer_id" not in check.errors
    fields = dict(
        job_type=check(v.choice, data, "job_type", list(JobType), label=_("job type")),
        channel=check(v.choice, data, "channel", list(Channel), label=_("request channel")),
        priority=check(v.choice, data, "priority", list(Priority), label=_("priority")),
        requested_at=check(
            parse_local_datetime, str(data.get("requested_at", "")), "requested_at", tz, _("Request time")
        ),
        customer_id=customer_id,
        customer_name=check(
            v.text, data, "customer_name", max_length=120, required=new_customer, label=_("Customer name")
        ),
        organisation=check(v.text, data, "organisation", max_length=160, required=False, label=_("Organisation")),
        customer_phone=check(v.phone, data, "customer_phone", required=new_customer, label=_("Customer phone")),
        customer_email=check(v.email, data, "customer_email", label=_("Customer e-mail")) or "",
        site_address=check(v.text, data, "site_address", max_length=300, label=_("Site address")),
        zone=check(v.choice, data, "zone", list(Zone), label=_("service zone")),
        contact_name=check(v.text, data, "contact_name", max_length=120, label=_("Contact person")),
        contact_phone=check(v.phone, data, "contact_phone", label=_("Contact phone")),
        device_model=check(v.text, data, "device_model", max_length=120, label=_("Device model")),
        device_serial=(check(v.text, data, "device_serial", max_length=80, label=_("Device serial")) or "").upper(),
        purchase_date=check(parse_date, str(data.get("purchase_date", "")), "purchase_date", _("Purchase date")),
        warranty_status=check(v.choice, data, "warranty_status", list(WarrantyStatus), label=_("warranty status")),
        warranty_basis=check(v.choice, data, "warranty_basis", list(WarrantyBasis), label=_("warranty basis")),
        onsite_period=check(
            v.choice,
            {"onsite_period": data.get("onsite_period") or OnsitePeriod.UNKNOWN},
            "onsite_period",
            list(OnsitePeriod),
            label=_("onsite-period status"),
        ),
        fault_description=check(v.text, data, "fault_description", max_length=2000, label=_("Fault description")),
        fault_judgement=check(v.choice, data, "fault_judgement", list(FaultJudgement), label=_("fault judgement")),
        policy_explained=v.checkbox(data, "policy_explained"),
        confirm_duplicate=v.checkbox(data, "confirm_duplicate"),
        customer_locale=v.choice(data, "customer_locale", ["", *LANGUAGES], label=_("language")),
    )
    form = IntakeForm(**fields)
    if form.warranty_status not in (None, WarrantyStatus.UNKNOWN) and form.warranty_basis == WarrantyBasis.NONE:
        check.add("warranty_basis", _("Say what the warranty status is based on (F02)."))
    elif form.onsite_period not in (None, OnsitePeriod.UNKNOWN) and form.warranty_basis == WarrantyBasis.NONE:
        check.add("warranty_basis", _("Say what the onsite-period status is based on (F02)."))
    if form.paid and not form.policy_explained:
        check.add(
            "policy_explained", _("This is paid service: explain the policy to the customer and tick the box (T2).")
        )
    check.done()
    return form


async def open_jobs_for_serial(db: AsyncSession, office_id: uuid.UUID, serial: str) -> list[Job]:
    rows = await db.exec(
        select(Job).where(Job.office_id == office_id, Job.device_serial == serial.upper(), Job.is_open)
    )
    return list(rows.all())


async def find_customers(db: AsyncSession, office_id: uuid.UUID, query: str, limit: int = 10) -> list[Customer]:
    """Customers whose name or phone contains ``query``, or who own a device with that serial."""
    query = query.strip()[:80]
    if len(query) < 2:
        return []
    pattern = f"%{query.lower()}%"
    by_serial = select(Device.customer_id).where(Device.office_id == office_id, Device.serial == query.upper())
    rows = await db.exec(
        select(Customer)
        .where(Customer.office_id == office_id)
        .where(
            or_(
                func.lower(Customer.name).like(pattern),
                Customer.phone.like(f"%{query}%"),
                Customer.id.in_(by_serial),
            )
        )
        .order_by(Customer.name)
        .limit(limit)
    )
    return list(rows.all())


async def next_job_number(db: AsyncSession, office_id: uuid.UUID, office_code: str, now: datetime, tz) -> str:
    """``MAIN-2611-0042``: office, year and month, and a gap-free sequence in that month."""
    period = now.astimezone(tz).strftime("%y%m")
    # One UPDATE takes the row lock, so two intakes at once never get the same number.
    last = (
        await db.exec(
            update(JobNumberCounter)
            .where(JobNumberCounter.office_id == office_id, JobNumberCounter.period == period)
            .values(last=JobNumberCounter.last + 1)
            .returning(JobNumberCounter.last)
        )
    ).scalar()
    if last is None:
        db.add(JobNumberCounter(office_id=office_id, period=period, last=1))
        await db.flush()
        last = 1
    return f"{office_code}-{period}-{last:04d}"


async def create_job(
    db: AsyncSession, form: IntakeForm, ctx: Context, *, office_code: str, then: AfterCreate | None = None
) -> Job:
    """Records the request (T1) and, for onsite jobs, hands it to dispatch (T2) with its first clocks. ``then``
    runs in the same transaction with the new job (a call-back closes on the case it opened)."""
    office_id = ctx.actor.office_id
    async with transaction(db):
        duplicates = await open_jobs_for_serial(db, office_id, form.device_serial)
        if duplicates and not form.confirm_duplicate:
            raise DuplicateJob(duplicates)
        customer = await _customer(db, form, office_id, ctx.now)
        device = await _device(db, form, customer, office_id)
        requested_at = min(form.requested_at or ctx.now, ctx.now)
        if requested_at < ctx.now - timedelta(days=30):
            raise v.FieldError("requested_at", _("The request time is more than 30 days ago."))
        job = Job(
            number=await next_job_number(db, office_id, office_code, ctx.now, ctx.calendar.tz),
            office_id=office_id,
            job_type=form.job_type,
            state=INITIAL_STATE[JobType(form.job_type)],
            priority=form.priority,
            channel=form.channel,
            customer_id=customer.id,
            device_id=device.id,
            device_serial=device.serial,
            site_address=form.site_address,
            zone=form.zone,
            contact_name=form.contact_name,
            contact_phone=form.contact_phone,
            warranty_status=form.warranty_status,
            warranty_basis=form.warranty_basis,
            onsite_period=form.onsite_period,
            fault_description=form.fault_description,
            fault_judgement=form.fault_judgement,
            paid=form.paid,
            requested_at=requested_at,
            created_at=ctx.now,
            created_by_id=ctx.actor.id,
            updated_at=ctx.now,
            version=0,
        )
        await add_job(db, job, ctx, job.requested_at, details={"duplicate_confirmed": bool(duplicates)})
        if then is not None:
            await then(db, job)
    return job


async def add_job(
    db: AsyncSession, job: Job, ctx: Context, clocks_from: datetime, *, reason: str = "", details: dict
) -> None:
    """A new job's row, its T1 "created" history line and its first clocks (from ``clocks_from``): the one way a
    request, a converted case, a take-back or a repeat repair comes into being."""
    db.add(job)
    await db.flush()
    record(db, job, ctx, "created", reason=reason, to_state=job.state, details={"transition": "T1", **details})
    await start_clocks(db, job, ctx, clocks_from)


async def start_clocks(db: AsyncSession, job: Job, ctx: Context, start: datetime) -> None:
    """A new job's first clocks, counted from ``start``; an onsite job is handed to dispatch (T2).

    The hand-over is the system's own move, so whoever opened the job (a follow-up caller's repeat repair
    included) need not be allowed T2 themselves."""
    calendar = ctx.calendar
    if job.job_type == JobType.ONSITE:
        await add_deadline(db, job, sla.dispatch(calendar, start))
        await add_deadline(db, job, sla.first_contact(calendar, start))
        if arrival := sla.arrival(calendar, start, job.zone):
            await add_deadline(db, job, arrival)
        await move(db, job, JobState.QUEUED_FOR_DISPATCH, ctx, kind="handed_to_dispatch", automatic=True)
    elif job.job_type == JobType.CARRY_IN:
        await add_deadline(db, job, sla.carry_in_repair(calendar, start))
    elif job.job_type == JobType.CASE:
        await add_deadline(db, job, sla.hard_question(calendar, start))


async def _customer(db: AsyncSession, form: IntakeForm, office_id: uuid.UUID, now: datetime) -> Customer:
    if form.customer_id:
        customer = await db.get(Customer, form.customer_id)
        if customer is None or customer.office_id != office_id:
            raise v.FieldError("customer_id", _("Choose the customer again."))
        return customer
    customer = Customer(
        office_id=office_id,
        name=form.customer_name,
        organisation=form.organisation,
        phone=form.customer_phone,
        email=form.customer_email,
        address=form.site_address,
        zone=form.zone,
        locale=form.customer_locale,
        created_at=now,
    )
    db.add(customer)
    await db.flush()
    return customer


async def _device(db: AsyncSession, form: IntakeForm, customer: Customer, office_id: uuid.UUID) -> Device:
    device = (
        await db.exec(select(Device).where(Device.office_id == office_id, Device.serial == form.device_serial))
    ).first()
    if device is None:
        device = Device(
            office_id=office_id,
            customer_id=customer.id,
            model=form.device_model,
            serial=form.device_serial,
            purchase_date=form.purchase_date,
        )
    elif device.customer_id != customer.id:
        raise v.FieldError(
            "device_serial",
            _("This serial belongs to another customer's device. Check the serial, or find that customer."),
        )
    else:
        device.model = form.device_model
        device.purchase_date = form.purchase_date or device.purchase_date
    db.add(device)
    await db.flush()
    return device
