"""What the job page shows of an installation: the planning record, the team, the service days, the milestones
witnessed, the delays and the equipment taken away."""

import uuid
from datetime import date, datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Role, User
from app.core.calendar import WorkingCalendar
from app.installs.delays import DELAYABLE, leads
from app.installs.milestones import WITNESS_STATES
from app.installs.planning import CONDITIONS
from app.installs.site_photos import STEP
from app.installs.take_away import TAKE_AWAY_STATES
from app.jobs import milestones, service_days
from app.jobs.models import InstallPlan, InstallTakeAway, Job, JobDeadline, JobEvent, JobType
from app.visits.models import VisitPhoto
from app.visits.service import team_of


async def installation(db: AsyncSession, job: Job, user: User, calendar: WorkingCalendar, now: datetime) -> dict:
    """The installation panel's content; empty for any other kind of job."""
    if job.job_type != JobType.INSTALL:
        return {}
    plan = await db.get(InstallPlan, job.id)
    team = await team_of(db, job)
    names = {person.id: person.display_name for person in team}
    days = await service_days.days_of(db, job)
    for day in days:
        if day.user_id not in names:
            person = await db.get(User, day.user_id)
            names[day.user_id] = person.display_name if person else ""
    today = calendar.local_date(now)
    my_day = next((d for d in days if d.user_id == user.id and d.day == today), None)
    on_team = any(p.id == user.id for p in team)
    witnessed = await milestones.witnessed(db, job)
    delays = await db.exec(
        select(JobEvent).where(JobEvent.job_id == job.id, JobEvent.kind == "install_delayed").order_by(JobEvent.at)
    )
    taken = await db.exec(
        select(InstallTakeAway).where(InstallTakeAway.job_id == job.id).order_by(InstallTakeAway.taken_at)
    )
    taken_rows = list(taken.all())
    photos = await db.exec(
        select(VisitPhoto).where(
            VisitPhoto.job_id == job.id, VisitPhoto.step_key == STEP, VisitPhoto.deleted.is_(False)
        )
    )
    return {
        "plan": plan,
        "conditions": CONDITIONS,
        "team": team,
        "names": names,
        "project_manager": names.get(plan.project_manager_id, "") if plan and plan.project_manager_id else "",
        "days": days,
        "flagged": {day.id for day in service_days.flagged(days, today)},
        "my_day": my_day,
        "on_site": job.state in service_days.ON_SITE_STATES and on_team,
        "missed": await service_days.missed(db, job, calendar, now),
        "site_photos": list(photos.all()),
        "today": today,
        "witnessed": witnessed,
        "may_witness": job.state in WITNESS_STATES and on_team and my_day is not None and not my_day.checked_out_at,
        "delays": [_delay(event) for event in delays.all()],
        "may_delay": job.state in DELAYABLE and plan is not None and leads(job, plan.project_manager_id, user),
        "taken": taken_rows,
        "status_due": {row.id: (await db.get(JobDeadline, row.deadline_id)).due_at for row in taken_rows},
        "new_id": uuid.uuid4,
        "may_take_away": job.state in TAKE_AWAY_STATES and on_team,
        "may_report": on_team or user.role in {Role.COORDINATOR, Role.MANAGER},
    }


def _delay(event: JobEvent) -> dict:
    """A recorded delay as the panel lists it: when, why, and the days agreed then."""
    return {
        "at": event.at,
        "reason": event.reason,
        "resume_on": date.fromisoformat(event.details["resume_on"]),
        "last_day": date.fromisoformat(event.details["last_day"]),
    }
