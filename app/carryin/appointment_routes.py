"""Carry-in appointments: the day view with its room, booking, cancelling, no-shows and the office's daily
capacity (F41). Reception and coordinators book; the manager sets the capacity."""

import uuid
from datetime import date, timedelta

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Response, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Ctx, load_calendar
from app.accounts.auth import roles_allowed
from app.accounts.models import Role
from app.carryin import appointments
from app.core.acts import act
from app.core.errors import DomainError
from app.core.forms import Form, single_values
from app.core.i18n import _
from app.core.validation import error_context
from app.core.web import redirect

DB = NamedDependency[AsyncSession]
COUNTER = roles_allowed(Role.RECEPTION, Role.COORDINATOR)  # and the manager
MANAGER = roles_allowed()  # the office's own setting


class AppointmentsController(Controller):
    path = "/appointments"

    @get("/", guards=[COUNTER])
    async def day_view(self, request: Request, db_session: DB, day: FromQuery[str] = "") -> Template:
        return await _day_page(request, db_session, day)

    @get("/new", guards=[COUNTER])
    async def new(self, request: Request, db_session: DB, day: FromQuery[str] = "") -> Template:
        calendar = await load_calendar(db_session, request.user.office_id, request.app.state.settings)
        chosen = _chosen_day(day, calendar.local_date(request.app.state.clock()))
        return _booking_page({"day": chosen.isoformat(), "appointment_id": str(uuid.uuid4())})

    @post("/", guards=[COUNTER])
    async def book(self, request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
        values = single_values(data)
        return await act(
            appointments.book(db_session, values, ctx),
            done=lambda booked: redirect(
                f"/appointments?day={booked.day.isoformat()}", _("Appointment booked."), request=request
            ),
            refused=lambda error: _booking_page(values, error),
        )

    @post("/{appointment_id:uuid}/cancel", guards=[COUNTER])
    async def cancel(
        self, request: Request, db_session: DB, ctx: Ctx, appointment_id: FromPath[uuid.UUID], data: Form
    ) -> Response:
        change = appointments.close(db_session, appointment_id, appointments.CANCELLED, single_values(data), ctx)
        return await _closed(request, db_session, change, _("Appointment cancelled."), appointment_id)

    @post("/{appointment_id:uuid}/no-show", guards=[COUNTER])
    async def no_show(
        self, request: Request, db_session: DB, ctx: Ctx, appointment_id: FromPath[uuid.UUID], data: Form
    ) -> Response:
        change = appointments.close(db_session, appointment_id, appointments.NO_SHOW, single_values(data), ctx)
        return await _closed(request, db_session, change, _("Marked as a no-show."), appointment_id)

    @post("/capacity", guards=[MANAGER])
    async def capacity(self, request: Request, db_session: DB, ctx: Ctx, data: Form) -> Response:
        values = single_values(data)
        return await act(
            appointments.set_capacity(db_session, values, ctx),
            done=redirect("/appointments", _("Daily carry-in capacity saved."), request=request),
            refused=lambda error: _day_page(request, db_session, "", error, values),
        )


async def _closed(request: Request, db: AsyncSession, change, done: str, appointment_id: uuid.UUID) -> Response:
    async def redraw(error: DomainError) -> Template:
        booked = await db.get(appointments.Appointment, appointment_id)
        return await _day_page(request, db, booked.day.isoformat() if booked else "", error, {}, appointment_id)

    return await act(
        change,
        done=lambda closed: redirect(f"/appointments?day={closed.day.isoformat()}", done, request=request),
        refused=redraw,
    )


def _chosen_day(raw: str, today: date) -> date:
    """The day asked for in the address, else today; never outside the booking horizon's reach."""
    try:
        chosen = date.fromisoformat(raw.strip()) if raw and len(raw) <= 10 else today
    except ValueError:
        chosen = today
    return min(max(chosen, today - timedelta(days=366)), today + appointments.HORIZON)


async def _day_page(
    request: Request, db: AsyncSession, raw_day: str, error=None, values=None, failed: uuid.UUID | None = None
) -> Template:
    office_id = request.user.office_id
    calendar = await load_calendar(db, office_id, request.app.state.settings)
    today = calendar.local_date(request.app.state.clock())
    plan = await appointments.day_plan(db, office_id, _chosen_day(raw_day, today), calendar)
    step = timedelta(days=1)
    earlier, later = plan.day - step, plan.day + step
    while not calendar.is_working_day(earlier):
        earlier -= step
    while not calendar.is_working_day(later):
        later += step
    context = {
        "plan": plan,
        "today": today,
        "earlier": earlier,
        "later": later,
        "next_free": await appointments.next_day_with_room(db, office_id, today, calendar, plan.bookable),
        "state_labels": appointments.STATE_LABELS,
        "held_share": appointments.HELD_BACK,
        "values": values or {"daily_capacity": plan.capacity},
        "failed": failed,
        **error_context(error),
    }
    return Template("carryin/appointments.html", context=context, status_code=422 if error else 200)


def _booking_page(values: dict, error=None) -> Template:
    context = {"values": values, **error_context(error)}
    return Template("carryin/appointment_new.html", context=context, status_code=422 if error else 200)
