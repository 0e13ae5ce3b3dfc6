"""Photos and PDFs of an escalation (F52), served to those who may see its job (attached on the job page:
``jobs.py``)."""

import uuid
from urllib.parse import quote

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Stream
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.auth import signed_in
from app.jobs import escalation_files
from app.media.responses import photo_response

DB = NamedDependency[AsyncSession]
EscalationId = FromPath[uuid.UUID]


async def _photo(request: Request, db: AsyncSession, escalation_id, file_id, *, thumbnail: bool) -> Stream:
    settings = request.app.state.settings
    stored = await escalation_files.stored_file(db, settings, escalation_id, file_id, request.user, thumbnail=thumbnail)
    return photo_response(stored, "private, max-age=31536000, immutable")


@get("/escalations/{escalation_id:uuid}/photos/{file_id:uuid}", guards=[signed_in])
async def photo(request: Request, db_session: DB, escalation_id: EscalationId, file_id: FromPath[uuid.UUID]) -> Stream:
    return await _photo(request, db_session, escalation_id, file_id, thumbnail=False)


@get("/escalations/{escalation_id:uuid}/photos/{file_id:uuid}/thumb", guards=[signed_in])
async def thumbnail(
    request: Request, db_session: DB, escalation_id: EscalationId, file_id: FromPath[uuid.UUID]
) -> Stream:
    return await _photo(request, db_session, escalation_id, file_id, thumbnail=True)


@get("/escalations/{escalation_id:uuid}/documents/{document_id:uuid}", guards=[signed_in])
async def document(
    request: Request, db_session: DB, escalation_id: EscalationId, document_id: FromPath[uuid.UUID]
) -> Response:
    """A PDF, always as a download (never shown inside the app's pages)."""
    row = await escalation_files.document(db_session, escalation_id, document_id, request.user)
    disposition = f"attachment; filename=\"escalation-{row.id.hex[:8]}.pdf\"; filename*=UTF-8''{quote(row.name)}"
    headers = {"Content-Disposition": disposition, "Cache-Control": "private, no-store"}
    return Response(row.content, media_type="application/pdf", headers=headers)


ROUTES = [photo, thumbnail, document]
