"""What the report pages show: the KPI figures of a period, its charts and breakdown (F49, F50)."""

import uuid
from datetime import datetime, timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core import formats
from app.core.i18n import _
from app.jobs.models import Device
from app.jobs.sla import RULE_LABELS
from app.jobs.texts import state_label
from app.reports import kpis
from app.reports.charts import bar_chart
from app.reports.periods import Period


def scope_for(
    office_id: uuid.UUID, period: Period, tz, now: datetime, *, engineer: str = "", zone: str = "", model: str = ""
) -> kpis.Scope:
    start, end = period.bounds(tz)
    try:
        engineer_id = uuid.UUID(engineer) if engineer else None
    except ValueError:
        engineer_id = None
    return kpis.Scope(
        office_id=office_id, start=start, end=end, now=now, engineer_id=engineer_id, zone=zone[:20], model=model[:120]
    )


def percent(rate: float | None) -> str:
    return formats.percent(rate)


def duration(seconds: float) -> str:
    """A delay the way people read it: minutes, hours or days."""
    if seconds < 3600:
        return _("%(n)s min", n=formats.number(seconds / 60))
    if seconds < 86400:
        return _("%(n)s h", n=formats.number(seconds / 3600, 1))
    return _("%(n)s d", n=formats.number(seconds / 86400, 1))


async def models(db: AsyncSession, office_id: uuid.UUID) -> list[str]:
    rows = await db.exec(select(Device.model).where(Device.office_id == office_id).distinct().order_by(Device.model))
    return list(rows.all())


def trend_months(period: Period, tz, count: int = 6) -> list[tuple[str, datetime, datetime]]:
    """The ``count`` months ending with the period's last month."""
    last_day = period.first_and_next_day()[1] - timedelta(days=1)
    year, month = last_day.year, last_day.month
    months = []
    for _step in range(count):
        start, end = Period(year, month).bounds(tz)
        months.append((f"{year}-{month:02d}", start, end))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


async def kpi_report_view(db: AsyncSession, scope: kpis.Scope, dimension: str, period: Period, tz) -> dict:
    report = await kpis.build_kpi_report(db, scope)
    trend = await kpis.monthly_trend(db, scope, trend_months(period, tz))
    trend_chart = bar_chart(_("Complaints per month"), [(p.label, p.complaints, str(p.complaints)) for p in trend])
    states: dict[str, int] = {}
    for (_type, state), count in report.volumes.items():
        states[state] = states.get(state, 0) + count
    sla_chart = bar_chart(
        _("On time, per time rule"),
        [
            (_(RULE_LABELS.get(r.rule, r.rule)), (r.on_time_rate or 0) * 100, percent(r.on_time_rate))
            for r in report.sla
        ],
        maximum=100,
        late_below=80,
    )
    state_chart = bar_chart(
        _("Jobs received, by state"),
        [(state_label(state), count, str(count)) for state, count in sorted(states.items(), key=lambda i: -i[1])],
    )
    dimension = dimension if dimension in kpis.DIMENSIONS else "engineer"
    return {
        "report": report,
        "sla_chart": sla_chart,
        "state_chart": state_chart,
        "dimension": dimension,
        "breakdown": await kpis.breakdown(db, scope, dimension),
        "percent": percent,
        "duration": duration,
        "target": kpis.CARRY_OVER_TARGET,
        "job_types": sorted({t for t, _s in report.volumes}),
        "states": sorted({s for _t, s in report.volumes}),
        "trend": trend,
        "trend_chart": trend_chart,
        "rising": kpis.is_rising(trend),
    }
