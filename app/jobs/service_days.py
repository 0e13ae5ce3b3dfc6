"""An installation's service days (F55, S26): each engineer checks in on site at the start of every day and out
at its end with the daily log. Every planned working day carries an S26 deadline from the plan on (and a day
worked outside the plan from its first check-in): a day nobody checked in on, or left without a check-out (so
without its log), is flagged the next morning, when its deadline falls due at midnight and shows red.
"""

import uuid
from datetime import date, timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError
from app.core.i18n import _
from app.jobs import sla
from app.jobs.access import get_job_for, is_on_team
from app.jobs.lifecycle import add_deadline, move, open_deadlines, record, refresh_next_due
from app.jobs.models import InstallDay, Job, JobType
from app.jobs.states import JobState

S = JobState
# From the day the team sets off until the final check-out.
ON_SITE_STATES = frozenset({S.MOBILISED, S.ON_SITE, S.SELF_CHECKED, S.HANDED_OVER})
RULE = "S26"


def today(ctx: Context) -> date:
    """The office's date of the action, by the phone's clock when it is trusted (a day queued offline counts)."""
    return ctx.calendar.local_date(ctx.device_at or ctx.now)


async def day_of(db: AsyncSession, job: Job, user_id: uuid.UUID, day: date) -> InstallDay | None:
    rows = await db.exec(
        select(InstallDay).where(InstallDay.job_id == job.id, InstallDay.user_id == user_id, InstallDay.day == day)
    )
    return rows.first()


async def days_of(db: AsyncSession, job: Job) -> list[InstallDay]:
    rows = await db.exec(select(InstallDay).where(InstallDay.job_id == job.id).order_by(InstallDay.day))
    return list(rows.all())


async def _on_the_team(db: AsyncSession, job: Job, ctx: Context) -> None:
    if job.job_type != JobType.INSTALL or job.state not in ON_SITE_STATES:
        raise DomainError(_("Service days are checked in and out while the installation team is on site."))
    if not await is_on_team(db, job, ctx.actor):
        raise DomainError(_("Only an engineer of the installation team checks in on its site."))


async def check_in(db: AsyncSession, job: Job, ctx: Context, location: str) -> InstallDay:
    """Checks the actor in for today (once a day: a second check-in changes nothing); the first check-in on site
    moves the job on site (I6)."""
    await _on_the_team(db, job, ctx)
    day = today(ctx)
    existing = await day_of(db, job, ctx.actor.id, day)
    if existing is not None:
        return existing
    entry = InstallDay(
        job_id=job.id, user_id=ctx.actor.id, day=day, checked_in_at=ctx.device_at or ctx.now, location=location
    )
    db.add(entry)
    if not any(d.rule == RULE and d.due_at == _next_morning(ctx, day) for d in await open_deadlines(db, job)):
        await add_deadline(db, job, sla.service_day(ctx.calendar, day))
    details = {"day": day.isoformat(), "location": location}
    if job.state == S.MOBILISED:
        await move(db, job, S.ON_SITE, ctx, kind="day_checked_in", details=details)
    else:
        record(db, job, ctx, "day_checked_in", details=details)
    return entry


def _next_morning(ctx: Context, day: date):
    return sla.service_day(ctx.calendar, day).due_at


async def plan_days(db: AsyncSession, job: Job, first: date, last: date, ctx: Context) -> None:
    """The service days from ``first`` to ``last``: every working day among them gets its S26 deadline; the open
    deadlines of days to come no longer planned (and not worked) are dropped, since the customer agreed the new
    days; a day already gone by stays flagged."""
    planned = {
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if ctx.calendar.is_working_day(first + timedelta(days=n))
    }
    worked = {d.day for d in await days_of(db, job)}
    wanted = {sla.service_day(ctx.calendar, day).due_at: day for day in planned}
    for deadline in await open_deadlines(db, job):
        if deadline.rule != RULE:
            continue
        day = ctx.calendar.local_date(deadline.due_at) - timedelta(days=1)
        if deadline.due_at in wanted:
            wanted.pop(deadline.due_at)
        elif day not in worked and day >= today(ctx):
            await db.delete(deadline)
    await db.flush()
    for day in sorted(wanted.values()):
        await add_deadline(db, job, sla.service_day(ctx.calendar, day))
    await refresh_next_due(db, job)


async def record_check_in(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version=None) -> Job:
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        location = v.text(data, "location", max_length=300, label=_("Where you are"))
        await check_in(db, job, ctx, location)
    return job


async def record_check_out(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version=None) -> Job:
    """Checks the actor out for today with the daily log (content, progress, problems); once everyone who
    checked in today is out, the day's S26 deadline is met."""
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        await _on_the_team(db, job, ctx)
        log = v.text(data, "log", max_length=2000, label=_("Daily log"))
        day = today(ctx)
        entry = await day_of(db, job, ctx.actor.id, day)
        if entry is None:
            raise DomainError(_("Check in for today first."))
        if entry.checked_out_at is not None:
            return job
        entry.checked_out_at, entry.log = ctx.device_at or ctx.now, log
        db.add(entry)
        await db.flush()
        if all(d.checked_out_at for d in await days_of(db, job) if d.day == day):
            for deadline in await open_deadlines(db, job):
                if deadline.rule == RULE and deadline.due_at == _next_morning(ctx, day):
                    deadline.met_at = ctx.now
                    db.add(deadline)
            await db.flush()
            await refresh_next_due(db, job)
        record(db, job, ctx, "day_checked_out", reason=log, details={"day": day.isoformat()})
    return job


def flagged(days: list[InstallDay], on: date) -> list[InstallDay]:
    """The days before ``on`` left without a check-out and daily log."""
    return [d for d in days if d.day < on and d.checked_out_at is None]


async def missed(db: AsyncSession, job: Job, calendar, now) -> list[date]:
    """The planned service days gone by with nobody checked in: their S26 deadline ran out with no day row."""
    worked = {d.day for d in await days_of(db, job)}
    days = [
        calendar.local_date(deadline.due_at) - timedelta(days=1)
        for deadline in await open_deadlines(db, job)
        if deadline.rule == RULE and deadline.due_at <= now
    ]
    return sorted(day for day in days if day not in worked)
