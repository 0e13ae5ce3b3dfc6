"""The follow-up caller's queue and call form, and the manager's complaint register."""

import uuid

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Ctx
from app.accounts.auth import roles_allowed
from app.accounts.models import Role
from app.core import validation as v
from app.core.acts import act
from app.core.forms import Form, single_values
from app.core.i18n import _, ngettext
from app.core.validation import error_context
from app.core.web import redirect
from app.followups import complaints, service
from app.followups.models import FollowUpCall
from app.jobs.access import customer_viewed, get_job_for
from app.jobs.models import Customer, Device

CHECKBOXES = ("complaint_areas",)  # checkboxes: one value per ticked box

DB = NamedDependency[AsyncSession]
CALLERS = roles_allowed(Role.FOLLOW_UP, Role.COORDINATOR)


class FollowUpsController(Controller):
    path = "/follow-ups"

    @get("/", guards=[CALLERS])
    async def queue(self, request: Request, db_session: DB) -> Template:
        items = await service.queue(db_session, request.user.office_id)
        return Template("followups/queue.html", context={"items": items, "now": request.app.state.clock()})

    @post("/file", guards=[roles_allowed(Role.COORDINATOR)])
    async def file_month_end(self, request: Request, db_session: DB, ctx: Ctx) -> Redirect:
        filed = await service.file_month_end(db_session, ctx)
        return redirect(
            "/follow-ups",
            ngettext("%(num)s followed-up job filed and closed.", "%(num)s followed-up jobs filed and closed.", filed),
            request=request,
        )

    @get("/{job_id:uuid}", guards=[CALLERS])
    async def call_page(self, request: Request, db_session: DB, job_id: FromPath[uuid.UUID]) -> Template:
        return await _call_page(request, db_session, job_id)

    @post("/{job_id:uuid}/calls", guards=[CALLERS])
    async def record_call(
        self, request: Request, db_session: DB, ctx: Ctx, job_id: FromPath[uuid.UUID], data: Form
    ) -> Response:
        values = single_values(data, CHECKBOXES)

        async def record() -> FollowUpCall:
            choice = None
            if values.get("outcome") == "reached" and values.get("satisfied") == "no":
                check = v.Collector()  # the answers' and the complaint's wrong fields, all at once
                answers = check(service.parse_answers, values) or {"complaint_areas": []}
                choice = check(complaints.parse_complaint, values, answers["complaint_areas"])
                check.done()
            call = await service.record_call(db_session, job_id, values, ctx)
            if choice and complaints.wants_complaint(call):
                await complaints.open_complaint(db_session, call, choice, ctx)
            return call

        return await act(
            record(),
            done=lambda call: redirect(
                "/follow-ups", _("Follow-up recorded.") if call.reached else _("Attempt recorded."), request=request
            ),
            refused=lambda error: _call_page(request, db_session, job_id, error=error, values=values),
        )


async def _call_page(request: Request, db: AsyncSession, job_id: uuid.UUID, *, error=None, values=None) -> Template:
    job = await get_job_for(db, job_id, request.user)
    await customer_viewed(db, request, job, "follow_up")
    context = {
        "job": job,
        "customer": await db.get(Customer, job.customer_id),
        "device": await db.get(Device, job.device_id),
        "calls": await service.calls_for(db, job.id),
        **error_context(error),
        "values": values or {},
        "now": request.app.state.clock(),
    }
    return Template("followups/call.html", context=context, status_code=422 if error else 200)


class ComplaintsController(Controller):
    path = "/complaints"
    guards = [roles_allowed()]  # the branch manager owns complaints (§1.3)

    @get("/")
    async def register(self, request: Request, db_session: DB) -> Template:
        return await _register_page(request, db_session)

    @post("/{complaint_id:uuid}/close")
    async def close(
        self, request: Request, db_session: DB, ctx: Ctx, complaint_id: FromPath[uuid.UUID], data: Form
    ) -> Response:
        values = single_values(data, CHECKBOXES)
        return await act(
            complaints.close_complaint(db_session, complaint_id, values, ctx),
            done=redirect("/complaints", _("Complaint closed."), request=request),
            refused=lambda error: _register_page(request, db_session, error, complaint_id, values),
        )


async def _register_page(request: Request, db: AsyncSession, error=None, failed=None, values=None) -> Template:
    """The complaints register; a refused close shows every wrong field in that complaint's form."""
    context = {
        "rows": await complaints.register(db, request.user.office_id),
        "failed": failed,
        "values": values or {},
        **error_context(error),
    }
    return Template("followups/complaints.html", context=context, status_code=422 if error else 200)
