"""The manager's office settings page: the letterhead of service reports and other customer documents."""

from typing import Annotated

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.auth import roles_allowed
from app.accounts.models import Role
from app.accounts.office import office_of, save_letterhead
from app.core.errors import DomainError
from app.core.i18n import _
from app.core.validation import error_context
from app.core.web import redirect

DB = NamedDependency[AsyncSession]
Multipart = Annotated[dict, Body(media_type=RequestEncodingType.MULTI_PART)]
MANAGER = [roles_allowed(Role.MANAGER)]


@get("/office", guards=MANAGER)
async def office_page(request: Request, db_session: DB) -> Template:
    office = await office_of(db_session, request.user)
    context = {"office": office, "values": office.model_dump(), **error_context(None)}
    return Template("accounts/office.html", context=context)


@post("/office", guards=MANAGER, request_max_body_size=40_000_000)
async def save_office(request: Request, db_session: DB, data: Multipart) -> Template | Redirect:
    upload = data.get("logo")
    logo = await upload.read() if isinstance(upload, UploadFile) and upload.filename else None
    values = {name: str(value) for name, value in data.items() if not isinstance(value, UploadFile)}
    try:
        await save_letterhead(db_session, request.app.state.settings, request.user, values, logo)
    except DomainError as error:
        await db_session.rollback()
        office = await office_of(db_session, request.user)
        context = {"office": office, "values": values, **error_context(error)}
        return Template("accounts/office.html", context=context, status_code=422)
    return redirect("/office", _("Office settings saved."), request=request)


ROUTES = [office_page, save_office]
