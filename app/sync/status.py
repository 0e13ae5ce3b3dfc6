"""What an engineer's phone reports about its outbox: checked, kept to the engineer's own jobs, stored."""

import uuid
from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import User
from app.core.database import insert_if_missing, transaction
from app.core.errors import DomainError
from app.core.i18n import _
from app.jobs import board_log
from app.jobs.models import Job, JobTeamMember
from app.sync.models import PhoneStatus

MAX_COUNT = 100_000


async def record_phone_status(db: AsyncSession, user: User, report, now: datetime, reported_at: datetime) -> int:
    """Stores the phone's pending count, its counts per job and its last sync; returns the pending count.

    Counts for jobs the engineer is not assigned to (another engineer's job, a guessed id) are dropped, so one
    phone cannot put "changes waiting" on somebody else's job on the board."""
    if not isinstance(report, dict):
        raise DomainError(_("The pending count must be a whole number."))
    pending = report.get("pending")
    if type(pending) is not int or not 0 <= pending <= MAX_COUNT:
        raise DomainError(_("The pending count must be a whole number."))
    by_job = _pending_by_job(report.get("jobs", {}))
    last_sync = _last_sync(report.get("last_sync_at"), now)
    async with transaction(db):
        own = await _own_job_ids(db, user, by_job.keys())
        await insert_if_missing(db, PhoneStatus, {"user_id": user.id, "pending_by_job": {}}, ["user_id"])
        status = await db.get(PhoneStatus, user.id)
        shown = (status.pending_changes, dict(status.pending_by_job or {}), status.last_sync_at)
        status.pending_changes = pending
        status.pending_by_job = {job_id: count for job_id, count in by_job.items() if job_id in own}
        status.last_sync_at = last_sync or status.last_sync_at
        status.reported_at = reported_at
        db.add(status)
        _tell_boards(db, user.office_id, shown, status, now)
    return pending


def _tell_boards(db: AsyncSession, office_id: uuid.UUID, shown: tuple, status: PhoneStatus, now: datetime) -> None:
    """Boards redraw the engineers' panel, and the rows whose "changes on the phone" moved, when they differ."""
    pending, by_job, last_sync = shown
    if (pending, by_job, last_sync) != (status.pending_changes, status.pending_by_job, status.last_sync_at):
        board_log.note(db, office_id, board_log.PHONE, None, now)
    for job_id in by_job.keys() | status.pending_by_job.keys():
        if by_job.get(job_id) != status.pending_by_job.get(job_id):
            board_log.note(db, office_id, board_log.JOB, uuid.UUID(job_id), now)


async def _own_job_ids(db: AsyncSession, user: User, job_ids) -> set[str]:
    """Those of ``job_ids`` the engineer leads or is on the team of."""
    ids = [uuid.UUID(job_id) for job_id in job_ids]
    if not ids:
        return set()
    team = select(JobTeamMember.job_id).where(JobTeamMember.user_id == user.id)
    query = select(Job.id).where(Job.id.in_(ids), or_(Job.engineer_id == user.id, Job.id.in_(team)))
    return {str(job_id) for job_id in (await db.exec(query)).all()}


def _pending_by_job(raw) -> dict[str, int]:
    """``{job id: count}`` as the phone sends it; anything else is refused rather than half-stored."""
    if not isinstance(raw, dict) or len(raw) > 1000:
        raise DomainError(_("The pending count per job must map job ids to whole numbers."))
    counts = {}
    for key, count in raw.items():
        try:
            job_id = str(uuid.UUID(str(key)))
        except ValueError:
            raise DomainError(_("The pending count per job must map job ids to whole numbers.")) from None
        if type(count) is not int or not 0 < count <= MAX_COUNT:
            raise DomainError(_("The pending count per job must map job ids to whole numbers."))
        counts[job_id] = count
    return counts


def _last_sync(raw, now: datetime) -> datetime | None:
    """The phone's last successful sync: a time with its zone, never later than now."""
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise DomainError(_("The last sync time is not a valid time."))
    return min(moment, now)


async def waiting_on_phone(db: AsyncSession, job: Job) -> tuple[int, datetime | None]:
    """How many of this job's changes the engineer's phone last said it still holds, and when it said so."""
    status = await db.get(PhoneStatus, job.engineer_id) if job.engineer_id else None
    if status is None:
        return 0, None
    return status.pending_by_job.get(str(job.id), 0), status.reported_at


_STATUSES = select(PhoneStatus).where(PhoneStatus.user_id.in_(bindparam("engineers", expanding=True)))  # built once


async def waiting_on_phones(db: AsyncSession, jobs: list[Job]) -> dict[str, int]:
    """For the board: how many changes to each of these jobs their engineers' phones last said they hold."""
    engineers = {job.engineer_id for job in jobs if job.engineer_id}
    if not engineers:
        return {}
    statuses = (await db.exec(_STATUSES, params={"engineers": list(engineers)})).all()
    held = {status.user_id: status.pending_by_job for status in statuses}
    # only the job's own engineer's phone speaks for it
    counts = {str(job.id): held.get(job.engineer_id, {}).get(str(job.id), 0) for job in jobs}
    return {job_id: count for job_id, count in counts.items() if count}
