"""Photos of an installation's site, taken when its conditions are checked, and of its milestones; stored like the
visit's photos."""

import asyncio
import uuid
from dataclasses import dataclass

import anyio
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core.metrics import QUEUE_LENGTH
from app.core.settings import Settings
from app.jobs.lifecycle import record
from app.jobs.models import Job
from app.media.images import ProcessedPhoto, decode_pool, normalise_upload
from app.media.store import photo_store
from app.visits.models import VisitPhoto

STEP = "site_conditions"  # the photos' step key: the visit's photo pages show and serve them


@dataclass
class SitePhoto:
    processed: ProcessedPhoto
    settings: Settings


async def prepare(settings: Settings, uploads: list[bytes]) -> list[SitePhoto]:
    """Decodes and normalises the uploads (a wrong file is refused here, before anything is stored)."""
    pool, waiting = decode_pool(settings.photo_decodes), QUEUE_LENGTH.labels("photo_decode")
    prepared = []
    for data in uploads:
        waiting.inc()
        try:
            processed = await asyncio.get_running_loop().run_in_executor(pool, normalise_upload, settings, data)
        finally:
            waiting.dec()
        prepared.append(SitePhoto(processed, settings))
    return prepared


async def save_site_photos(
    db: AsyncSession, job: Job, photos: list[SitePhoto], ctx: Context, step: str = STEP
) -> list[uuid.UUID]:
    """Adds the photos' rows and writes their files, inside the caller's transaction (files last); the rows' ids."""
    ids = []
    for photo in photos:
        processed = photo.processed
        ids.append(uuid.uuid4())
        db.add(
            VisitPhoto(
                id=ids[-1],
                job_id=job.id,
                office_id=job.office_id,
                step_key=step,
                sha256=processed.sha256,
                width=processed.width,
                height=processed.height,
                uploaded_by_id=ctx.actor.id,
                at=ctx.now,
                device_at=ctx.device_at,
            )
        )
        record(db, job, ctx, "photo_added", details={"step": step, "sha256": processed.sha256})
        await anyio.to_thread.run_sync(photo_store(photo.settings).save, processed)
    return ids
