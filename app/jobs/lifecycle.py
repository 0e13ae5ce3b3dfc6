"""Moving a job between states: role check, audit event, SLA clocks, and the board event (domain.md §3.1)."""

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core.calendar import WorkingCalendar
from app.core.errors import Conflict, DomainError, Forbidden
from app.core.i18n import _
from app.jobs import board_log, sla
from app.jobs.models import Job, JobDeadline, JobEvent
from app.jobs.states import JobState, find_transition, is_open
from app.jobs.texts import state_label


class StaleJob(Conflict):
    code = "stale_job"


async def check_version(db: AsyncSession, job: Job, version: int | None) -> None:
    """Refuses an edit made against an older version and says what changed meanwhile."""
    if version is None or version == job.version:
        return
    rows = await db.exec(
        select(JobEvent).where(JobEvent.job_id == job.id, JobEvent.version > version).order_by(JobEvent.at)
    )
    changes = ", ".join(describe_event(event) for event in rows.all()) or _("an edit")
    raise StaleJob(
        _(
            "This job changed while you were looking at it (%(changes)s). Reload the page and try again.",
            changes=changes,
        )
    )


def describe_event(event: JobEvent) -> str:
    if event.to_state and event.to_state != event.from_state:
        return _("moved to %(state)s", state=state_label(event.to_state))
    return event.kind.replace("_", " ")


# The events a session recorded, for the features that act on them before the transaction commits.
RECORDED_EVENTS = "recorded_job_events"
RECORDED_CALENDARS = "recorded_office_calendars"  # the office calendar each event was recorded under, by office
REASON_MAX = 1000  # job_event.reason; longer texts (an escalation's symptoms) stay whole on their own row


def recorded_calendar(db: AsyncSession, office_id: uuid.UUID) -> WorkingCalendar:
    """The calendar of the office whose events this session recorded (the actor's, for requests and the scheduler
    alike): what the features acting on those events before the commit time them with."""
    return db.info[RECORDED_CALENDARS][office_id]


def record(
    db: AsyncSession,
    job: Job,
    ctx: Context,
    kind: str,
    *,
    reason: str = "",
    details: dict[str, Any] | None = None,
    from_state: str = "",
    to_state: str = "",
) -> JobEvent:
    """Appends an audit event and bumps the job's version (every change is a new version)."""
    job.version += 1
    job.updated_at = ctx.now
    event = JobEvent(
        job_id=job.id,
        at=ctx.now,
        device_at=ctx.device_at,
        actor_id=ctx.actor.id,
        actor_role=ctx.actor.role,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        reason=reason if len(reason) <= REASON_MAX else reason[: REASON_MAX - 1] + "…",
        details=details or {},
        device=ctx.device[:200],
        version=job.version,
    )
    db.add(job)
    db.add(event)
    board_log.note(db, job.office_id, board_log.JOB, job.id, ctx.now)
    db.info.setdefault(RECORDED_EVENTS, []).append(event)
    db.info.setdefault(RECORDED_CALENDARS, {})[job.office_id] = ctx.calendar
    return event


async def move(
    db: AsyncSession,
    job: Job,
    target: JobState,
    ctx: Context,
    *,
    reason: str = "",
    details: dict[str, Any] | None = None,
    kind: str = "transition",
    automatic: bool = False,
) -> JobEvent:
    """Moves ``job`` to ``target`` if the spec allows it for the actor's role, keeping the clocks right.

    ``automatic``: the system makes the move on the actor's behalf (e.g. T17 when nothing was borrowed).
    """
    transition = find_transition(job.job_type, job.state, target)
    if transition is None:
        raise DomainError(
            _(
                "A job that is %(state)s cannot be moved to %(target)s.",
                state=state_label(job.state),
                target=state_label(target),
            )
        )
    if not automatic and ctx.actor.role_enum not in transition.roles:
        raise Forbidden(_("Your role cannot move a job to %(target)s.", target=state_label(target)))
    source = job.state
    job.state = target
    job.is_open = is_open(target)
    event = record(
        db,
        job,
        ctx,
        kind,
        reason=reason,
        from_state=source,
        to_state=target,
        details={"transition": transition.code, **({"automatic": True} if automatic else {}), **(details or {})},
    )
    await _update_clocks(db, job, source, target, ctx)
    return event


# Clocks that keep running after the team leaves the site.
OUTLIVE_THE_VISIT = frozenset({"S28"})


async def open_deadlines(db: AsyncSession, job: Job) -> list[JobDeadline]:
    rows = await db.exec(select(JobDeadline).where(JobDeadline.job_id == job.id, JobDeadline.met_at.is_(None)))
    return list(rows.all())


async def add_deadline(db: AsyncSession, job: Job, due: sla.Due) -> None:
    db.add(JobDeadline(job_id=job.id, rule=due.rule, due_at=due.due_at, warn_at=due.warn_at))
    await db.flush()
    await refresh_next_due(db, job)


async def meet(db: AsyncSession, job: Job, rules: set[str] | None, at: datetime) -> None:
    """Marks the job's open deadlines of ``rules`` (all when None) as met at ``at``."""
    for deadline in await open_deadlines(db, job):
        if rules is None or deadline.rule in rules:
            deadline.met_at = at
            db.add(deadline)
    await db.flush()
    await refresh_next_due(db, job)


async def refresh_next_due(db: AsyncSession, job: Job) -> None:
    """Keeps the job's nearest open deadline on the job row, for the board's sort and filters."""
    nearest = (
        await db.exec(
            select(JobDeadline.due_at, JobDeadline.warn_at, JobDeadline.rule)
            .where(JobDeadline.job_id == job.id, JobDeadline.met_at.is_(None))
            .order_by(JobDeadline.due_at, JobDeadline.rule)
            .limit(1)
        )
    ).first()
    job.next_due_at = nearest.due_at if nearest else None
    job.next_warn_at = nearest.warn_at if nearest else None
    job.next_due_rule = nearest.rule if nearest else ""
    db.add(job)


async def _update_clocks(db: AsyncSession, job: Job, source: str, target: JobState, ctx: Context) -> None:
    S = JobState
    if target == S.ASSIGNED:  # S3 runs from the request until the job is dispatched to an engineer
        await meet(db, job, {"S3"}, ctx.now)
    elif target in {S.IN_PROGRESS, S.RESOLVED}:  # a consultation answered
        await meet(db, job, {"S11"}, ctx.now)
    elif target in {S.ON_SITE, S.MOBILISED}:
        await meet(db, job, {"S5", "S6", "S7"}, ctx.device_at or ctx.now)
    elif target in {S.SIGNED_OFF, S.UNRESOLVED, S.DECLINED}:
        await add_deadline(db, job, sla.service_report(ctx.calendar, ctx.now))
    elif target == S.REPAIRED:
        await meet(db, job, {"S12"}, ctx.now)
        await add_deadline(db, job, sla.pickup_notice(ctx.calendar, ctx.now))
    elif target == S.READY_FOR_PICKUP:
        await meet(db, job, {"S13"}, ctx.now)
    elif target == S.COMPLETED:
        job.completed_at = ctx.now
        job.unfinished_after = None
        await meet(db, job, {"S15"}, ctx.now)
        await add_deadline(db, job, sla.follow_up(ctx.now))
    elif target in {S.COLLECTED, S.DEPARTED}:  # carry-in and installation jobs enter the follow-up queue too
        job.completed_at = ctx.now
        # every clock of the visit ends here, but equipment taken away still owes its status report (S28)
        await meet(db, job, {d.rule for d in await open_deadlines(db, job)} - OUTLIVE_THE_VISIT, ctx.now)
        await add_deadline(db, job, sla.follow_up(ctx.now))
    elif target == S.FOLLOWED_UP:
        await meet(db, job, {d.rule for d in await open_deadlines(db, job)} - OUTLIVE_THE_VISIT, ctx.now)
    elif target in {S.CANCELLED, S.CLOSED}:
        await meet(db, job, None, ctx.now)
    if not job.is_open:
        job.unfinished_after = None
