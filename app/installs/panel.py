"""What the job page shows of an installation: the planning record, the team, the service days."""

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import User
from app.core.calendar import WorkingCalendar
from app.installs.planning import CONDITIONS
from app.installs.site_photos import STEP
from app.jobs import service_days
from app.jobs.models import InstallPlan, Job, JobType
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
        "my_day": next((d for d in days if d.user_id == user.id and d.day == today), None),
        "on_site": job.state in service_days.ON_SITE_STATES and any(p.id == user.id for p in team),
        "site_photos": list(photos.all()),
        "today": today,
    }
