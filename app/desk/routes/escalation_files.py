"""Photos of an escalation (F52), served to those who may see its job (attached on the job page: jobs.py)."""

import uuid

from litestar import Request, get
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


ROUTES = [photo, thumbnail]
