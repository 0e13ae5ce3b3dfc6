"""What a phone tells the server about its outbox, shown on the coordinators' board (issue #7)."""

import uuid
from datetime import datetime

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Role
from app.core.auth import roles_allowed
from app.core.database import transaction
from app.core.i18n import _
from app.core.web import DomainError
from app.jobs import board_log
from app.jobs.models import DeviceStatus
from app.jobs.web import device_time
from app.sync.briefcase import manifest


@post("/sync/status", guards=[roles_allowed(Role.ENGINEER)], status_code=200)
async def report_status(request: Request, db_session: NamedDependency[AsyncSession], data: JSONBody[dict]) -> dict:
    """The phone's pending-change count (in all and per job) and its last successful sync."""
    pending = data.get("pending")
    if not isinstance(pending, int) or not 0 <= pending <= 100_000:
        raise DomainError(_("The pending count must be a whole number."))
    by_job = _pending_by_job(data.get("jobs", {}))
    now = request.app.state.clock()
    last_sync = None
    if raw := data.get("last_sync_at"):
        try:
            last_sync = min(datetime.fromisoformat(str(raw).replace("Z", "+00:00")), now)
        except ValueError:
            raise DomainError(_("The last sync time is not a valid time.")) from None
    async with transaction(db_session):
        status = await db_session.get(DeviceStatus, request.user.id) or DeviceStatus(user_id=request.user.id)
        shown = (status.pending_changes, dict(status.pending_by_job or {}), status.last_sync_at)
        status.pending_changes = pending
        status.pending_by_job = by_job
        status.last_sync_at = last_sync or status.last_sync_at
        status.reported_at = device_time(request, now) or now
        db_session.add(status)
        _tell_boards(db_session, request.user.office_id, shown, status, now)
    return {"pending": pending}


def _tell_boards(db: AsyncSession, office_id: uuid.UUID, shown: tuple, status: DeviceStatus, now: datetime) -> None:
    """Boards redraw the engineers' panel, and the rows whose "changes on the phone" moved, when they differ."""
    pending, by_job, last_sync = shown
    if (pending, by_job, last_sync) != (status.pending_changes, status.pending_by_job, status.last_sync_at):
        board_log.note(db, office_id, board_log.PHONE, None, now)
    for job_id in by_job.keys() | status.pending_by_job.keys():
        if by_job.get(job_id) != status.pending_by_job.get(job_id):
            board_log.note(db, office_id, board_log.JOB, uuid.UUID(job_id), now)


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
        if not isinstance(count, int) or not 0 < count <= 100_000:
            raise DomainError(_("The pending count per job must map job ids to whole numbers."))
        counts[job_id] = count
    return counts


@get("/sync/briefcase", guards=[roles_allowed(Role.ENGINEER)], headers={"Cache-Control": "no-store"})
async def briefcase(request: Request, db_session: NamedDependency[AsyncSession]) -> dict:
    """What the phone keeps for offline use: the engineer's open jobs' pages, each with a version."""
    return await manifest(db_session, request.user)


ROUTES = [report_status, briefcase]
