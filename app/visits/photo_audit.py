"""The managers' audit view of a job's deleted photos: each photo, who deleted it and when (§12.1).

Everywhere else a deleted photo is 404; only a branch manager sees it here, and each look is audited."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Stream, Template
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.auth import roles_allowed
from app.accounts.models import Role, User
from app.audit import trail
from app.jobs.access import get_job_for
from app.jobs.models import Job, JobEvent
from app.media.responses import photo_response
from app.visits import photos
from app.visits.models import VisitPhoto

DB = NamedDependency[AsyncSession]
MANAGER = roles_allowed(Role.MANAGER)


@dataclass
class DeletedPhoto:
    photo: VisitPhoto
    deleted_by: str
    deleted_at: datetime | None


async def deleted_photos(db: AsyncSession, job: Job) -> list[DeletedPhoto]:
    """The job's deleted photos with the "photo_deleted" event that removed each (matched by photo id, or by
    step and hash for events recorded before they named the photo)."""
    rows = (await db.exec(select(VisitPhoto).where(VisitPhoto.job_id == job.id, VisitPhoto.deleted))).all()
    events = (
        await db.exec(
            select(JobEvent, User.display_name)
            .outerjoin(User, User.id == JobEvent.actor_id)
            .where(JobEvent.job_id == job.id, JobEvent.kind == "photo_deleted")
            .order_by(JobEvent.at)
        )
    ).all()
    found = []
    for photo in sorted(rows, key=lambda row: row.at):
        match = next((pair for pair in events if _removed(pair[0], photo)), None)
        if match is not None:
            events.remove(match)
        found.append(DeletedPhoto(photo, match[1] or "" if match else "", match[0].at if match else None))
    return found


def _removed(event: JobEvent, photo: VisitPhoto) -> bool:
    if "photo_id" in event.details:
        return event.details["photo_id"] == str(photo.id)
    return event.details.get("step") == photo.step_key and event.details.get("sha256") == photo.sha256


@get("/visits/{job_id:uuid}/photos/deleted", guards=[MANAGER])
async def deleted_photos_page(request: Request, db_session: DB, job_id: FromPath[uuid.UUID]) -> Template:
    job = await get_job_for(db_session, job_id, request.user)
    found = await deleted_photos(db_session, job)
    await trail.log(db_session, request, "deleted_photos_view", "job", str(job.id), {"number": job.number})
    return Template("visits/deleted_photos.html", context={"job": job, "deleted": found})


@get("/visits/{job_id:uuid}/photos/{photo_id:uuid}/deleted", guards=[MANAGER])
async def deleted_photo_file(
    request: Request, db_session: DB, job_id: FromPath[uuid.UUID], photo_id: FromPath[uuid.UUID]
) -> Stream:
    settings = request.app.state.settings
    stored = await photos.photo_file(db_session, settings, job_id, photo_id, request.user, thumbnail=True, deleted=True)
    return photo_response(stored, "no-store")


ROUTES = [deleted_photos_page, deleted_photo_file]
