"""The call-back pages (S2): the hotline records a call-back while the caller is on the line, sees what is due
(red when late), and closes each one as called back; a consultation case made from one closes it
(``/jobs/new?callback=``)."""

import uuid
from datetime import time

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Response, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context, Ctx, load_calendar
from app.accounts.auth import roles_allowed
from app.accounts.models import Role
from app.callbacks import service
from app.callbacks.models import CallBack
from app.core.acts import act
from app.core.formats import clock, when
from app.core.forms import Form, single_values
from app.core.i18n import _
from app.core.validation import error_context
from app.core.web import redirect
from app.jobs.models import Job

DB = NamedDependency[AsyncSession]
HOTLINE = [roles_allowed(Role.COORDINATOR)]  # the coordinators take the calls (and the manager)
CallBackId = FromPath[uuid.UUID]
_MIDNIGHT = time(0, 0)


class CallBacksController(Controller):
    path = "/callbacks"

    @get("/", guards=HOTLINE)
    async def call_backs(self, request: Request, db_session: DB, job: FromQuery[str] = "") -> Template:
        """The form (a job or case number filled in when it comes from one) and the call-backs still to make."""
        return await _list_page(request, db_session, {"job_number": job.strip()[:40]})

    @post("/", guards=HOTLINE)
    async def record(self, request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
        values = single_values(data)
        return await act(
            service.record(db_session, values, ctx),
            done=lambda row: redirect(
                "/callbacks",
                _("Call-back recorded: call %(name)s back by %(time)s.", name=row.customer_name, time=_time(ctx, row)),
                request=request,
            ),
            refused=lambda error: _list_page(request, db_session, values, error),
        )

    @get("/{callback_id:uuid}", guards=HOTLINE)
    async def call_back(self, request: Request, db_session: DB, callback_id: CallBackId) -> Template:
        return await _call_back_page(request, db_session, callback_id)

    @post("/{callback_id:uuid}/called", guards=HOTLINE)
    async def called(self, request: Request, db_session: DB, ctx: Ctx, callback_id: CallBackId, data: Form) -> Response:
        values = single_values(data)

        def done(row) -> Response:
            told = _("Called back: answered.") if row.state == service.ANSWERED else _("Not reached: try again.")
            back = f"/callbacks/{row.id}" if row.state == service.OPEN else "/callbacks"
            return redirect(back, told, request=request)

        return await act(
            service.called(db_session, callback_id, values, ctx),
            done=done,
            refused=lambda error: _call_back_page(request, db_session, callback_id, values, error),
        )


def _time(ctx: Context, row: CallBack) -> str:
    """The due time; with its date when that is not today (a call after hours is called back the next morning)."""
    today = ctx.calendar.local_date(row.due_at) == ctx.calendar.local_date(ctx.now)
    return clock(row.due_at, tz=ctx.calendar.tz) if today else when(row.due_at, tz=ctx.calendar.tz)


async def _list_page(request: Request, db: AsyncSession, values: dict, error=None) -> Template:
    office_id = request.user.office_id
    calendar = await load_calendar(db, office_id, request.app.state.settings)
    now = request.app.state.clock()
    context = {
        "values": {**values, "id": values.get("id") or str(uuid.uuid4())},
        "open_rows": await service.open_call_backs(db, office_id),
        "closed_rows": await service.closed_today(db, office_id, calendar.at(calendar.local_date(now), _MIDNIGHT)),
        "now": now,
        "CALL_BACK_STATES": service.STATE_LABELS,
        **error_context(error),
    }
    return Template("callbacks/list.html", context=context, status_code=getattr(error, "status_code", 200))


async def _call_back_page(request: Request, db: AsyncSession, callback_id: uuid.UUID, values=None, error=None):
    row = await service.get(db, callback_id, request.user.office_id)
    context = {
        "row": row,
        "job": await db.get(Job, row.job_id) if row.job_id else None,
        "case": await db.get(Job, row.case_id) if row.case_id else None,
        "values": values or {"outcome": service.ANSWERED_OUTCOME},
        "now": request.app.state.clock(),
        "CALL_BACK_STATES": service.STATE_LABELS,
        **error_context(error),
    }
    return Template("callbacks/call_back.html", context=context, status_code=getattr(error, "status_code", 200))


ROUTES = [CallBacksController]
