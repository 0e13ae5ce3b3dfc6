"""The pages of the daily money hand-over (F44): handing over what one collected, and the administrative
specialist's (or manager's) confirmation of what arrived."""

import uuid
from datetime import timedelta

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Response, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Ctx
from app.accounts.auth import roles_allowed
from app.accounts.models import Role
from app.core.acts import act
from app.core.forms import Form, single_values
from app.core.i18n import _
from app.core.validation import error_context
from app.core.web import redirect
from app.visits import handovers
from app.visits.payments import METHODS

DB = NamedDependency[AsyncSession]
# Whoever may record a payment hands the money over (app/desk/routes/jobs.py: PAYERS).
GIVERS = [roles_allowed(Role.COORDINATOR, Role.ENGINEER, Role.CLERK, Role.RECEPTION)]
RECEIVERS = [roles_allowed(Role.ADMINISTRATIVE)]
DIFFERENCES_SHOWN = timedelta(days=30)


async def _give_page(request: Request, db: AsyncSession, *, error=None, values=None) -> Template:
    user = request.user
    context = {
        "bundle": await handovers.not_handed_over(db, user),
        "receivers": await handovers.receivers(db, user.office_id, user),
        "mine": await handovers.my_handovers(db, user),
        "handover_id": uuid.uuid4(),
        "METHODS": METHODS,
        "values": values or {},
        **error_context(error),
    }
    return Template("visits/handover.html", context=context, status_code=getattr(error, "status_code", 200))


@get("/payments/handover", guards=GIVERS)
async def give_page(request: Request, db_session: DB) -> Template:
    return await _give_page(request, db_session)


@post("/payments/handover", guards=GIVERS)
async def hand_over(request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
    values = single_values(data)
    return await act(
        handovers.hand_over(db_session, values, ctx),
        done=redirect("/payments/handover", _("Payments handed over. The receiver confirms them."), request=request),
        refused=lambda error: _give_page(request, db_session, error=error, values=values),
    )


@get("/payments/handovers", guards=RECEIVERS)
async def receive_page(request: Request, db_session: DB) -> Template:
    user, now = request.user, request.app.state.clock()
    context = {
        "waiting": await handovers.waiting(db_session, user.office_id),
        "overdue": await handovers.overdue(db_session, user.office_id, now) if user.role == Role.MANAGER else [],
        "differences": await handovers.with_differences(db_session, user.office_id, now - DIFFERENCES_SHOWN),
        "METHODS": METHODS,
    }
    return Template("visits/handovers.html", context=context)


async def _confirm_page(request: Request, db: AsyncSession, handover_id: uuid.UUID, *, error=None, values=None):
    context = {
        "item": await handovers.handover_for(db, handover_id, request.user),
        "METHODS": METHODS,
        "values": values or {},
        **error_context(error),
    }
    return Template("visits/handover_confirm.html", context=context, status_code=getattr(error, "status_code", 200))


@get("/payments/handovers/{handover_id:uuid}", guards=RECEIVERS)
async def confirm_page(request: Request, db_session: DB, handover_id: FromPath[uuid.UUID]) -> Template:
    return await _confirm_page(request, db_session, handover_id)


@post("/payments/handovers/{handover_id:uuid}", guards=RECEIVERS)
async def confirm(request: Request, db_session: DB, ctx: Ctx, handover_id: FromPath[uuid.UUID], data: Form) -> Response:
    values = single_values(data)
    return await act(
        handovers.confirm(db_session, handover_id, values, ctx),
        done=redirect("/payments/handovers", _("Hand-over confirmed."), request=request),
        refused=lambda error: _confirm_page(request, db_session, handover_id, error=error, values=values),
    )


ROUTES = [give_page, hand_over, receive_page, confirm_page, confirm]
