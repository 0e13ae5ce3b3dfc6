"""Photos attached to an escalation (F52): taken when it is raised or afterwards, through the same photo pipeline
as a visit's photos (``app/media``: same formats, size limits and normalisation), and shown only to those who
may see the job."""

import uuid

import anyio
from litestar.exceptions import NotFoundException
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core.database import transaction
from app.core.errors import DomainError, NotFound
from app.core.i18n import _
from app.jobs.access import get_job_for
from app.jobs.lifecycle import record
from app.jobs.models import Escalation, EscalationFile, Job
from app.media.images import ProcessedPhoto
from app.media.store import StoredFile, photo_key, photo_store

MAX_FILES = 6  # per upload; an escalation takes more in later uploads


def file_ids(data: dict, count: int) -> list[uuid.UUID]:
    """One id per photo, drawn from the form's ``upload_id``: the same form sent again names the same photos."""
    try:
        upload = uuid.UUID(str(data.get("upload_id", "")))
    except ValueError:
        upload = uuid.uuid4()  # an old form without one: stored, but not recognised if sent again
    return [uuid.uuid5(upload, str(index)) for index in range(count)]


async def attach(
    db: AsyncSession, settings, escalation: Escalation, job: Job, photos: list[ProcessedPhoto], ids, ctx: Context
) -> list[str]:
    """Adds the photos' rows inside the caller's transaction and writes their files (last); returns the keys
    written, for the caller to remove should the transaction fail."""
    store, written = photo_store(settings), []
    for photo, file_id in zip(photos, ids, strict=True):
        if await db.get(EscalationFile, file_id) is not None:
            continue  # sent before: stored once
        db.add(
            EscalationFile(
                id=file_id,
                escalation_id=escalation.id,
                office_id=escalation.office_id,
                sha256=photo.sha256,
                width=photo.width,
                height=photo.height,
                uploaded_by_id=ctx.actor.id,
                at=ctx.now,
            )
        )
        record(db, job, ctx, "escalation_photo_added", details={"level": escalation.level, "sha256": photo.sha256})
        written += await anyio.to_thread.run_sync(store.save, photo)
    return written


async def escalation_for(db: AsyncSession, escalation_id: uuid.UUID, user, *, lock: bool = False):
    """The escalation and its job, for a user who may see the job (404 otherwise, as for another office's)."""
    escalation = await db.get(Escalation, escalation_id)
    if escalation is None or escalation.office_id != user.office_id:
        raise NotFound(_("This escalation does not exist."))
    return escalation, await get_job_for(db, escalation.job_id, user, lock=lock)


async def add_photos(
    db: AsyncSession,
    settings,
    job_id: uuid.UUID,
    escalation_id: uuid.UUID,
    data: dict,
    photos: list[ProcessedPhoto],
    ctx: Context,
) -> Escalation:
    """Attaches photos to an escalation of the job still open, after it was raised."""
    written = []
    try:
        async with transaction(db):
            escalation, job = await escalation_for(db, escalation_id, ctx.actor, lock=True)
            if job.id != job_id:
                raise NotFound(_("This escalation does not exist."))
            if not photos:
                raise DomainError(_("Choose a photo to attach."), field="photo")
            if escalation.resolved_at is not None:
                raise DomainError(_("This escalation is resolved: no more photos can be attached."))
            written = await attach(db, settings, escalation, job, photos, file_ids(data, len(photos)), ctx)
    except BaseException:
        await anyio.to_thread.run_sync(photo_store(settings).discard, written)
        raise
    return escalation


async def files_of(db: AsyncSession, escalation_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[EscalationFile]]:
    if not escalation_ids:
        return {}
    query = select(EscalationFile).where(EscalationFile.escalation_id.in_(escalation_ids)).order_by(EscalationFile.at)
    files: dict[uuid.UUID, list[EscalationFile]] = {}
    for row in (await db.exec(query)).all():
        files.setdefault(row.escalation_id, []).append(row)
    return files


async def stored_file(
    db: AsyncSession, settings, escalation_id: uuid.UUID, file_id: uuid.UUID, user, *, thumbnail: bool
) -> StoredFile:
    """The photo, opened for streaming, for a user who may see the escalation's job (404 otherwise)."""
    await escalation_for(db, escalation_id, user)
    row = await db.get(EscalationFile, file_id)
    if row is None or row.escalation_id != escalation_id:
        raise NotFoundException()
    stored = await anyio.to_thread.run_sync(photo_store(settings).open, photo_key(row.sha256, thumbnail=thumbnail))
    if stored is None:
        raise NotFoundException()
    return stored
