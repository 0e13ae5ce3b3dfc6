"""The office calendar of its manager (or of the regional user looking at it): holidays that stop the SLA clocks
and make-up working days (调休上班), weekend days on which they run."""

from datetime import date

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.auth import roles_allowed
from app.accounts.models import DayKind, Role
from app.core import formats
from app.core.forms import Form, single_values
from app.core.i18n import N_, _
from app.core.validation import FieldError, error_context
from app.core.web import redirect
from app.jobs import holidays

DB = NamedDependency[AsyncSession]
MANAGER = [roles_allowed(Role.REGIONAL)]  # and the manager


@get("/calendar", guards=MANAGER)
async def calendar_page(request: Request, db_session: DB) -> Template:
    return await _page(request, db_session)


SAVED = {DayKind.HOLIDAY: N_("Holiday %(day)s saved."), DayKind.WORKING: N_("Make-up working day %(day)s saved.")}
REMOVED = {DayKind.HOLIDAY: N_("Holiday removed."), DayKind.WORKING: N_("Make-up working day removed.")}


@post("/calendar", guards=MANAGER)
async def add_holiday(request: Request, db_session: DB, data: Form) -> Template | Redirect:
    return await _add(request, db_session, DayKind.HOLIDAY, data)


@post("/calendar/{day:date}/delete", guards=MANAGER)
async def remove_holiday(request: Request, db_session: DB, day: FromPath[date]) -> Redirect:
    return await _remove(request, db_session, DayKind.HOLIDAY, day)


@post("/calendar/working-days", guards=MANAGER)
async def add_makeup_day(request: Request, db_session: DB, data: Form) -> Template | Redirect:
    return await _add(request, db_session, DayKind.WORKING, data)


@post("/calendar/working-days/{day:date}/delete", guards=MANAGER)
async def remove_makeup_day(request: Request, db_session: DB, day: FromPath[date]) -> Redirect:
    return await _remove(request, db_session, DayKind.WORKING, day)


async def _add(request: Request, db: AsyncSession, kind: DayKind, data: dict) -> Template | Redirect:
    values = single_values(data)
    try:
        added = await holidays.add_day(db, request.user.office_id, kind, values)
    except FieldError as error:
        return await _page(request, db, error, kind, values)
    return redirect("/calendar", _(SAVED[kind], day=formats.day(added.day)), request=request)


async def _remove(request: Request, db: AsyncSession, kind: DayKind, day: date) -> Redirect:
    await holidays.remove_day(db, request.user.office_id, kind, day)
    return redirect("/calendar", _(REMOVED[kind]), request=request)


async def _page(request: Request, db: AsyncSession, error=None, failed_form: str = "", values=None) -> Template:
    """The page; after a refusal, ``failed_form`` names the form refused (a day kind) and ``values`` what it sent."""
    office_id = request.user.office_id
    return Template(
        "jobs/calendar.html",
        status_code=422 if error else 200,
        context={
            "holidays": await holidays.list_days(db, office_id, DayKind.HOLIDAY),
            "makeup_days": await holidays.list_days(db, office_id, DayKind.WORKING),
            **error_context(error),
            "failed_form": failed_form,
            "values": values or {},
        },
    )


ROUTES = [calendar_page, add_holiday, remove_holiday, add_makeup_day, remove_makeup_day]
