"""An installation's planned milestones and which of them the customer has witnessed (F56); hand-over (F57)
waits for all of them."""

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.jobs.models import InstallMilestone, InstallPlan, Job


async def witnessed(db: AsyncSession, job: Job) -> dict[int, InstallMilestone]:
    rows = await db.exec(select(InstallMilestone).where(InstallMilestone.job_id == job.id))
    return {row.position: row for row in rows.all()}


async def unwitnessed(db: AsyncSession, job: Job) -> list[str]:
    """The plan's milestones not yet witnessed, in the plan's order."""
    plan = await db.get(InstallPlan, job.id)
    done = await witnessed(db, job)
    return [name for position, name in enumerate(plan.milestones if plan else []) if position not in done]
