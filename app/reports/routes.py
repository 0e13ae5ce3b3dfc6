"""Management reports, their CSV export and printable page, and the audit log (F49, F50, F59)."""

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Stream, Template
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.auth import roles_allowed
from app.accounts.models import Role, User
from app.audit import trail
from app.core import formats
from app.core.forms import Form
from app.core.i18n import _
from app.core.web import redirect
from app.jobs import queries
from app.jobs.models import Zone
from app.reports import approvals, export, service
from app.reports.periods import parse_period, recent_periods

DB = NamedDependency[AsyncSession]


class KpiReportsController(Controller):
    """The branch manager sees reports and exports (domain.md §12.3), and so does a regional user for the office
    they look at; only the manager approves a period or reads the audit log."""

    path = "/reports"
    guards = [roles_allowed(Role.REGIONAL)]

    @get("/")
    async def report(
        self,
        request: Request,
        db_session: DB,
        period: FromQuery[str] = "",
        by: FromQuery[str] = "",
        engineer: FromQuery[str] = "",
        zone: FromQuery[str] = "",
        model: FromQuery[str] = "",
    ) -> Template:
        context = await _context(request, db_session, period, by, engineer, zone, model)
        return Template("reports/report.html", context=context)

    @get("/print")
    async def printable(
        self,
        request: Request,
        db_session: DB,
        period: FromQuery[str] = "",
        by: FromQuery[str] = "",
        engineer: FromQuery[str] = "",
        zone: FromQuery[str] = "",
        model: FromQuery[str] = "",
    ) -> Template:
        context = await _context(request, db_session, period, by, engineer, zone, model)
        await trail.log(db_session, request, "report_print", "report", context["period"].code, context["filters"])
        return Template("reports/print.html", context=context)

    @post("/approve", guards=[roles_allowed()])
    async def approve(self, request: Request, db_session: DB, data: Form) -> Redirect:
        """F50: the branch manager approves a finished period's report, which is frozen as shown."""
        context = await _context(request, db_session, str(data.get("period", "")), "", "", "", "")
        body = request.app.template_engine.get_template("reports/_body.html").render(**context)
        await approvals.approve(db_session, request, context["period"], body)
        return redirect(f"/reports/?period={context['period'].code}", _("Report approved and frozen."), request=request)

    @get("/export.csv")
    async def export_csv(self, request: Request, db_session: DB, period: FromQuery[str] = "") -> Stream:
        now = request.app.state.clock()
        chosen = parse_period(period, now.astimezone(formats.office_time_zone()).date())
        scope = service.scope_for(request.user.office_id, chosen, formats.office_time_zone(), now)
        await trail.log(db_session, request, "export_csv", "jobs", chosen.code)
        watermark = _(
            "Confidential. Exported by %(name)s at %(when)s.",
            name=request.user.display_name,
            when=formats.when(now, "medium"),
        )
        texts = export.export_texts(formats.office_time_zone())
        return Stream(
            export.csv_chunks(request.app.state.sessionmaker, scope, watermark, texts),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="jobs-{chosen.code}-confidential.csv"',
                "Cache-Control": "no-store",
            },
        )

    @get("/audit", guards=[roles_allowed()])
    async def audit_log(self, request: Request, db_session: DB) -> Template:
        rows = await trail.entries(db_session, request.user.office_id)
        return Template("reports/audit.html", context={"rows": rows})


async def _context(
    request: Request, db: AsyncSession, period: str, by: str, engineer: str, zone: str, model: str
) -> dict:
    now = request.app.state.clock()
    today = now.astimezone(formats.office_time_zone()).date()
    chosen = parse_period(period, today)
    zone = zone if zone in Zone.__members__ else ""
    scope = service.scope_for(
        request.user.office_id, chosen, formats.office_time_zone(), now, engineer=engineer, zone=zone, model=model
    )
    view = await service.kpi_report_view(db, scope, by, chosen, formats.office_time_zone())
    filters = {"engineer": str(scope.engineer_id or ""), "zone": zone, "model": scope.model}
    approval = await approvals.approval_for(db, request.user.office_id, chosen)
    return {
        **view,
        # F50: the whole office's report of an approved period is shown as frozen; filtered views stay live
        "approval": approval,
        "approver": await db.get(User, approval.approved_by_id) if approval else None,
        "frozen": approval is not None and view["dimension"] == "engineer" and not (engineer or zone or model),
        "approvable": approval is None and chosen.bounds(formats.office_time_zone())[1] <= now,
        "period": chosen,
        "periods": recent_periods(today),
        "filters": filters,
        "now": now,
        "engineers": await queries.engineers(db, request.user.office_id, active_only=False),
        "models": await service.models(db, request.user.office_id),
    }
