"""The coordinators' live board: filters, counts, row fragments and the SSE stream (F09)."""

import uuid
from datetime import datetime
from functools import partial
from typing import Annotated

from litestar import Request, Response, get, post
from litestar.channels import ChannelsPlugin
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, ServerSentEvent, Template
from markupsafe import Markup
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Ctx, load_calendar
from app.accounts.auth import roles_allowed
from app.accounts.models import Office, Role
from app.callbacks import service as callbacks
from app.core.calendar import WorkingCalendar
from app.core.forms import Form
from app.core.i18n import _, get_locale
from app.core.kept_pages import KEPT_PAGE, kept_page
from app.core.kept_parts import drawn_from
from app.core.page_cache import Shows
from app.core.web import redirect
from app.desk.engineers import engineer_loads
from app.jobs import board_log, escalations, queries
from app.jobs.events import BoardFeed, board_stream
from app.jobs.models import Zone
from app.jobs.states import JobState
from app.shifts import rota
from app.shifts import service as shifts
from app.sync.status import waiting_on_phones
from app.visits import queries as visit_queries

DB = NamedDependency[AsyncSession]
BOARD_GUARD = [roles_allowed(Role.COORDINATOR)]
BOARD_READ = [roles_allowed(Role.COORDINATOR, Role.REGIONAL)]  # the regional user reads, never acts


def _filters(state: str, engineer: str, zone: str, overdue: str, sort: str, page: int) -> queries.BoardFilters:
    """Unknown filter values are ignored rather than failing the board."""
    try:
        engineer = str(uuid.UUID(engineer)) if engineer else ""
    except ValueError:
        engineer = ""
    return queries.BoardFilters(
        state=state if state in JobState.__members__ else "",
        engineer_id=engineer,
        zone=zone if zone in Zone.__members__ else "",
        overdue=overdue == "1",
        sort=sort if sort in queries.SORTS else "due",
        page=max(1, min(page, 10_000)),
    )


@get("/board", guards=BOARD_READ, opt=KEPT_PAGE)
async def board(
    request: Request,
    state_filter: Annotated[str, QueryParameter(name="state")] = "",
    engineer: FromQuery[str] = "",
    zone: FromQuery[str] = "",
    overdue: FromQuery[str] = "",
    sort: FromQuery[str] = "due",
    page: FromQuery[int] = 1,
) -> Response:
    user = request.user
    # Times left are shown in minutes: the board is drawn for the minute, so a kept copy stays right for it.
    now = request.app.state.clock().replace(second=0, microsecond=0)
    filters = _filters(state_filter, engineer, zone, overdue, sort, page)
    key = ("board", user.office_id, user.role == Role.MANAGER, get_locale(), filters, now)
    render = partial(_render_board, request, filters=filters, now=now)
    return await kept_page(request, "jobs/board.html", "board", key, render, board_log.notes_between)


async def _render_board(
    request: Request, db: AsyncSession, *, filters: queries.BoardFilters, now: datetime
) -> tuple[str, Shows]:
    """The board in parts: drawn again after each change of the office, it draws again only the parts that show
    the change (``app.core.kept_parts``): a row per job, the filters, the engineers; the counts are one query.
    It shows the details of its rows' jobs and the phones' reports (the engineers panel)."""
    user, parts, templates = request.user, request.app.state.kept_parts, request.app.template_engine
    board_seq = await board_log.last_seq(db, user.office_id)  # first: the drawing is at least this new
    calendar = await load_calendar(db, user.office_id, request.app.state.settings)
    rows, more = await queries.board_page(db, user.office_id, filters, now)
    counts, overdue_count = await queries.board_counts(db, user.office_id, now)
    to_assign, to_assign_count, staff = None, 0, None  # S9, S19: on the board as it opens, not filtered or later
    call_backs = None  # S2: the hotline's call-backs still to make
    if not (filters.state or filters.engineer_id or filters.zone or filters.overdue) and filters.page == 1:
        to_assign, to_assign_count = await queries.start_of_day(db, user.office_id, calendar, now)
        staff = await shifts.staff_ready(db, user.office_id, calendar, now)
        if user.role != Role.REGIONAL:  # the regional user reads boards, makes no calls
            call_backs = await callbacks.open_call_backs(db, user.office_id)
    visits = await visit_queries.progress_for_jobs(db, [row.job for row in rows])  # checklist progress
    on_phones = await waiting_on_phones(db, [row.job for row in rows])  # changes the phones still hold
    # plain strings: the part's key compares them at every drawing
    engineers = tuple((str(id_), name) for id_, name in await queries.engineer_options(db, user.office_id))
    today = await _engineers_today(db, user.office_id, calendar, now)

    def row_part(row: queries.JobRow) -> Markup:
        job, visit, held = row.job, visits.get(row.job.id), on_phones.get(str(row.job.id))
        key = ("board row", drawn_from(job), row.customer_name, row.engineer_name, repr(visit), held, now)
        context = {"row": row, "now": now, "visits": visits, "on_phones": on_phones}
        return parts.draw(key, lambda: templates.get_template("jobs/_board_row.html").render(**context))

    context = {
        "to_assign": to_assign,  # S9: the start of the day's dispatching
        "to_assign_count": to_assign_count,
        "call_backs": call_backs,  # S2: due first at the top, red once late
        "staff": staff,  # S19: who is ready, late or missing against their role's limit
        "on_duty": await rota.on_duty(db, user.office_id, calendar.local_date(now)),  # S23
        "office": await db.get(Office, user.office_id),
        "board_seq": board_seq,
        "row_parts": [row_part(row) for row in rows],
        "more": more,
        "filters": filters,
        "counts": counts,
        "overdue_count": overdue_count,
        "now": now,
        "filters_part": parts.draw(
            ("board filters", filters, engineers),
            lambda: templates.get_template("jobs/_board_filters.html").render(filters=filters, engineers=engineers),
        ),
        "engineers_part": parts.draw(
            ("board engineers", repr(today)),
            lambda: templates.get_template("jobs/_board_engineers.html").render(**today),
        ),
        "escalations": await escalations.open_escalations(db, user.office_id, escalations.MANAGER_TOLD)
        if user.role == Role.MANAGER
        else [],
    }
    shown = Shows(jobs=frozenset(row.job.id for row in [*rows, *(to_assign or [])]), phones=True)
    return templates.get_template("jobs/_board.html").render(**context), shown


@get("/board/rows/{job_id:uuid}", guards=BOARD_READ)
async def board_row(request: Request, db_session: DB, job_id: FromPath[uuid.UUID]) -> Template:
    """One row, rendered alone: the board swaps it in when that job changes."""
    row = await queries.board_row(db_session, request.user.office_id, job_id)
    visits = await visit_queries.progress_for_jobs(db_session, [row.job]) if row else {}  # checklist progress
    on_phones = await waiting_on_phones(db_session, [row.job]) if row else {}  # changes the phones still hold
    return Template(
        "jobs/_board_row.html",
        context={
            "row": row,
            "now": request.app.state.clock(),
            "job_id": job_id,
            "visits": visits,
            "on_phones": on_phones,
        },
        headers={"Vary": "HX-Request"},
    )


@get("/board/counts", guards=BOARD_READ)
async def board_counts(request: Request, db_session: DB) -> Template:
    now = request.app.state.clock()
    counts, overdue_count = await queries.board_counts(db_session, request.user.office_id, now)
    return Template(
        "jobs/_board_counts.html",
        context={"counts": counts, "overdue_count": overdue_count},
        headers={"Vary": "HX-Request"},
    )


async def _engineers_today(db: AsyncSession, office_id: uuid.UUID, calendar: WorkingCalendar, now: datetime) -> dict:
    loads, count = await engineer_loads(db, office_id, calendar, calendar.local_date(now), now=now)
    return {"loads": loads, "engineer_count": count}


@get("/board/engineers", guards=BOARD_READ)
async def board_engineers(request: Request, db_session: DB) -> Template:
    """Engineers today and what their phones last reported: the board redraws it when a phone reports."""
    office_id = request.user.office_id
    calendar = await load_calendar(db_session, office_id, request.app.state.settings)
    context = await _engineers_today(db_session, office_id, calendar, request.app.state.clock())
    return Template("jobs/_board_engineers.html", context=context, headers={"Vary": "HX-Request"})


@get("/board/events", guards=BOARD_READ)
async def board_events(
    request: Request, channels: NamedDependency[ChannelsPlugin], after: FromQuery[str] = ""
) -> ServerSentEvent:
    """The board's live events, from the one after the last it saw (``Last-Event-ID``, else ``after``)."""
    last = request.headers.get("last-event-id", "") or after
    feed = BoardFeed(request.app.state.sessionmaker, request.user.office_id, int(last) if last.isdigit() else None)
    return ServerSentEvent(board_stream(channels, feed, request.app.state.settings.board_keepalive_seconds))


@post("/escalations/{escalation_id:uuid}/{action:str}", guards=BOARD_GUARD)
async def escalation_action(
    request: Request, db_session: DB, ctx: Ctx, escalation_id: FromPath[uuid.UUID], action: FromPath[str], data: Form
) -> Redirect:
    values = {key: value[-1] if isinstance(value, list) else value for key, value in data.items()}
    if action == "acknowledge":
        escalation = await escalations.acknowledge(db_session, escalation_id, ctx)
    elif action == "lead-acknowledge":
        escalation = await escalations.lead_acknowledge(db_session, escalation_id, ctx)
    elif action == "next-tier":
        escalation = await escalations.next_tier(db_session, escalation_id, values, ctx)
    elif action == "resolve":
        escalation = await escalations.resolve(db_session, escalation_id, values, ctx)
    else:
        raise NotFoundException()
    return redirect(f"/jobs/{escalation.job_id}", _("Escalation updated."), request=request)


ROUTES = [board, board_row, board_counts, board_engineers, board_events, escalation_action]
