"""The follow-up queue and call recording (domain.md §11.1; T20, C9; F47)."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError
from app.core.i18n import _, ngettext
from app.followups.models import FollowUpCall
from app.followups.script import COMPLAINT_AREAS, MAX_ATTEMPTS, QUESTIONS
from app.jobs.access import get_job_for
from app.jobs.lifecycle import move as move_job
from app.jobs.lifecycle import record
from app.jobs.models import Customer, Job, JobDeadline
from app.jobs.states import JobState

# Done jobs waiting for their follow-up call: completed onsite, collected carry-in, departed installation.
AWAITING_FOLLOW_UP = (JobState.COMPLETED, JobState.COLLECTED, JobState.DEPARTED)
RETRY_AFTER = timedelta(hours=3)  # working time before the next attempt


@dataclass
class QueueItem:
    job: Job
    customer_name: str
    due_at: datetime | None
    attempts: int
    last_call_at: datetime | None
    retry_at: datetime | None

    def is_overdue(self, now: datetime) -> bool:
        return bool(self.due_at and self.due_at < now)

    def is_waiting_for_retry(self, now: datetime) -> bool:
        return bool(self.retry_at and self.retry_at > now)


async def queue(db: AsyncSession, office_id: uuid.UUID, limit: int = 200) -> list[QueueItem]:
    """Every done job not yet followed up, oldest completion first, with its S16 due time and attempts so far."""
    calls = (
        select(
            FollowUpCall.job_id,
            func.count().label("attempts"),
            func.max(FollowUpCall.called_at).label("last_at"),
            func.max(FollowUpCall.retry_at).label("retry_at"),
        )
        .group_by(FollowUpCall.job_id)
        .subquery()
    )
    due = (
        select(JobDeadline.job_id, func.min(JobDeadline.due_at).label("due_at"))
        .where(JobDeadline.rule == "S16", JobDeadline.met_at.is_(None))
        .group_by(JobDeadline.job_id)
        .subquery()
    )
    rows = await db.exec(
        select(Job, Customer.name, due.c.due_at, calls.c.attempts, calls.c.last_at, calls.c.retry_at)
        .join(Customer, Customer.id == Job.customer_id)
        .outerjoin(due, due.c.job_id == Job.id)
        .outerjoin(calls, calls.c.job_id == Job.id)
        .where(Job.office_id == office_id, Job.state.in_(AWAITING_FOLLOW_UP))
        .order_by(Job.completed_at.asc().nulls_first(), Job.number)
        .limit(limit)
    )
    return [
        QueueItem(job, name, due_at, attempts or 0, last_at, retry_at)
        for job, name, due_at, attempts, last_at, retry_at in rows.all()
    ]


async def calls_for(db: AsyncSession, job_id: uuid.UUID) -> list[FollowUpCall]:
    rows = await db.exec(select(FollowUpCall).where(FollowUpCall.job_id == job_id).order_by(FollowUpCall.called_at))
    return list(rows.all())


def _yes_no(data: dict, field: str, label: str) -> bool:
    return v.choice(data, field, ["yes", "no"], label=label) == "yes"


def parse_answers(data: dict) -> dict:
    """The reached call's answers: every script question, satisfied or not with a reason, a 1–5 score.
    ``FormErrors`` names every wrong answer at once."""
    check = v.Collector()
    answers = {
        key: check(v.text, data, f"q_{key}", max_length=500, required=False, label=_(text))
        for key, text in QUESTIONS.items()
    }
    satisfied = check(_yes_no, data, "satisfied", _("satisfied or not"))
    score = check(v.integer, data, "score", label=_("Score"), minimum=1)
    if score is not None and score > 5:
        check.add("score", _("Score is from 1 to 5."))
    areas = data.get("complaint_areas") or []
    areas = [areas] if isinstance(areas, str) else list(areas)
    if any(area not in COMPLAINT_AREAS for area in areas):
        check.add("complaint_areas", _("Choose a valid complaint area."))
    dissatisfied = satisfied is False
    reason = check(
        v.text, data, "reason", max_length=1000, required=dissatisfied, label=_("Reason for dissatisfaction")
    )
    if dissatisfied and not areas:
        check.add("complaint_areas", _("Choose at least one complaint area."))
    parsed = {
        "answers": answers,
        "satisfied": satisfied,
        "score": score,
        "reason": reason,
        "fault_gone": check(_yes_no, data, "fault_gone", _("whether the fault is gone")),
        "conduct_ok": check(_yes_no, data, "conduct_ok", _("the engineer's conduct")),
        "complaint_areas": areas,
        "suggestions": check(v.text, data, "suggestions", max_length=1000, required=False, label=_("Suggestions")),
    }
    check.done()
    return parsed


async def record_call(
    db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None = None
) -> FollowUpCall:
    """Records one follow-up attempt. Reached, or the third unanswered attempt, moves the job to FOLLOWED_UP."""
    check = v.Collector()
    reached = check(v.choice, data, "outcome", ["reached", "not_reached"], label=_("call outcome")) == "reached"
    parsed = check(parse_answers, data) if reached else {}
    check.done()
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        if job.state not in AWAITING_FOLLOW_UP:
            raise DomainError(_("This job is not waiting for a follow-up call."))
        attempt = len(await calls_for(db, job.id)) + 1
        call = FollowUpCall(
            office_id=job.office_id,
            job_id=job.id,
            caller_id=ctx.actor.id,
            called_at=ctx.now,
            attempt=attempt,
            reached=reached,
            **parsed,
        )
        if not reached and attempt < MAX_ATTEMPTS:
            call.retry_at = ctx.calendar.add_working_time(ctx.now, RETRY_AFTER)
            call.reason = v.text(data, "note", max_length=1000, required=False)
        db.add(call)
        await db.flush()
        details = {"call": str(call.id), "attempt": attempt, "reached": reached}
        if reached:
            details.update(satisfied=call.satisfied, score=call.score)
            await move_job(db, job, JobState.FOLLOWED_UP, ctx, kind="followed_up", reason=call.reason, details=details)
        elif attempt >= MAX_ATTEMPTS:
            await move_job(
                db,
                job,
                JobState.FOLLOWED_UP,
                ctx,
                kind="followed_up",
                reason=ngettext(
                    "Customer unreachable after %(num)s attempt.",
                    "Customer unreachable after %(num)s attempts.",
                    attempt,
                ),
                details={**details, "unreachable": True},
            )
        else:
            record(db, job, ctx, "follow_up_not_reached", details=details)
    return call


async def file_month_end(db: AsyncSession, ctx: Context) -> int:
    """Month-end filing (T21, S22): followed-up jobs completed before this month are closed. Complaints live on."""
    today = ctx.calendar.local_date(ctx.now)
    month_start = ctx.calendar.at(today.replace(day=1), datetime.min.time())
    async with transaction(db):
        rows = await db.exec(
            select(Job).where(
                Job.office_id == ctx.actor.office_id, Job.state == JobState.FOLLOWED_UP, Job.completed_at < month_start
            )
        )
        jobs = list(rows.all())
        for job in jobs:
            await move_job(db, job, JobState.CLOSED, ctx, kind="filed")
    return len(jobs)
