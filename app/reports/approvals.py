"""Approving a period's service report (F50): the branch manager approves a finished month, half-year or year,
and the document is frozen as it was rendered then; the report page shows that copy from then on."""

import uuid

from litestar import Request
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.audit.trail import new_entry
from app.core import formats
from app.core.database import transaction
from app.core.i18n import _
from app.core.web import DomainError
from app.reports.models import ReportApproval
from app.reports.periods import Period


async def approval_for(db: AsyncSession, office_id: uuid.UUID, period: Period) -> ReportApproval | None:
    rows = await db.exec(
        select(ReportApproval).where(ReportApproval.office_id == office_id, ReportApproval.period == period.code)
    )
    return rows.first()


async def approve(db: AsyncSession, request: Request, period: Period, body: str) -> ReportApproval:
    """Freezes ``body`` (the rendered report of the whole office) as the approved report of ``period``."""
    now = request.app.state.clock()
    async with transaction(db):
        if period.bounds(formats.office_time_zone())[1] > now:
            raise DomainError(
                _("Only a finished period's report can be approved; %(period)s is still running.", period=period.code)
            )
        if await approval_for(db, request.user.office_id, period) is not None:
            raise DomainError(_("The report of %(period)s is already approved and frozen.", period=period.code))
        approval = ReportApproval(
            office_id=request.user.office_id,
            period=period.code,
            body=body,
            approved_by_id=request.user.id,
            approved_at=now,
        )
        db.add(approval)
        db.add(new_entry(request, "report_approved", "report", period.code))
    return approval
