"""The one place a part fitted on the checklist meets the parts ledger (F20): checked, then a FIT movement."""

import uuid

from sqlalchemy import func, or_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.i18n import _
from app.jobs.lifecycle import Context
from app.jobs.models import Job
from app.parts.idempotency import MovementKey, lock_rows
from app.parts.models import PartUnit, UnitStatus
from app.parts.returns import record_fit
from app.parts.scan import code_from_text
from app.visits.engine import ChecklistRefused, check_part_serial


async def fit_part(
    db: AsyncSession, job: Job, ctx: Context, code: str, *, removed_serial: str, movement_id: uuid.UUID
) -> str:
    """The normalised serial of a part fitted on ``job``, recorded as fitted at the customer's (a ledger movement
    in the step's own transaction); refused unless that unit (by label or serial) is checked out to the engineer
    for ``job``. Once fitted, the unit can only come back as the faulty part it replaced, never as unused."""
    serial = check_part_serial(code_from_text(code))  # a scanned label's URL names the unit
    found = (
        await db.exec(
            select(PartUnit.id).where(
                PartUnit.office_id == job.office_id, or_(PartUnit.code == serial, func.upper(PartUnit.serial) == serial)
            )
        )
    ).first()
    unit = (await lock_rows(db, PartUnit, [found]))[0] if found else None
    if unit is None or unit.holder_id != ctx.actor.id or unit.job_id != job.id or unit.status != UnitStatus.OUT:
        raise ChecklistRefused(
            _(
                "The part %(serial)s is not checked out to you for this job. Borrow it at the "
                "parts counter first (F20).",
                serial=serial,
            ),
            "fitted_serial",
        )
    key = MovementKey(movement_id, "fit", {"code": unit.code, "job_id": str(job.id), "removed": removed_serial})
    await record_fit(db, ctx, key, unit, job_id=job.id, removed_serial=removed_serial)
    return unit.serial
