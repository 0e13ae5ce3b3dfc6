"""What the scheduler does with clocks that ran out: tells whoever is responsible for an overdue clock (and the
manager once it is ``ONSITE_OVERDUE_ESCALATE_MINUTES`` past due), tells the hotline of a call-back not made in time
(S2), passes an unacknowledged escalation up the
technical chain (F53), and reminds a customer whose device waits past its pickup date.

Each clock is handled once: a ``clock_tick`` row keyed by the clock and its deadline is written in the transaction
that acts on it, so a tick after a restart (or a second tick) finds it done. Each item commits on its own."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context, load_calendar
from app.accounts.models import Office, Role, User
from app.callbacks.models import CallBack
from app.callbacks.service import OPEN as CALL_BACK_OPEN
from app.carryin.models import CarryInOrder
from app.core.database import transaction
from app.core.i18n import _, office_locale
from app.core.settings import Settings
from app.jobs import sla
from app.jobs.escalations import TIERS
from app.jobs.lifecycle import add_deadline, record
from app.jobs.models import Escalation, Job, JobDeadline, JobType
from app.jobs.states import JobState
from app.jobs.texts import ESCALATION_TIERS
from app.notify.models import ClockTick
from app.notify.outbox import staff, tell_customer, tell_office_staff, tell_staff
from app.notify.texts import Moment, Words, speaking
from app.notify.triggers import job_names

ENGINEER_RULES = {"S5", "S6", "S7", "S12", "S15", "S26", "S27", "S28"}  # the job's engineer (an installation's lead)
ROLE_FOR_RULE = {
    "S12": Role.RECEPTION,
    "S13": Role.RECEPTION,
    "S15": Role.COORDINATOR,
    "S16": Role.FOLLOW_UP,
    "S29": Role.RECEPTION,  # when the named person has left
    "S31": Role.MANAGER,  # when the lead is no longer named
}
ACK_RULES = ("ESC_ACK", "S11")
PICKUP_WAIT = timedelta(days=1)  # a device ready less than this long is not yet reminded of


@dataclass(frozen=True)
class SystemActor:
    """The scheduler, as the actor of the job events it records."""

    id: None = None
    role: str = "system"


def _not_done(kind: str, subject, due):
    return ~exists().where(and_(ClockTick.kind == kind, ClockTick.subject_id == subject, ClockTick.due_at == due))


async def _once(db: AsyncSession, kind: str, subject_id: uuid.UUID, due_at: datetime, now: datetime) -> None:
    db.add(ClockTick(kind=kind, subject_id=subject_id, due_at=due_at, done_at=now))
    await db.flush()  # a tick of another process got there first: IntegrityError, nothing of this one stays


async def sweep(sessionmaker, settings: Settings, now: datetime) -> int:
    """One pass over every clock; returns how many it acted on."""
    done = 0
    for kind, find, act in (
        ("overdue", _overdue, _tell_responsible),
        ("overdue_manager", _long_overdue(settings), _tell_manager),
        ("f53", _unacknowledged, _pass_up),
        ("pickup", _uncollected, _remind_customer),
        ("call_back", _late_call_backs, _tell_call_back),
    ):
        async with sessionmaker() as db:
            items = await find(db, now)
        for subject_id, due_at, item in items:
            async with sessionmaker() as db:
                try:
                    async with transaction(db):
                        await _once(db, kind, subject_id, due_at, now)
                        await act(db, item, settings, now)
                    done += 1
                except IntegrityError:
                    continue
    return done


async def _overdue(db: AsyncSession, now: datetime, before: timedelta = timedelta(0), kind: str = "overdue"):
    rows = await db.exec(
        select(JobDeadline)
        .join(Job, Job.id == JobDeadline.job_id)
        .where(
            Job.is_open,
            JobDeadline.met_at.is_(None),
            JobDeadline.due_at <= now - before,
            # an unacknowledged escalation passes up the chain instead; a consultation's S11 has no chain
            or_(JobDeadline.rule.not_in(ACK_RULES), Job.job_type == JobType.CASE),
            _not_done(kind, JobDeadline.id, JobDeadline.due_at),
        )
        .order_by(JobDeadline.due_at)
    )
    return [(deadline.id, deadline.due_at, deadline) for deadline in rows.all()]


def _long_overdue(settings: Settings):
    async def find(db: AsyncSession, now: datetime):
        return await _overdue(db, now, timedelta(minutes=settings.overdue_escalate_minutes), "overdue_manager")

    return find


async def responsible(db: AsyncSession, job: Job, rule: str) -> list[User]:
    if (named := await _named_person(db, job, rule)) is not None:
        return [named]
    if rule in ENGINEER_RULES and job.engineer_id:
        return [await db.get(User, job.engineer_id)]
    if rule == "S11" and job.job_type == JobType.CASE:  # the specialists answer; the hotline when there are none
        return await staff(db, job.office_id, Role.SPECIALIST) or await staff(db, job.office_id, Role.COORDINATOR)
    return await staff(db, job.office_id, ROLE_FOR_RULE.get(rule, Role.COORDINATOR))


async def _named_person(db: AsyncSession, job: Job, rule: str) -> User | None:
    """S29: the person named when the device went to the factory; S31: the office's system-integration lead."""
    user_id = None
    if rule == "S29":
        order = (await db.exec(select(CarryInOrder).where(CarryInOrder.job_id == job.id))).first()
        user_id = order.factory_responsible_id if order else None
    elif rule == "S31":
        user_id = (await db.get(Office, job.office_id)).integration_lead_id
    user = await db.get(User, user_id) if user_id else None
    return user if user is not None and user.is_active and user.office_id == job.office_id else None


def _overdue_names(names, deadline: JobDeadline, **extra: str):
    rule = Words(sla.RULE_LABELS[deadline.rule]) if deadline.rule in sla.RULE_LABELS else deadline.rule
    return {**names, "rule": rule, "due": Moment(deadline.due_at), **extra}


async def _tell_responsible(db: AsyncSession, deadline: JobDeadline, settings: Settings, now: datetime) -> None:
    job = await db.get(Job, deadline.job_id)
    names = _overdue_names(await job_names(db, job), deadline)
    users = await responsible(db, job, deadline.rule)
    await tell_staff(db, job, users, "overdue", f"overdue:{deadline.id}:{deadline.due_at.isoformat()}", names, now)


async def _tell_manager(db: AsyncSession, deadline: JobDeadline, settings: Settings, now: datetime) -> None:
    job = await db.get(Job, deadline.job_id)
    who = ", ".join(user.display_name for user in await responsible(db, job, deadline.rule)) or "-"
    names = _overdue_names(await job_names(db, job), deadline, responsible=who)
    managers = await staff(db, job.office_id, Role.MANAGER)
    key = f"overdue_manager:{deadline.id}:{deadline.due_at.isoformat()}"
    await tell_staff(db, job, managers, "overdue_manager", key, names, now)


async def _unacknowledged(db: AsyncSession, now: datetime):
    """Open, unacknowledged escalations whose latest acknowledgement clock has run out."""
    latest = (
        select(JobDeadline.job_id, func.max(JobDeadline.due_at).label("due_at"))
        .where(JobDeadline.rule.in_(ACK_RULES), JobDeadline.met_at.is_(None))
        .group_by(JobDeadline.job_id)
        .subquery()
    )
    rows = await db.exec(
        select(Escalation, latest.c.due_at)
        .join(latest, latest.c.job_id == Escalation.job_id)
        .where(
            Escalation.acknowledged_at.is_(None),
            Escalation.resolved_at.is_(None),
            latest.c.due_at <= now,
            _not_done("f53", Escalation.id, latest.c.due_at),
        )
    )
    return [(escalation.id, due_at, escalation) for escalation, due_at in rows.all()]


async def _pass_up(db: AsyncSession, escalation: Escalation, settings: Settings, now: datetime) -> None:
    """F53: the next tier of the chain, with a fresh acknowledgement clock; the managers are told (S30). At the
    top of the chain the case stays where it is and only the managers are told."""
    escalation = await db.get(Escalation, escalation.id)
    job = await db.get(Job, escalation.job_id)
    position = TIERS.index(escalation.tier)
    if position + 1 < len(TIERS):
        escalation.tier = TIERS[position + 1]
        db.add(escalation)
        calendar = await load_calendar(db, job.office_id, settings)
        ctx = Context(actor=SystemActor(), now=now, calendar=calendar)
        await add_deadline(db, job, sla.escalation(calendar, now, escalation.level)[0])
        with speaking(office_locale()):
            reason = _("Not acknowledged in time: passed up the chain automatically (F53).")
        record(db, job, ctx, "escalation_raised", reason=reason, details={"tier": escalation.tier, "automatic": True})
    tier = escalation.tier
    moved = {**await job_names(db, job), "level": escalation.level, "tier": Words(ESCALATION_TIERS[tier])}
    managers = await staff(db, job.office_id, Role.MANAGER)
    await tell_staff(db, job, managers, "escalation_moved", f"f53:{escalation.id}:{tier}:{now.isoformat()}", moved, now)


async def _uncollected(db: AsyncSession, now: datetime):
    rows = await db.exec(
        select(CarryInOrder)
        .join(Job, Job.id == CarryInOrder.job_id)
        .where(
            Job.state == JobState.READY_FOR_PICKUP,
            Job.updated_at <= now - PICKUP_WAIT,
            CarryInOrder.collected_at.is_(None),
            CarryInOrder.promised_pickup_at <= now,
            _not_done("pickup", CarryInOrder.job_id, CarryInOrder.promised_pickup_at),
        )
    )
    return [(order.job_id, order.promised_pickup_at, order) for order in rows.all()]


async def _remind_customer(db: AsyncSession, order: CarryInOrder, settings: Settings, now: datetime) -> None:
    job = await db.get(Job, order.job_id)
    names = await job_names(db, job)
    key = f"pickup_reminder:{job.id}:{order.promised_pickup_at.isoformat()}"
    await tell_customer(db, job, "pickup_reminder", key, {**names, "since": Moment(job.updated_at, "day")}, now)


async def _late_call_backs(db: AsyncSession, now: datetime):
    """S2: call-backs still to make after their due time."""
    rows = await db.exec(
        select(CallBack).where(
            CallBack.state == CALL_BACK_OPEN,
            CallBack.due_at <= now,
            _not_done("call_back", CallBack.id, CallBack.due_at),
        )
    )
    return [(row.id, row.due_at, row) for row in rows.all()]


async def _tell_call_back(db: AsyncSession, row: CallBack, settings: Settings, now: datetime) -> None:
    """The office's coordinators (the hotline) and whoever took the call, in the app."""
    users = await staff(db, row.office_id, Role.COORDINATOR)
    taker = await db.get(User, row.taken_by_id)
    if taker is not None and taker.is_active and taker.office_id == row.office_id and taker not in users:
        users.append(taker)
    names = {"customer": row.customer_name, "phone": row.phone, "subject": row.subject, "due": Moment(row.due_at)}
    key = f"call_back:{row.id}:{row.due_at.isoformat()}"
    await tell_office_staff(db, (row.office_id, row.job_id), users, "call_back_overdue", key, names, now, by_sms=False)
