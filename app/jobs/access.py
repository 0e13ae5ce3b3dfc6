"""Who may see which job (F59): same office; an engineer only their own jobs; reception carry-in jobs; the
follow-up caller the follow-up queue's jobs; the technical specialist consultation cases and the jobs made from
them. A manager's view of a customer's data is recorded."""

import uuid

from litestar import Request
from litestar.exceptions import NotFoundException
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Role, User
from app.audit import trail
from app.core.database import transaction
from app.jobs.models import Job, JobEvent, JobTeamMember, JobType
from app.jobs.states import JobState

# The follow-up caller sees the queue: done jobs and those already followed up (domain.md §12.3).
FOLLOW_UP_STATES = frozenset(
    {JobState.COMPLETED, JobState.COLLECTED, JobState.DEPARTED, JobState.FOLLOWED_UP, JobState.CLOSED}
)


async def is_on_team(db: AsyncSession, job: Job, user: User) -> bool:
    if job.engineer_id == user.id:
        return True
    row = await db.exec(select(JobTeamMember).where(JobTeamMember.job_id == job.id, JobTeamMember.user_id == user.id))
    return row.first() is not None


async def get_job_for(db: AsyncSession, job_id: uuid.UUID, user: User, *, lock: bool = False) -> Job:
    """The job if ``user`` may see it; otherwise 404, so a guessed id reveals nothing."""
    query = select(Job).where(Job.id == job_id)
    if lock and db.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    job = (await db.exec(query)).first()
    if job is None or job.office_id != user.office_id:
        raise NotFoundException()
    waiting_in_store = job.job_type == JobType.CARRY_IN and job.state == JobState.IN_STORE and not job.engineer_id
    if user.role == Role.ENGINEER and not waiting_in_store and not await is_on_team(db, job, user):
        raise NotFoundException()
    if user.role == Role.RECEPTION and job.job_type != JobType.CARRY_IN:
        raise NotFoundException()
    if user.role == Role.SPECIALIST and not await _case_or_from_case(db, job):
        raise NotFoundException()
    if user.role == Role.FOLLOW_UP and not (job.state in FOLLOW_UP_STATES or job.repeat_repair):
        raise NotFoundException()
    return job


async def _case_or_from_case(db: AsyncSession, job: Job) -> bool:
    """The technical specialist sees consultation cases and the jobs they were converted into."""
    if job.job_type == JobType.CASE:
        return True
    parent = await db.get(Job, job.parent_job_id) if job.parent_job_id else None
    return parent is not None and parent.job_type == JobType.CASE


async def customer_viewed(db: AsyncSession, request: Request, job: Job, page: str) -> None:
    """A manager looked at a page showing a customer's personal data: recorded in the audit log and on the job's
    timeline (§12.1). The job's version is not bumped, so nobody editing the job is told it changed."""
    if request.user.role != Role.MANAGER:
        return
    entry = await trail.log(db, request, "customer_view", "job", str(job.id), {"number": job.number, "page": page})
    async with transaction(db):
        db.add(
            JobEvent(
                job_id=job.id,
                at=entry.at,
                actor_id=entry.actor_id,
                actor_role=entry.actor_role,
                kind="customer_data_viewed",
                details={"page": page},
                device=entry.device,
                version=job.version,
            )
        )
