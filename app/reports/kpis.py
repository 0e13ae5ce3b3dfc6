"""KPI queries for the management report (domain.md §11.4, S17). Every figure is one SQL aggregate.

Which jobs a figure counts:
- volumes: jobs *received* (created) in the period;
- SLA compliance and carry-over: deadlines *due* in the period that are met or already past due (for SLA
  compliance, the call-backs of S2 too: met when closed, answered or handed to a consultation case);
- first-time fix and comebacks: jobs *completed* in the period;
- appointment rate (S18): onsite arrivals *made* in the period;
- satisfaction: follow-up calls *made* in the period; complaints *opened* in the period.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Float, Integer, and_, case, cast, exists, func, literal, not_, or_, type_coerce, union_all
from sqlalchemy.orm import aliased
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.callbacks.models import CallBack
from app.followups.models import Complaint, FollowUpCall
from app.jobs.models import Device, Job, JobDeadline, JobEvent

COMEBACK_DAYS = 30  # Appendix A #20
CARRY_OVER_TARGET = 0.05  # S17: < 5 %
PROMISE_RULES = ("S5", "S6", "S7", "S12")  # promised dates: a miss is a carry-over
NOT_FIXED_OUTCOMES = ("declined", "taken_back", "returned_unrepaired")
DIMENSIONS = ("engineer", "zone", "model")


@dataclass(frozen=True)
class Scope:
    """The office, the period [start, end), the report's 'now', and optional filters."""

    office_id: uuid.UUID
    start: datetime
    end: datetime
    now: datetime
    engineer_id: uuid.UUID | None = None
    zone: str = ""
    model: str = ""


@dataclass
class RuleCompliance:
    rule: str
    total: int
    on_time: int
    median_delay_s: float
    p90_delay_s: float

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.total if self.total else None


@dataclass
class KpiReport:
    """The management report's figures for one scope (office, period, optional engineer, zone or model)."""

    volumes: dict[tuple[str, str], int] = field(default_factory=dict)  # (job_type, state) -> jobs
    sla: list[RuleCompliance] = field(default_factory=list)
    completed: int = 0
    first_time_fixes: int = 0
    comebacks: int = 0
    carry_over_due: int = 0
    carry_over_late: int = 0
    arrivals: int = 0  # S18: onsite arrivals in the period
    arrivals_in_window: int = 0  # ... by the end of the appointment window agreed with the customer
    calls_reached: int = 0
    satisfied: int = 0
    average_score: float | None = None
    unreachable: int = 0
    complaints: dict[str, int] = field(default_factory=dict)
    parts: dict | None = None

    @property
    def first_time_fix_rate(self) -> float | None:
        return self.first_time_fixes / self.completed if self.completed else None

    @property
    def comeback_rate(self) -> float | None:
        return self.comebacks / self.completed if self.completed else None

    @property
    def carry_over_rate(self) -> float | None:
        return self.carry_over_late / self.carry_over_due if self.carry_over_due else None

    @property
    def appointment_rate(self) -> float | None:
        """S18 (EXTENDED, no alarm): the share of arrivals that kept the agreed appointment window."""
        return self.arrivals_in_window / self.arrivals if self.arrivals else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.calls_reached if self.calls_reached else None


def seconds_between(later, earlier, dialect: str):
    """``later - earlier`` in seconds, as SQL, on PostgreSQL and SQLite."""
    if dialect == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def _job_filters(scope: Scope, job=Job) -> list:
    clauses = [job.office_id == scope.office_id]
    if scope.engineer_id:
        clauses.append(job.engineer_id == scope.engineer_id)
    if scope.zone:
        clauses.append(job.zone == scope.zone)
    if scope.model:
        clauses.append(
            job.device_id.in_(select(Device.id).where(Device.office_id == scope.office_id, Device.model == scope.model))
        )
    return clauses


async def volumes(db: AsyncSession, scope: Scope) -> dict[tuple[str, str], int]:
    rows = await db.exec(
        select(Job.job_type, Job.state, func.count())
        .where(*_job_filters(scope), Job.created_at >= scope.start, Job.created_at < scope.end)
        .group_by(Job.job_type, Job.state)
    )
    return {(job_type, state): count for job_type, state, count in rows.all()}


def _due_and_settled(scope: Scope):
    """Deadlines due in the period that are decided: met, or already past due at the report's 'now'."""
    return _settled(scope, JobDeadline.due_at, JobDeadline.met_at)


async def sla_compliance(db: AsyncSession, scope: Scope) -> list[RuleCompliance]:
    """Per time rule: deadlines counted, met on time, and the median and p90 delay (0 when on time); the call-backs
    (S2) with them while the report is not narrowed to an engineer, zone or model (a call has none of those)."""
    deadlines = select(
        JobDeadline.rule.label("rule"), JobDeadline.due_at.label("due_at"), JobDeadline.met_at.label("met_at")
    ).join(Job, Job.id == JobDeadline.job_id)
    sources = [deadlines.where(*_job_filters(scope), _due_and_settled(scope))]
    if not (scope.engineer_id or scope.zone or scope.model):
        calls = select(literal("S2").label("rule"), CallBack.due_at.label("due_at"), CallBack.closed_at.label("met_at"))
        sources.append(
            calls.where(CallBack.office_id == scope.office_id, _settled(scope, CallBack.due_at, CallBack.closed_at))
        )
    return await _compliance(db, scope, union_all(*sources).subquery())


def _settled(scope: Scope, due, met):
    """Clocks due in the period that are decided: met, or already past due at the report's 'now'."""
    now = type_coerce(scope.now, due.type)
    return and_(due >= scope.start, due < scope.end, or_(met.is_not(None), due < now))


async def _compliance(db: AsyncSession, scope: Scope, clocks) -> list[RuleCompliance]:
    """``clocks``: rows of (rule, due_at, met_at). Percentiles use the nearest-rank method with window functions,
    the same on both databases."""
    dialect = db.bind.dialect.name
    now = type_coerce(scope.now, JobDeadline.due_at.type)
    raw = seconds_between(func.coalesce(clocks.c.met_at, now), clocks.c.due_at, dialect)
    delay = case((raw > 0, raw), else_=literal(0.0))
    on_time = case((and_(clocks.c.met_at.is_not(None), clocks.c.met_at <= clocks.c.due_at), 1), else_=0)
    ranked = select(
        clocks.c.rule.label("rule"),
        cast(delay, Float).label("delay"),
        on_time.label("on_time"),
        func.row_number().over(partition_by=clocks.c.rule, order_by=delay).label("rn"),
        func.count().over(partition_by=clocks.c.rule).label("n"),
    ).subquery()
    median_rank = (ranked.c.n + 1) // 2  # ceil(n / 2) in integer arithmetic
    p90_rank = (ranked.c.n * 9 + 9) // 10  # ceil(0.9 n)
    rows = await db.exec(
        select(
            ranked.c.rule,
            func.max(ranked.c.n),
            func.sum(ranked.c.on_time),
            func.max(case((ranked.c.rn == median_rank, ranked.c.delay))),
            func.max(case((ranked.c.rn == p90_rank, ranked.c.delay))),
        )
        .group_by(ranked.c.rule)
        .order_by(ranked.c.rule)
    )
    return [
        RuleCompliance(rule, total, int(on or 0), float(median or 0), float(p90 or 0))
        for rule, total, on, median, p90 in rows.all()
    ]


def first_time_fix_clause(dialect: str, job=Job):
    """Fixed on the first visit, with no comeback within 30 days (§11.4): no revisit (T18a), a 'fixed'
    outcome, and no repeat-repair job opened within 30 days of completion."""
    return and_(not_(_revisited(job)), job.outcome.not_in(NOT_FIXED_OUTCOMES), not_(_comeback(dialect, job)))


def _revisited(job):
    return exists().where(
        JobEvent.job_id == job.id, JobEvent.from_state == "PARTS_CONFIRMED", JobEvent.to_state == "SCHEDULED"
    )


def _comeback(dialect: str, job):
    child = aliased(Job)
    return exists().where(
        child.parent_job_id == job.id,
        child.repeat_repair,
        seconds_between(child.created_at, job.completed_at, dialect) <= COMEBACK_DAYS * 86400,
    )


async def fixes(db: AsyncSession, scope: Scope) -> tuple[int, int, int]:
    """Jobs completed in the period, first-time fixes among them, and comebacks."""
    dialect = db.bind.dialect.name
    row = (
        await db.exec(
            select(
                func.count(),
                func.sum(cast(first_time_fix_clause(dialect), Integer)),
                func.sum(cast(_comeback(dialect, Job), Integer)),
            ).where(*_job_filters(scope), Job.completed_at >= scope.start, Job.completed_at < scope.end)
        )
    ).one()
    return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)


async def carry_over(db: AsyncSession, scope: Scope) -> tuple[int, int]:
    """Promised dates (arrival S5–S7, carry-in S12) due in the period, and how many were missed."""
    late = case((or_(JobDeadline.met_at.is_(None), JobDeadline.met_at > JobDeadline.due_at), 1), else_=0)
    row = (
        await db.exec(
            select(func.count(), func.sum(late))
            .join(Job, Job.id == JobDeadline.job_id)
            .where(*_job_filters(scope), _due_and_settled(scope), JobDeadline.rule.in_(PROMISE_RULES))
        )
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


async def appointments(db: AsyncSession, scope: Scope) -> tuple[int, int]:
    """S18: onsite arrivals (on site, by the phone's time when it gave one) in the period, and how many came by
    the end of the job's agreed appointment window. A job without an agreed window counts as not kept."""
    arrived = func.coalesce(JobEvent.device_at, JobEvent.at)
    kept = case((and_(Job.appointment_end.is_not(None), arrived <= Job.appointment_end), 1), else_=0)
    row = (
        await db.exec(
            select(func.count(), func.sum(kept))
            .select_from(JobEvent)
            .join(Job, Job.id == JobEvent.job_id)
            .where(
                *_job_filters(scope),
                Job.job_type == "ONSITE",
                JobEvent.to_state == "ON_SITE",
                JobEvent.at >= scope.start,
                JobEvent.at < scope.end,
            )
        )
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


async def satisfaction(db: AsyncSession, scope: Scope) -> tuple[int, int, float | None, int]:
    """Calls that reached the customer, satisfied ones, the average 1–5 score, and unanswered attempts."""
    reached = case((FollowUpCall.reached, 1), else_=0)
    happy = case((and_(FollowUpCall.reached, FollowUpCall.satisfied), 1), else_=0)
    score = case((FollowUpCall.reached, FollowUpCall.score))
    row = (
        await db.exec(
            select(
                func.sum(reached), func.sum(happy), func.avg(score), func.sum(case((FollowUpCall.reached, 0), else_=1))
            )
            .join(Job, Job.id == FollowUpCall.job_id)
            .where(*_job_filters(scope), FollowUpCall.called_at >= scope.start, FollowUpCall.called_at < scope.end)
        )
    ).one()
    return int(row[0] or 0), int(row[1] or 0), float(row[2]) if row[2] is not None else None, int(row[3] or 0)


async def complaints_by_area(db: AsyncSession, scope: Scope) -> dict[str, int]:
    rows = await db.exec(
        select(Complaint.area, func.count())
        .join(Job, Job.id == Complaint.job_id)
        .where(*_job_filters(scope), Complaint.opened_at >= scope.start, Complaint.opened_at < scope.end)
        .group_by(Complaint.area)
    )
    return dict(rows.all())


async def parts_kpis(db: AsyncSession, scope: Scope) -> dict | None:
    """Parts hit rate (units used ÷ units borrowed), stock hit rate and borrow failures, from the ledger (§6.5)."""
    from app.parts.models import MovementKind, PartMovement

    def movements(*kinds):
        query = select(PartMovement.unit_id, PartMovement.job_id).where(
            PartMovement.office_id == scope.office_id,
            PartMovement.at >= scope.start,
            PartMovement.at < scope.end,
            PartMovement.kind.in_(kinds),
        )
        if scope.engineer_id:
            query = query.where(PartMovement.engineer_id == scope.engineer_id)
        return query

    borrowed = await db.scalar(select(func.count()).select_from(movements(MovementKind.CHECK_OUT).subquery()))
    used = await db.scalar(
        select(func.count()).select_from(movements(MovementKind.FIT, MovementKind.RETURN_FAULTY).distinct().subquery())
    )
    failures = await db.scalar(select(func.count()).select_from(movements(MovementKind.BORROW_FAILURE).subquery()))
    return {
        "hit_rate": used / borrowed if borrowed else None,
        "borrowed": borrowed,
        "used": used,
        "stock_rate": borrowed / (borrowed + failures) if borrowed + failures else None,
        "borrow_failures": failures,
    }


async def build_kpi_report(db: AsyncSession, scope: Scope) -> KpiReport:
    report = KpiReport(volumes=await volumes(db, scope), sla=await sla_compliance(db, scope))
    report.completed, report.first_time_fixes, report.comebacks = await fixes(db, scope)
    report.carry_over_due, report.carry_over_late = await carry_over(db, scope)
    report.arrivals, report.arrivals_in_window = await appointments(db, scope)
    (report.calls_reached, report.satisfied, report.average_score, report.unreachable) = await satisfaction(db, scope)
    report.complaints = await complaints_by_area(db, scope)
    report.parts = await parts_kpis(db, scope)
    return report


@dataclass
class BreakdownRow:
    key: str
    received: int
    completed: int
    first_time_fixes: int

    @property
    def first_time_fix_rate(self) -> float | None:
        return self.first_time_fixes / self.completed if self.completed else None


async def breakdown(db: AsyncSession, scope: Scope, dimension: str) -> list[BreakdownRow]:
    """Per engineer, zone or device model: jobs received and completed in the period, and first-time fixes."""
    from app.accounts.models import User

    dialect = db.bind.dialect.name
    received = and_(Job.created_at >= scope.start, Job.created_at < scope.end)
    completed = and_(Job.completed_at >= scope.start, Job.completed_at < scope.end)
    key = {"engineer": func.coalesce(User.display_name, ""), "zone": Job.zone, "model": Device.model}[dimension]
    query = (
        select(
            key,
            func.sum(case((received, 1), else_=0)),
            func.sum(case((completed, 1), else_=0)),
            func.sum(case((and_(completed, first_time_fix_clause(dialect)), 1), else_=0)),
        )
        .select_from(Job)
        .where(*_job_filters(scope), or_(received, completed))
        .group_by(key)
        .order_by(key)
    )
    if dimension == "engineer":
        query = query.outerjoin(User, User.id == Job.engineer_id)
    elif dimension == "model":
        query = query.join(Device, Device.id == Job.device_id)
    rows = await db.exec(query)
    return [BreakdownRow(name or "—", int(r or 0), int(c or 0), int(f or 0)) for name, r, c, f in rows.all()]


@dataclass
class TrendPoint:
    label: str
    complaints: int
    satisfaction_rate: float | None


async def monthly_trend(
    db: AsyncSession, scope: Scope, months: list[tuple[str, datetime, datetime]]
) -> list[TrendPoint]:
    """Complaints opened and satisfaction per month (§11.4: monthly count and trend), oldest month first."""
    points = []
    for label, start, end in months:
        month = Scope(
            office_id=scope.office_id,
            start=start,
            end=end,
            now=scope.now,
            engineer_id=scope.engineer_id,
            zone=scope.zone,
            model=scope.model,
        )
        reached, happy, _score, _unreachable = await satisfaction(db, month)
        complaints = sum((await complaints_by_area(db, month)).values())
        points.append(TrendPoint(label, complaints, happy / reached if reached else None))
    return points


def is_rising(points: list[TrendPoint]) -> bool:
    """Complaints rose in each of the last three months: the VP in charge is told (§11.4)."""
    last = [p.complaints for p in points[-3:]]
    return len(last) == 3 and last[0] < last[1] < last[2]
