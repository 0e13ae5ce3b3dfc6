"""Photos taken for checklist steps: upload through the media pipeline, retake or delete before sign-off."""

import asyncio
import uuid

import anyio
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core.database import transaction
from app.core.i18n import _
from app.core.metrics import PHOTO_BYTES, QUEUE_LENGTH
from app.core.settings import Settings
from app.jobs.access import get_job_for
from app.jobs.lifecycle import record
from app.media.images import decode_pool, normalise_upload
from app.media.store import StoredFile, photo_key, photo_store
from app.visits import engine
from app.visits.engine import ChecklistRefused
from app.visits.models import ServiceReport, VisitPhoto
from app.visits.service import open_for_engineer


async def upload_photo(
    db: AsyncSession,
    settings: Settings,
    job_id: uuid.UUID,
    step_key: str,
    photo_id: uuid.UUID | None,
    data: bytes,
    ctx: Context,
) -> VisitPhoto:
    """Normalises and stores a photo for a step; the same photo id sent again is not stored twice."""
    if photo_id is not None:
        existing = await db.get(VisitPhoto, photo_id)
        if existing is not None:
            await get_job_for(db, existing.job_id, ctx.actor)
            if existing.job_id != job_id or existing.step_key != step_key:
                raise ChecklistRefused(_("This photo was already sent for another step."))
            return existing
    await get_job_for(db, job_id, ctx.actor)  # who may not see the job costs the server no image work
    pool, waiting = decode_pool(settings.photo_decodes), QUEUE_LENGTH.labels("photo_decode")
    waiting.inc()
    try:
        processed = await asyncio.get_running_loop().run_in_executor(pool, normalise_upload, settings, data)
    finally:
        waiting.dec()
    store, written = photo_store(settings), []
    try:
        async with transaction(db):
            photo = await _add_photo(db, job_id, step_key, photo_id, processed, ctx)
            # Files are written last, once every check has passed; a failed commit removes them again.
            written = await anyio.to_thread.run_sync(store.save, processed)
    except BaseException:
        await anyio.to_thread.run_sync(store.discard, written)
        raise
    sizes = {
        photo_key(processed.sha256): len(processed.image),
        photo_key(processed.sha256, thumbnail=True): len(processed.thumbnail),
    }
    PHOTO_BYTES.labels("written").inc(sum(sizes[key] for key in written))
    return photo


async def _add_photo(db: AsyncSession, job_id, step_key: str, photo_id, processed, ctx: Context) -> VisitPhoto:
    """Checks the step still takes photos and adds the row (inside the caller's transaction)."""
    state = await open_for_engineer(db, job_id, ctx)
    step = state.visit.step(step_key)
    if await db.get(ServiceReport, job_id) is not None:
        raise ChecklistRefused(_("The report is signed: photos can no longer change."))
    if engine.is_done(state.visit, step_key):
        raise ChecklistRefused(_("“%(step)s” is already done.", step=engine.title(step)))
    photo = VisitPhoto(
        id=photo_id or uuid.uuid4(),
        job_id=job_id,
        office_id=state.job.office_id,
        step_key=step_key,
        sha256=processed.sha256,
        width=processed.width,
        height=processed.height,
        uploaded_by_id=ctx.actor.id,
        at=ctx.now,
        device_at=ctx.device_at,
    )
    db.add(photo)
    record(db, state.job, ctx, "photo_added", details={"step": step_key, "sha256": processed.sha256})
    return photo


async def delete_photo(db: AsyncSession, job_id: uuid.UUID, photo_id: uuid.UUID, ctx: Context) -> VisitPhoto:
    """Removes a photo from its step before the step is done and the report signed (retake)."""
    async with transaction(db):
        state = await open_for_engineer(db, job_id, ctx)
        photo = await db.get(VisitPhoto, photo_id)
        if photo is None or photo.job_id != job_id:
            raise ChecklistRefused(_("This photo does not exist."))
        if engine.is_done(state.visit, photo.step_key) or await db.get(ServiceReport, job_id) is not None:
            raise ChecklistRefused(_("This photo belongs to a finished step and can no longer be deleted."))
        photo.deleted = True
        db.add(photo)
        details = {"photo_id": str(photo.id), "step": photo.step_key, "sha256": photo.sha256}
        record(db, state.job, ctx, "photo_deleted", details=details)
    return photo


async def photo_file(
    db: AsyncSession,
    settings: Settings,
    job_id: uuid.UUID,
    photo_id: uuid.UUID,
    user,
    *,
    thumbnail: bool,
    deleted: bool = False,
) -> StoredFile:
    """The stored file, opened for streaming, only for users allowed to see the job (404 otherwise). A deleted
    photo is 404 too, unless ``deleted`` asks for exactly that (the managers' audit view of deleted photos)."""
    from litestar.exceptions import NotFoundException

    await get_job_for(db, job_id, user)
    photo = await db.get(VisitPhoto, photo_id)
    if photo is None or photo.job_id != job_id or photo.deleted != deleted:
        raise NotFoundException()
    key = photo_key(photo.sha256, thumbnail=thumbnail)
    stored = await anyio.to_thread.run_sync(photo_store(settings).open, key)
    if stored is None:
        raise NotFoundException()
    return stored
