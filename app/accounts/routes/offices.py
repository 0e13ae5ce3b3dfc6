"""The office settings page (letterhead, districts, time zone, working hours) of the office one looks at, and the
regional user's offices: the list, a new office, and the switch from one office to another."""

import uuid

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts import offices
from app.accounts.auth import regional_only, roles_allowed
from app.accounts.models import Role
from app.accounts.navigation import home_url
from app.accounts.office import lead_candidates, office_of, save_letterhead
from app.core.acts import act
from app.core.errors import DomainError
from app.core.forms import Form, Multipart, single_values
from app.core.i18n import _
from app.core.validation import error_context
from app.core.web import redirect

DB = NamedDependency[AsyncSession]
MANAGER = [roles_allowed(Role.REGIONAL)]  # the office's manager, or the regional user looking at it
REGIONAL = [regional_only]


def _office_form(office, values: dict, leads: list, error: DomainError | None = None) -> Template:
    context = {
        "office": office,
        "values": values,
        "time_zones": offices.time_zones(),
        "leads": leads,
        **error_context(error),
    }
    return Template("accounts/office.html", context=context, status_code=422 if error else 200)


@get("/office", guards=MANAGER)
async def office_page(request: Request, db_session: DB) -> Template:
    office = await office_of(db_session, request.user)
    return _office_form(office, office.model_dump(), await lead_candidates(db_session, office.id))


@post("/office", guards=MANAGER, request_max_body_size=40_000_000)
async def save_office(request: Request, db_session: DB, data: Multipart) -> Response:
    upload = data.get("logo")
    logo = await upload.read() if isinstance(upload, UploadFile) and upload.filename else None
    values = {name: str(value) for name, value in data.items() if not isinstance(value, UploadFile)}

    async def redraw(error: DomainError) -> Template:
        await db_session.rollback()
        office = await office_of(db_session, request.user)
        return _office_form(office, values, await lead_candidates(db_session, office.id), error)

    return await act(
        save_letterhead(db_session, request.app.state.settings, request.user, values, logo),
        done=redirect("/office", _("Office settings saved."), request=request),
        refused=redraw,
    )


@get("/offices", guards=REGIONAL)
async def offices_page(request: Request, db_session: DB) -> Template:
    context = {"offices": await offices.overseen(db_session, request.user), "current": request.user.office_id}
    return Template("accounts/offices.html", context=context)


def _new_office_form(values: dict, error: DomainError | None = None) -> Template:
    context = {"values": values, "time_zones": offices.time_zones(), **error_context(error)}
    return Template("accounts/office_new.html", context=context, status_code=422 if error else 200)


@get("/offices/new", guards=REGIONAL)
async def new_office(request: Request) -> Template:
    settings = request.app.state.settings
    values = {"time_zone": settings.timezone.key, "copy_holidays": "on"}
    values |= {"work_start": settings.work_start.strftime("%H:%M"), "work_end": settings.work_end.strftime("%H:%M")}
    return _new_office_form(values)


@post("/offices", guards=REGIONAL)
async def create_office(request: Request, db_session: DB, data: Form) -> Response:
    values = single_values(data)
    return await act(
        offices.create_office(db_session, request.user, values),
        done=lambda office: redirect("/offices", _("Office %(name)s created.", name=office.name), request=request),
        refused=lambda error: _new_office_form(values, error),
    )


@post("/offices/switch", guards=REGIONAL)
async def switch_office(request: Request, db_session: DB, data: Form) -> Redirect:
    """The office the regional user looks at from now on, on every page and device; then the board."""
    try:
        office_id = uuid.UUID(str(single_values(data).get("office", "")))
    except ValueError:
        office_id = uuid.uuid4()  # names no office: the same 404 as one they do not oversee
    office = await offices.switch_office(db_session, request.user, office_id)
    message = _("You are now looking at %(name)s.", name=office.name)
    return redirect(home_url(request.user), message, request=request)


ROUTES = [office_page, save_office, offices_page, new_office, create_office, switch_office]
