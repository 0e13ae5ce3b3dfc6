"""Parts statistics: hit rates, borrow failures, units out and overdue returns; and the live stock sheet."""

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.auth import roles_allowed
from app.accounts.models import Role
from app.core import formats
from app.parts import flows, queries, stats

DB = NamedDependency[AsyncSession]


@get("/parts/stats", guards=[roles_allowed(Role.CLERK)])
async def stats_page(request: Request, db_session: DB, months: FromQuery[int] = 6) -> Template:
    now = request.app.state.clock()
    months = max(1, min(months, 24))
    report = await stats.hit_rates(
        db_session, request.user.office_id, stats.since_months(now, months), formats.office_time_zone()
    )
    return Template(
        "parts/stats.html",
        context={
            "report": report,
            "months": months,
            "now": now,
            "out": await queries.units_out(db_session, request.user.office_id),
            "overdue_days": request.app.state.settings.parts_overdue_days,
            "reasons": flows.FAILURE_REASONS,
        },
    )


@get("/parts/stock", guards=[roles_allowed(Role.CLERK, Role.RECEPTION, Role.COORDINATOR)])
async def stock_page(request: Request, db_session: DB) -> Template:
    """S20: the reception's stock sheet, read live: the parts in stock now, per part number and station."""
    stock = await queries.stock(db_session, request.user.office_id)
    return Template("parts/stock.html", context={"stock": stock, "now": request.app.state.clock()})


ROUTES = [stats_page, stock_page]
