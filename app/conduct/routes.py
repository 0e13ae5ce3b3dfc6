"""The conduct card's pages (F26): the manager's wording and today's readers; the engineer's acknowledgement,
sent from the card on My jobs (through the phone's outbox when offline)."""

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.response import Response, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Ctx, load_calendar
from app.accounts.auth import roles_allowed
from app.accounts.models import Role
from app.conduct import service
from app.core.acts import act
from app.core.forms import Form, single_values
from app.core.i18n import _
from app.core.validation import error_context
from app.core.web import redirect

DB = NamedDependency[AsyncSession]
MANAGER = [roles_allowed()]  # the branch manager alone (a manager is admitted by every guard)
ENGINEER = [roles_allowed(Role.ENGINEER)]


async def _page(request: Request, db: AsyncSession, *, error=None, values=None) -> Template:
    office_id = request.user.office_id
    calendar = await load_calendar(db, office_id, request.app.state.settings)
    today = calendar.local_date(request.app.state.clock())
    card = await service.card_of(db, office_id)
    context = {
        "card": card,
        "values": values or {"text_en": card.text_en, "text_zh": card.text_zh, "version": card.version},
        "readers": await service.readers(db, office_id, today),
        "today": today,
        **error_context(error),
    }
    return Template("conduct/card.html", context=context, status_code=getattr(error, "status_code", 200))


@get("/conduct", guards=MANAGER)
async def card_page(request: Request, db_session: DB) -> Template:
    return await _page(request, db_session)


@post("/conduct", guards=MANAGER)
async def save_card(request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
    values = single_values(data)
    return await act(
        service.save_card(db_session, values, ctx),
        done=redirect("/conduct", _("Conduct card saved."), request=request),
        refused=lambda error: _page(request, db_session, error=error, values=values),
    )


@post("/conduct/acknowledge", guards=ENGINEER)
async def acknowledge(request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
    """A refusal (a card of another day) goes to the error page, so the phone's outbox shows it as refused."""
    await service.acknowledge(db_session, single_values(data), ctx)
    return redirect("/jobs/mine", _("Thank you. Have a good working day."), request=request)


ROUTES = [card_page, save_card, acknowledge]
