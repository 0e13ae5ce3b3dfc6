"""The one place a fitted part's serial is checked against the parts ledger (F20)."""

from sqlalchemy import func, or_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import User
from app.core.i18n import _
from app.jobs.models import Job
from app.parts.models import PartUnit, UnitStatus
from app.parts.scan import code_from_text
from app.visits.engine import ChecklistRefused, check_part_serial


async def check_fitted_part(db: AsyncSession, job: Job, engineer: User, code: str) -> str:
    """The normalised serial of a part fitted on ``job``; refused unless that unit (by label or serial) is
    checked out to ``engineer`` for ``job``."""
    serial = check_part_serial(code_from_text(code))  # a scanned label's URL names the unit
    unit = (
        await db.exec(
            select(PartUnit).where(
                PartUnit.office_id == job.office_id, or_(PartUnit.code == serial, func.upper(PartUnit.serial) == serial)
            )
        )
    ).first()
    if unit is None or unit.holder_id != engineer.id or unit.job_id != job.id or unit.status != UnitStatus.OUT:
        raise ChecklistRefused(
            _(
                "The part %(serial)s is not checked out to you for this job. Borrow it at the "
                "parts counter first (F20).",
                serial=serial,
            ),
            "fitted_serial",
        )
    return unit.serial
