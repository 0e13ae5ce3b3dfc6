"""The office calendar of its manager (or of the regional user looking at it): holidays that stop the SLA clocks."""

from datetime import date

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.auth import roles_allowed
from app.accounts.models import Role
from app.core import formats
from app.core.forms import Form, single_values
from app.core.i18n import _
from app.core.validation import FieldError, error_context
from app.core.web import redirect
from app.jobs import holidays

DB = NamedDependency[AsyncSession]
MANAGER = [roles_allowed(Role.REGIONAL)]  # and the manager


@get("/calendar", guards=MANAGER)
async def calendar_page(request: Request, db_session: DB) -> Template:
    days = await holidays.list_holidays(db_session, request.user.office_id)
    return Template("jobs/calendar.html", context={"holidays": days, "values": {}, **error_context(None)})


@post("/calendar", guards=MANAGER)
async def add_holiday(request: Request, db_session: DB, data: Form) -> Template | Redirect:
    values = single_values(data)
    try:
        holiday = await holidays.add_holiday(db_session, request.user.office_id, values)
    except FieldError as error:
        days = await holidays.list_holidays(db_session, request.user.office_id)
        return Template(
            "jobs/calendar.html",
            context={"holidays": days, "values": values, **error_context(error)},
            status_code=422,
        )
    return redirect("/calendar", _("Holiday %(day)s saved.", day=formats.day(holiday.day)), request=request)


@post("/calendar/{day:date}/delete", guards=MANAGER)
async def remove_holiday(request: Request, db_session: DB, day: FromPath[date]) -> Redirect:
    await holidays.remove_holiday(db_session, request.user.office_id, day)
    return redirect("/calendar", _("Holiday removed."), request=request)


ROUTES = [calendar_page, add_holiday, remove_holiday]
