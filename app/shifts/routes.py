"""The shift pages: the check-in panel of each home page and its one tap (S19), the duty rota (S23)."""

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.response import Response, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Ctx, load_calendar
from app.accounts.auth import roles_allowed
from app.accounts.models import Role
from app.accounts.navigation import home_url
from app.core.acts import act
from app.core.formats import clock
from app.core.forms import Form, single_values
from app.core.i18n import _
from app.core.validation import error_context
from app.core.web import redirect
from app.shifts import readiness, rota, service

DB = NamedDependency[AsyncSession]
STAFF = [roles_allowed(*readiness.CHECKS_IN)]  # every role but the regional user
ROTA_KEEPERS = [roles_allowed(Role.COORDINATOR)]  # and the manager


@get("/shift/check-in", guards=STAFF)
async def check_in_panel(request: Request, db_session: DB, ctx: Ctx) -> Template:
    """The panel a home page loads (an engineer's My jobs draws its own, to work offline)."""
    today = await service.today_for(db_session, request.user, ctx.calendar, ctx.now)
    return Template("shifts/_check_in.html", context={"shift": today}, headers={"Vary": "HX-Request"})


@post("/shift/check-in", guards=STAFF)
async def check_in(request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
    """A refusal (a day off, a form of another day) goes to the error page, so the phone's outbox shows it."""
    row = await service.check_in(db_session, single_values(data), ctx)
    done = _("Checked in at %(time)s.", time=clock(readiness.made_at(row.at, row.device_at), tz=ctx.calendar.tz))
    return redirect(home_url(request.user), done, request=request)


async def _rota_page(request: Request, db: AsyncSession, *, error=None) -> Template:
    office_id = request.user.office_id
    calendar = await load_calendar(db, office_id, request.app.state.settings)
    today = calendar.local_date(request.app.state.clock())
    context = {
        "days": await rota.upcoming(db, office_id, calendar, today),
        "people": await rota.candidates(db, office_id),
        **error_context(error),
    }
    return Template("shifts/rota.html", context=context, status_code=getattr(error, "status_code", 200))


@get("/rota", guards=ROTA_KEEPERS)
async def rota_page(request: Request, db_session: DB) -> Template:
    return await _rota_page(request, db_session)


@post("/rota", guards=ROTA_KEEPERS)
async def assign_duty(request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
    return await act(
        rota.assign(db_session, single_values(data), ctx),
        done=redirect("/rota", _("Duty rota saved."), request=request),
        refused=lambda error: _rota_page(request, db_session, error=error),
    )


ROUTES = [check_in_panel, check_in, rota_page, assign_duty]
