"""The daily hand-over of collected money (F44; seed 000: 交款给行政专员): whoever took payments hands them to the
office's administrative specialist, who confirms the amount received for each payment; a difference is kept with
a note, and payments not reconciled a day after they were taken are shown to the manager."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.models import Role, User
from app.audit.trail import acted
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import Conflict, DomainError, Forbidden, NotFound
from app.core.i18n import _
from app.jobs.models import Job
from app.sync.idempotency import different_content
from app.visits.models import HandoverLine, Payment, PaymentHandover
from app.visits.payments import MAX_CENTS
from app.visits.pricing import cents_of, format_cents

RECEIVERS = {Role.ADMINISTRATIVE.value, Role.MANAGER.value}
OVERDUE_AFTER = timedelta(days=1)


@dataclass
class Row:
    payment: Payment
    job_number: str
    job_id: uuid.UUID
    received_cents: int | None = None  # counted by the receiver, once confirmed

    @property
    def cash(self) -> bool:
        return self.payment.method == "cash"


@dataclass
class Bundle:
    """Payments with their totals: cash apart from the other methods, as the money is counted apart."""

    rows: list[Row] = field(default_factory=list)

    @property
    def cash_cents(self) -> int:
        return sum(row.payment.amount_cents for row in self.rows if row.cash)

    @property
    def other_cents(self) -> int:
        return sum(row.payment.amount_cents for row in self.rows if not row.cash)

    @property
    def total_cents(self) -> int:
        return self.cash_cents + self.other_cents


@dataclass
class Handover:
    handover: PaymentHandover
    handed_by: User
    receiver: User
    bundle: Bundle

    @property
    def difference_cents(self) -> int:
        received = self.handover.received_cents
        return 0 if received is None else received - self.handover.expected_cents


def _payment_rows(query):
    return query.join(Job, Job.id == Payment.job_id).order_by(Payment.at)


async def not_handed_over(db: AsyncSession, user: User) -> Bundle:
    """The payments ``user`` took that are in no hand-over yet."""
    query = _payment_rows(
        select(Payment, Job.number, Job.id)
        .outerjoin(HandoverLine, HandoverLine.payment_id == Payment.id)
        .where(Payment.received_by_id == user.id, HandoverLine.payment_id.is_(None))
    )
    return Bundle([Row(payment, number, job_id) for payment, number, job_id in (await db.exec(query)).all()])


async def receivers(db: AsyncSession, office_id: uuid.UUID, giver: User) -> list[User]:
    """Who may take the money: the office's administrative specialists first, then its managers; not the giver."""
    query = select(User).where(
        User.office_id == office_id, User.is_active, User.role.in_(RECEIVERS), User.id != giver.id
    )
    users = list((await db.exec(query)).all())
    return sorted(users, key=lambda user: (user.role != Role.ADMINISTRATIVE, user.display_name))


def _handover_id(data: dict) -> uuid.UUID:
    try:
        return uuid.UUID(str(data.get("handover_id", "")))
    except ValueError:
        raise DomainError(_("This form is out of date. Reload the page and try again.")) from None


async def hand_over(db: AsyncSession, data: dict, ctx: Context) -> PaymentHandover:
    """Hands every payment the actor still holds to the chosen receiver. The form names the total it showed: when
    a payment was taken meanwhile, the page is out of date and nothing is handed over."""
    handover_id = _handover_id(data)
    async with transaction(db):
        existing = await db.get(PaymentHandover, handover_id)
        if existing is not None:
            if existing.handed_by_id != ctx.actor.id or str(existing.receiver_id) != str(data.get("receiver_id")):
                raise DomainError(different_content())
            return existing
        choices = {str(user.id): user for user in await receivers(db, ctx.actor.office_id, ctx.actor)}
        receiver_key = v.choice(data, "receiver_id", list(choices), label=_("receiver"))
        bundle = await not_handed_over(db, ctx.actor)
        if not bundle.rows:
            raise DomainError(_("You hold no payments to hand over."))
        if str(data.get("expected", "")) != str(bundle.total_cents):
            raise Conflict(_("Payments changed since this page was shown. Check the list again and hand over."))
        handover = PaymentHandover(
            id=handover_id,
            office_id=ctx.actor.office_id,
            handed_by_id=ctx.actor.id,
            receiver_id=choices[receiver_key].id,
            handed_at=ctx.now,
            expected_cents=bundle.total_cents,
        )
        db.add(handover)
        await db.flush()
        for row in bundle.rows:
            db.add(HandoverLine(payment_id=row.payment.id, handover_id=handover.id))
        details = {
            "to": choices[receiver_key].username,
            "payments": len(bundle.rows),
            "cash": format_cents(bundle.cash_cents),
            "other": format_cents(bundle.other_cents),
        }
        db.add(acted(ctx, "payments_handed_over", "payment_handover", str(handover.id), details))
    return handover


async def _lines(db: AsyncSession, handover_id: uuid.UUID) -> Bundle:
    query = _payment_rows(
        select(Payment, Job.number, Job.id, HandoverLine.received_cents)
        .join(HandoverLine, HandoverLine.payment_id == Payment.id)
        .where(HandoverLine.handover_id == handover_id)
    )
    return Bundle([Row(p, number, job_id, received) for p, number, job_id, received in (await db.exec(query)).all()])


async def _handover(db: AsyncSession, handover: PaymentHandover) -> Handover:
    return Handover(
        handover,
        await db.get(User, handover.handed_by_id),
        await db.get(User, handover.receiver_id),
        await _lines(db, handover.id),
    )


async def handover_for(db: AsyncSession, handover_id: uuid.UUID, user: User) -> Handover:
    """A hand-over of the user's office, for a receiver (404 for any other office's)."""
    handover = await db.get(PaymentHandover, handover_id)
    if handover is None or handover.office_id != user.office_id:
        raise NotFound(_("This hand-over does not exist."))
    return await _handover(db, handover)


async def my_handovers(db: AsyncSession, user: User, limit: int = 10) -> list[Handover]:
    query = (
        select(PaymentHandover)
        .where(PaymentHandover.handed_by_id == user.id)
        .order_by(PaymentHandover.handed_at.desc())
        .limit(limit)
    )
    return [await _handover(db, handover) for handover in (await db.exec(query)).all()]


async def waiting(db: AsyncSession, office_id: uuid.UUID) -> list[Handover]:
    """Hand-overs of the office not confirmed yet, oldest first."""
    query = (
        select(PaymentHandover)
        .where(PaymentHandover.office_id == office_id, PaymentHandover.confirmed_at.is_(None))
        .order_by(PaymentHandover.handed_at)
    )
    return [await _handover(db, handover) for handover in (await db.exec(query)).all()]


async def with_differences(db: AsyncSession, office_id: uuid.UUID, since: datetime) -> list[Handover]:
    """Confirmed hand-overs whose money did not match, newest first."""
    query = (
        select(PaymentHandover)
        .where(
            PaymentHandover.office_id == office_id,
            PaymentHandover.confirmed_at >= since,
            PaymentHandover.received_cents != PaymentHandover.expected_cents,
        )
        .order_by(PaymentHandover.confirmed_at.desc())
    )
    return [await _handover(db, handover) for handover in (await db.exec(query)).all()]


@dataclass
class Overdue:
    payment: Payment
    job_number: str
    job_id: uuid.UUID
    holder: str  # who took the money
    handed_over: bool  # handed over, not yet confirmed


async def overdue(db: AsyncSession, office_id: uuid.UUID, now: datetime) -> list[Overdue]:
    """Payments of the office taken more than a day ago and not reconciled: never handed over, or handed over and
    not confirmed (for the manager)."""
    query = (
        select(Payment, Job.number, Job.id, User.display_name, HandoverLine.handover_id)
        .join(Job, Job.id == Payment.job_id)
        .join(User, User.id == Payment.received_by_id)
        .outerjoin(HandoverLine, HandoverLine.payment_id == Payment.id)
        .outerjoin(PaymentHandover, PaymentHandover.id == HandoverLine.handover_id)
        .where(
            Payment.office_id == office_id,
            Payment.at < now - OVERDUE_AFTER,
            PaymentHandover.confirmed_at.is_(None),
        )
        .order_by(Payment.at)
    )
    rows = (await db.exec(query)).all()
    return [Overdue(payment, number, job_id, name, line is not None) for payment, number, job_id, name, line in rows]


def _counted(data: dict, bundle: Bundle) -> dict[uuid.UUID, int]:
    """The amount the receiver counted for each payment, in cents."""
    check, counted = v.Collector(), {}
    for row in bundle.rows:
        name = f"received_{row.payment.id}"
        try:
            cents = cents_of(str(data.get(name, "")).strip())
        except ValueError:
            cents = -1
        if not 0 <= cents <= MAX_CENTS:
            check.add(name, _("Give the amount received in yuan, for example 350.00 (0 when nothing arrived)."))
        counted[row.payment.id] = cents
    check.done()
    return counted


async def confirm(db: AsyncSession, handover_id: uuid.UUID, data: dict, ctx: Context) -> PaymentHandover:
    """The receiver confirms the amount received for each payment; any difference needs a note. The same
    confirmation sent again changes nothing; another one after it is refused."""
    async with transaction(db):
        handover = await db.get(PaymentHandover, handover_id, with_for_update=True)
        if handover is None or handover.office_id != ctx.actor.office_id:
            raise NotFound(_("This hand-over does not exist."))
        if ctx.actor.role not in RECEIVERS or ctx.actor.id == handover.handed_by_id:
            raise Forbidden(_("Only the administrative specialist or a manager confirms money handed to them."))
        if ctx.actor.id != handover.receiver_id and ctx.actor.role != Role.MANAGER:
            raise Forbidden(_("This money was handed to someone else: they confirm it."))
        bundle = await _lines(db, handover.id)
        counted = _counted(data, bundle)
        note = v.text(data, "note", max_length=500, required=False, label=_("Note on the difference"))
        if handover.confirmed_at is not None:
            if all(row.received_cents == counted[row.payment.id] for row in bundle.rows):
                return handover
            raise DomainError(_("This hand-over is already confirmed."))
        received = sum(counted.values())
        if any(counted[row.payment.id] != row.payment.amount_cents for row in bundle.rows) and not note:
            raise v.FieldError("note", _("The amounts differ: say what happened in the note."))
        for row in bundle.rows:
            line = await db.get(HandoverLine, row.payment.id)
            line.received_cents = counted[row.payment.id]
            db.add(line)
        handover.received_cents, handover.note = received, note
        handover.confirmed_by_id, handover.confirmed_at = ctx.actor.id, ctx.now
        db.add(handover)
        details = {
            "expected": format_cents(handover.expected_cents),
            "received": format_cents(received),
            "note": note,
        }
        db.add(acted(ctx, "payments_reconciled", "payment_handover", str(handover.id), details))
    return handover
