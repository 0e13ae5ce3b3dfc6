"""A delay during an installation (domain.md §10 B/E, S27): the installation lead (or a coordinator) records why
and the new agreed days; the service days are planned again and the customer is told (app/notify/triggers.py),
the message reaching them meets the S27 clock (app/notify/sender.py)."""

import uuid
from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.models import Role
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError
from app.core.i18n import _
from app.installs.planning import MAX_SERVICE_DAYS, _day, _installation, _set_service_days, plan_of
from app.jobs import service_days, sla
from app.jobs.lifecycle import add_deadline, record
from app.jobs.models import Job
from app.jobs.states import JobState

S = JobState
# After the plan and before the hand-over: the team may still slip.
DELAYABLE = frozenset({S.PLANNED, S.MOBILISED, S.ON_SITE, S.SELF_CHECKED})


def leads(job: Job, project_manager_id, user) -> bool:
    """The installation lead: the lead engineer or the project manager; coordinators act for them."""
    return user.role in {Role.COORDINATOR, Role.MANAGER} or user.id in {job.engineer_id, project_manager_id}


async def record_delay(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version=None) -> Job:
    async with transaction(db):
        job = await _installation(db, job_id, ctx, version)
        plan = await plan_of(db, job)
        if job.state not in DELAYABLE:
            raise DomainError(_("A delay is recorded after the plan and before the hand-over."))
        if not leads(job, plan.project_manager_id, ctx.actor):
            raise DomainError(_("Only the installation lead or a coordinator records a delay."))
        check = v.Collector()
        reason = check(v.text, data, "reason", max_length=500, label=_("Reason for the delay"))
        resume = check(_day, data, "resume_on", _("Work continues on"), ctx)
        last = check(_day, data, "last_day", _("New last service day"), ctx)
        if resume and last and not resume <= last <= resume + timedelta(days=MAX_SERVICE_DAYS):
            check.add("last_day", _("The last service day is on or after the first, within 60 days."))
        check.done()
        previous = plan.last_day
        plan.last_day = last
        plan.first_day = min(plan.first_day or resume, resume)
        db.add(plan)
        _set_service_days(job, resume, last, ctx)
        await service_days.plan_days(db, job, resume, last, ctx)
        await add_deadline(db, job, sla.delay_told(ctx.calendar, ctx.now))
        details = {
            "resume_on": resume.isoformat(),
            "last_day": last.isoformat(),
            "previous_last_day": previous.isoformat() if previous else "",
        }
        record(db, job, ctx, "install_delayed", reason=reason, details=details)
    return job
