"""Planning an installation before anyone travels (domain.md §10 B–C, F54): the site conditions with photos,
a postponement with its reason and agreed date, and the plan with its team, project manager, days and milestones.
"""

import uuid
from datetime import date, time, timedelta

from sqlalchemy import delete
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.models import Role, User
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError
from app.core.i18n import N_, _
from app.installs.site_photos import SitePhoto, save_site_photos
from app.jobs import service_days, sla
from app.jobs.access import get_job_for
from app.jobs.lifecycle import add_deadline, check_version, meet, move
from app.jobs.models import InstallPlan, Job, JobTeamMember, JobType
from app.jobs.states import JobState
from app.visits.models import VisitPhoto

S = JobState
# What the service manager confirms with the customer before an installation is planned (§10 B).
CONDITIONS = {
    "place": N_("Place and access"),
    "environment": N_("Environment: power, space, temperature"),
    "scope": N_("Scope of the work"),
    "arrival": N_("Required arrival time"),
    "preparations": N_("Both sides' preparations"),
    "site_rules": N_("Local policy, project-office and site rules"),
}
MAX_SERVICE_DAYS = 60
TAKE_UP = "TAKE_UP"
MAX_MILESTONES = 20


async def plan_of(db: AsyncSession, job: Job) -> InstallPlan:
    """The job's planning record, created empty on first use."""
    plan = await db.get(InstallPlan, job.id)
    if plan is None:
        plan = InstallPlan(job_id=job.id)
        db.add(plan)
    return plan


async def _installation(db: AsyncSession, job_id: uuid.UUID, ctx: Context, version: int | None) -> Job:
    job = await get_job_for(db, job_id, ctx.actor, lock=True)
    if job.job_type != JobType.INSTALL:
        raise DomainError(_("Only an installation job has this step."))
    await check_version(db, job, version)
    return job


async def check_conditions(
    db: AsyncSession, job_id: uuid.UUID, data: dict, photos: list[SitePhoto], ctx: Context, *, version: int | None
) -> Job:
    """The site conditions call: all confirmed, with photos of the site (I1), or not met, postponed to an agreed
    date with the reason (I2)."""
    async with transaction(db):
        job = await _installation(db, job_id, ctx, version)
        if job.state != S.REQUESTED:
            raise DomainError(_("The site conditions are checked while the installation is requested."))
        check = v.Collector()
        met = check(v.choice, data, "outcome", ["met", "not_met"], label=_("outcome")) == "met"
        note = check(v.text, data, "note", max_length=1000, required=False, label=_("Note"))
        plan = await plan_of(db, job)
        if met:
            if not all(v.checkbox(data, f"condition_{code}") for code in CONDITIONS):
                check.add("conditions", _("Confirm every condition before the installation is planned."))
            if not photos and not await _has_site_photos(db, job):
                check.add("photo", _("Add at least one photo of the site."))
            check.done()
            await save_site_photos(db, job, photos, ctx)
            plan.conditions, plan.conditions_note, plan.conditions_at = list(CONDITIONS), note, ctx.now
            plan.postponed_until, plan.postpone_reason = None, ""
            db.add(plan)
            await move(db, job, S.CONDITIONS_CONFIRMED, ctx, reason=note, kind="conditions_confirmed")
            return job
        reason = check(v.text, data, "reason", max_length=500, label=_("Reason"))
        until = check(_day, data, "postponed_until", _("Agreed new date"), ctx)
        check.done()
        await save_site_photos(db, job, photos, ctx)
        plan.postponed_until, plan.postpone_reason = until, reason
        db.add(plan)
        await move(db, job, S.POSTPONED, ctx, reason=reason, kind="postponed", details={"until": until.isoformat()})
        await add_deadline(db, job, _take_up_by(ctx, until))
    return job


async def resume(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None) -> Job:
    """The agreed date has come (or the customer is ready sooner): the conditions are checked again (I3)."""
    async with transaction(db):
        job = await _installation(db, job_id, ctx, version)
        if job.state != S.POSTPONED:
            raise DomainError(_("Only a postponed installation can be taken up again."))
        await move(db, job, S.REQUESTED, ctx, kind="postponement_ended")
        await meet(db, job, {TAKE_UP}, ctx.now)
    return job


def _take_up_by(ctx: Context, until: date) -> sla.Due:
    """The agreed date is a promise too (§10 B); the postponed job turns amber the day before and red on the day."""
    due = ctx.calendar.at(until, ctx.calendar.start)
    return sla.Due(TAKE_UP, due, min(due, ctx.calendar.at(until - timedelta(days=1), ctx.calendar.start)))


async def make_plan(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version: int | None) -> Job:
    """The plan (I4): engineers of the office, a project manager when two or more go (F54), the service days,
    the milestones and the plan's steps and risk measures."""
    async with transaction(db):
        job = await _installation(db, job_id, ctx, version)
        if job.state != S.CONDITIONS_CONFIRMED:
            raise DomainError(_("An installation is planned once its site conditions are confirmed."))
        check = v.Collector()
        lead = await _engineer(db, data.get("engineer_id", ""), job.office_id, check, "engineer_id")
        team = [
            member
            for raw in data.get("team", [])
            if raw and (member := await _engineer(db, raw, job.office_id, check, "team"))
        ]
        people = {person.id: person for person in [lead, *team] if person}
        manager_id = str(data.get("project_manager_id", "") or "")
        manager = next((p for p in people.values() if str(p.id) == manager_id), None)
        if len(people) >= 2 and manager is None:
            check.add("project_manager_id", _("Two or more engineers need a project manager chosen from the team."))
        first = check(_day, data, "first_day", _("First service day"), ctx)
        last = check(_day, data, "last_day", _("Last service day"), ctx)
        if first and last and not first <= last <= first + timedelta(days=MAX_SERVICE_DAYS):
            check.add("last_day", _("The last service day is on or after the first, within 60 days."))
        milestones = [line.strip()[:200] for line in str(data.get("milestones", "")).splitlines() if line.strip()]
        if not milestones or len(milestones) > MAX_MILESTONES:
            check.add("milestones", _("List the milestones the customer witnesses, one a line (at most 20)."))
        steps = check(v.text, data, "plan", max_length=2000, label=_("Plan: steps, goals and risk measures"))
        check.done()
        plan = await plan_of(db, job)
        plan.project_manager_id = manager.id if manager else None
        plan.first_day, plan.last_day, plan.milestones, plan.plan = first, last, milestones, steps
        db.add(plan)
        job.engineer_id = lead.id
        await db.exec(delete(JobTeamMember).where(JobTeamMember.job_id == job.id))
        for person in people.values():
            if person.id != lead.id:
                db.add(JobTeamMember(job_id=job.id, user_id=person.id))
        _set_service_days(job, first, last, ctx)
        await service_days.plan_days(db, job, first, last, ctx)
        details = {
            "engineer": lead.display_name,
            "team": [p.display_name for p in people.values()],
            "project_manager": manager.display_name if manager else "",
            "first_day": first.isoformat(),
            "last_day": last.isoformat(),
            "milestones": milestones,
        }
        await move(db, job, S.PLANNED, ctx, reason=steps, kind="planned", details=details)
    return job


def _set_service_days(job: Job, first: date, last: date, ctx: Context) -> None:
    """The agreed days, shown as the job's appointment; open after the last one, the job turns unfinished."""
    job.appointment_start = ctx.calendar.at(first, time(8, 0))
    job.appointment_end = ctx.calendar.end_of_day(last)
    job.unfinished_after = ctx.calendar.end_of_day(last)


def _day(data: dict, field: str, label: str, ctx: Context) -> date:
    try:
        day = date.fromisoformat(str(data.get(field, "")).strip())
    except ValueError:
        raise v.FieldError(field, _("%(label)s must be a date.", label=label)) from None
    if day < ctx.calendar.local_date(ctx.now):
        raise v.FieldError(field, _("%(label)s is in the past.", label=label))
    return day


async def _engineer(db: AsyncSession, raw, office_id: uuid.UUID, check: v.Collector, field: str) -> User | None:
    try:
        person = await db.get(User, uuid.UUID(str(raw)))
    except ValueError:
        person = None
    if person is None or person.office_id != office_id or person.role != Role.ENGINEER or not person.is_active:
        check.add(field, _("Choose active onsite engineers of this office."))
        return None
    return person


async def _has_site_photos(db: AsyncSession, job: Job) -> bool:
    rows = await db.exec(
        select(VisitPhoto.id).where(VisitPhoto.job_id == job.id, VisitPhoto.step_key == "site_conditions")
    )
    return rows.first() is not None
