"""Photos and PDFs attached to an escalation (F52), when it is raised or afterwards. Photos go through the same
pipeline as a visit's photos (``app/media``: same formats, size limits and normalisation); a PDF must be a whole
PDF within ``MAX_PDF_BYTES`` and is only ever served as a download. Both are shown only to those who may see
the job."""

import hashlib
import uuid
from dataclasses import dataclass

import anyio
from litestar.exceptions import NotFoundException
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError, NotFound
from app.core.i18n import _
from app.jobs.access import get_job_for
from app.jobs.lifecycle import record
from app.jobs.models import Escalation, EscalationDocument, EscalationFile, Job
from app.media.images import ProcessedPhoto
from app.media.store import StoredFile, photo_key, photo_store

MAX_FILES = 6  # photos, and PDFs, per upload; an escalation takes more in later uploads
MAX_PDF_BYTES = 10_000_000


@dataclass(frozen=True)
class Pdf:
    name: str
    content: bytes
    sha256: str


def checked_pdf(filename: str, content: bytes) -> Pdf:
    """A whole PDF within the size limit, whatever its name or declared type; refused clearly otherwise."""
    if len(content) > MAX_PDF_BYTES:
        limit = f"{MAX_PDF_BYTES / 1_000_000:g}"
        raise DomainError(_("This PDF is larger than %(limit)s MB.", limit=limit), field="document")
    if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-2048:]:
        raise DomainError(_("This file is not a whole PDF document."), field="document")
    name = v.single_line(filename).replace("\x00", "")[:120] or "document.pdf"
    return Pdf(name, content, hashlib.sha256(content).hexdigest())


def file_ids(data: dict, count: int) -> list[uuid.UUID]:
    """One id per photo, drawn from the form's ``upload_id``: the same form sent again names the same photos."""
    try:
        upload = uuid.UUID(str(data.get("upload_id", "")))
    except ValueError:
        upload = uuid.uuid4()  # an old form without one: stored, but not recognised if sent again
    return [uuid.uuid5(upload, str(index)) for index in range(count)]


async def attach(
    db: AsyncSession,
    settings,
    escalation: Escalation,
    job: Job,
    photos: list[ProcessedPhoto],
    documents: list[Pdf],
    ids: list[uuid.UUID],
    ctx: Context,
) -> list[str]:
    """Adds the rows of the photos and PDFs inside the caller's transaction and writes the photos' files (last);
    returns the keys written, for the caller to remove should the transaction fail."""
    store, written = photo_store(settings), []
    for photo, file_id in zip(photos, ids, strict=False):
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
    for document, file_id in zip(documents, ids[len(photos) :], strict=True):
        if await db.get(EscalationDocument, file_id) is not None:
            continue
        db.add(
            EscalationDocument(
                id=file_id,
                escalation_id=escalation.id,
                office_id=escalation.office_id,
                name=document.name,
                size=len(document.content),
                sha256=document.sha256,
                content=document.content,
                uploaded_by_id=ctx.actor.id,
                at=ctx.now,
            )
        )
        details = {"level": escalation.level, "name": document.name, "sha256": document.sha256}
        record(db, job, ctx, "escalation_document_added", details=details)
    return written


async def escalation_for(db: AsyncSession, escalation_id: uuid.UUID, user, *, lock: bool = False):
    """The escalation and its job, for a user who may see the job (404 otherwise, as for another office's)."""
    escalation = await db.get(Escalation, escalation_id)
    if escalation is None or escalation.office_id != user.office_id:
        raise NotFound(_("This escalation does not exist."))
    return escalation, await get_job_for(db, escalation.job_id, user, lock=lock)


async def add_files(
    db: AsyncSession,
    settings,
    job_id: uuid.UUID,
    escalation_id: uuid.UUID,
    data: dict,
    photos: list[ProcessedPhoto],
    documents: list[Pdf],
    ctx: Context,
) -> Escalation:
    """Attaches photos and PDFs to an escalation of the job still open, after it was raised."""
    written = []
    try:
        async with transaction(db):
            escalation, job = await escalation_for(db, escalation_id, ctx.actor, lock=True)
            if job.id != job_id:
                raise NotFound(_("This escalation does not exist."))
            if not photos and not documents:
                raise DomainError(_("Choose a photo or a PDF to attach."), field="photo")
            if escalation.resolved_at is not None:
                raise DomainError(_("This escalation is resolved: no more photos can be attached."))
            ids = file_ids(data, len(photos) + len(documents))
            written = await attach(db, settings, escalation, job, photos, documents, ids, ctx)
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


async def documents_of(db: AsyncSession, escalation_ids: list[uuid.UUID]) -> dict[uuid.UUID, list]:
    """The PDFs' names and sizes by escalation (not their content)."""
    if not escalation_ids:
        return {}
    table = EscalationDocument
    query = (
        select(table.id, table.escalation_id, table.name, table.size)
        .where(EscalationDocument.escalation_id.in_(escalation_ids))
        .order_by(EscalationDocument.at)
    )
    documents: dict[uuid.UUID, list] = {}
    for row in (await db.exec(query)).all():
        documents.setdefault(row.escalation_id, []).append(row)
    return documents


async def document(db: AsyncSession, escalation_id: uuid.UUID, document_id: uuid.UUID, user) -> EscalationDocument:
    """The PDF, for a user who may see the escalation's job (404 otherwise)."""
    await escalation_for(db, escalation_id, user)
    row = await db.get(EscalationDocument, document_id)
    if row is None or row.escalation_id != escalation_id:
        raise NotFoundException()
    return row


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
