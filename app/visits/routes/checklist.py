"""The visit checklist pages and its step actions. Handlers parse, call one service, render."""

import uuid
from collections.abc import Awaitable

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Response, Stream, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Ctx
from app.accounts.auth import roles_allowed, signed_in
from app.accounts.models import Role
from app.core.acts import act
from app.core.errors import DomainError
from app.core.forms import Form, Multipart, single_values
from app.core.i18n import _
from app.core.web import redirect
from app.media.responses import photo_response
from app.visits import photos, quotes, reopen, service, signing
from app.visits.pages import checklist_page, customer_page

DB = NamedDependency[AsyncSession]
ENGINEER = roles_allowed(Role.ENGINEER)
JobId = FromPath[uuid.UUID]
StepKey = FromPath[str]


async def _act(
    request: Request,
    db: AsyncSession,
    job_id: uuid.UUID,
    change: Awaitable[object],
    done: str,
    *,
    then: str = "",
    error_page=checklist_page,
) -> Response:
    """Runs one visit action; a refusal shows the page again with the reason, never a silent no-op."""

    async def again(error: DomainError) -> Template:
        await db.rollback()
        return await error_page(request, db, job_id, error=error)

    return await act(change, done=redirect(then or f"/visits/{job_id}#current", done, request=request), refused=again)


class VisitController(Controller):
    path = "/visits/{job_id:uuid}"

    @get("/", guards=[signed_in], opt={"wasm": True})  # the repair step's part scanner decodes with WebAssembly
    async def checklist(self, request: Request, db_session: DB, job_id: JobId) -> Template:
        return await checklist_page(request, db_session, job_id)

    @post("/steps/{step_key:str}", guards=[ENGINEER])
    async def complete_step(
        self, request: Request, db_session: DB, ctx: Ctx, job_id: JobId, step_key: StepKey, data: Form
    ) -> Response:
        values = single_values(data)
        return await _act(
            request,
            db_session,
            job_id,
            service.complete_step(db_session, job_id, step_key, values, ctx),
            _("Step done."),
        )

    @post("/steps/{step_key:str}/not-applicable", guards=[ENGINEER])
    async def not_applicable(
        self, request: Request, db_session: DB, ctx: Ctx, job_id: JobId, step_key: StepKey, data: Form
    ) -> Response:
        values = single_values(data)
        return await _act(
            request,
            db_session,
            job_id,
            service.mark_not_applicable(db_session, job_id, step_key, values, ctx),
            _("Step marked not applicable."),
        )

    @post("/steps/{step_key:str}/reopen", guards=[ENGINEER])
    async def reopen_step(
        self, request: Request, db_session: DB, ctx: Ctx, job_id: JobId, step_key: StepKey, data: Form
    ) -> Response:
        values = single_values(data)
        return await _act(
            request,
            db_session,
            job_id,
            reopen.reopen_step(db_session, job_id, step_key, values, ctx),
            _("Step open again: change the answer."),
        )

    @post("/steps/{step_key:str}/timer", guards=[ENGINEER])
    async def start_timer(
        self, request: Request, db_session: DB, ctx: Ctx, job_id: JobId, step_key: StepKey
    ) -> Response:
        return await _act(
            request,
            db_session,
            job_id,
            service.start_timer(db_session, job_id, step_key, {}, ctx),
            _("Observation timer started."),
        )

    @post("/steps/{step_key:str}/handover", guards=[ENGINEER])
    async def handover(self, request: Request, db_session: DB, ctx: Ctx, job_id: JobId, step_key: StepKey) -> Response:
        return await _act(
            request,
            db_session,
            job_id,
            signing.start_handover(db_session, job_id, step_key, ctx),
            _("Hand the phone to the customer."),
            then=f"/visits/{job_id}/sign/{step_key}",
        )

    @get("/sign/{step_key:str}", guards=[ENGINEER])
    async def customer_view(self, request: Request, db_session: DB, job_id: JobId, step_key: StepKey) -> Template:
        return await customer_page(request, db_session, job_id, step_key)

    @post("/sign/{step_key:str}", guards=[ENGINEER])
    async def sign(
        self, request: Request, db_session: DB, ctx: Ctx, job_id: JobId, step_key: StepKey, data: Form
    ) -> Response:
        values = single_values(data)

        async def again(request, db, job_id, error):
            return await customer_page(request, db, job_id, step_key, error=error, values=values)

        return await _act(
            request,
            db_session,
            job_id,
            signing.record_customer_signature(db_session, job_id, step_key, values, ctx),
            _("Thank you: the signature is recorded."),
            error_page=again,
        )

    @post("/quote", guards=[ENGINEER])
    async def quote(self, request: Request, db_session: DB, ctx: Ctx, job_id: JobId, data: Form) -> Response:
        values = single_values(data)
        return await _act(
            request,
            db_session,
            job_id,
            quotes.save_quote(db_session, job_id, values, ctx),
            _("Quote saved. Hand the phone to the customer to sign it."),
        )

    @post("/unfixed", guards=[ENGINEER])
    async def unfixed(self, request: Request, db_session: DB, ctx: Ctx, job_id: JobId) -> Response:
        return await _act(
            request,
            db_session,
            job_id,
            service.declare_unfixed(db_session, job_id, {}, ctx),
            _("Not fixed on this visit: agree the next step with the customer."),
        )

    @post("/photos", guards=[ENGINEER], request_max_body_size=40_000_000)
    async def upload_photo(
        self, request: Request, db_session: DB, ctx: Ctx, job_id: JobId, data: Multipart
    ) -> Response:
        upload = data.get("photo")
        if not isinstance(upload, UploadFile):
            return Response({"detail": _("Choose a photo to upload.")}, status_code=422)
        try:
            photo_id = uuid.UUID(str(data.get("id", ""))) if data.get("id") else None
        except ValueError:
            photo_id = None
        try:
            photo = await photos.upload_photo(
                db_session,
                request.app.state.settings,
                job_id,
                str(data.get("step", "")),
                photo_id,
                await upload.read(),
                ctx,
            )
        except DomainError as error:
            if not error.beside_the_form:
                raise
            return Response({"detail": error.message}, status_code=error.status_code)
        return Response(
            {
                "id": str(photo.id),
                "sha256": photo.sha256,
                "step": photo.step_key,
                "thumbnail": f"/visits/{job_id}/photos/{photo.id}/thumb",
                "url": f"/visits/{job_id}/photos/{photo.id}",
            },
            status_code=201,
        )

    @post("/photos/{photo_id:uuid}/delete", guards=[ENGINEER])
    async def delete_photo(
        self, request: Request, db_session: DB, ctx: Ctx, job_id: JobId, photo_id: FromPath[uuid.UUID]
    ) -> Response:
        return await _act(
            request,
            db_session,
            job_id,
            photos.delete_photo(db_session, job_id, photo_id, ctx),
            _("Photo deleted."),
        )

    @get("/photos/{photo_id:uuid}", guards=[signed_in])
    async def photo(self, request: Request, db_session: DB, job_id: JobId, photo_id: FromPath[uuid.UUID]) -> Stream:
        return await _photo(request, db_session, job_id, photo_id, thumbnail=False)

    @get("/photos/{photo_id:uuid}/thumb", guards=[signed_in])
    async def thumbnail(self, request: Request, db_session: DB, job_id: JobId, photo_id: FromPath[uuid.UUID]) -> Stream:
        return await _photo(request, db_session, job_id, photo_id, thumbnail=True)


async def _photo(request: Request, db: AsyncSession, job_id: uuid.UUID, photo_id: uuid.UUID, *, thumbnail: bool):
    settings = request.app.state.settings
    stored = await photos.photo_file(db, settings, job_id, photo_id, request.user, thumbnail=thumbnail)
    return photo_response(stored, "private, max-age=31536000, immutable")
