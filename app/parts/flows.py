"""The clerk's confirmation (T17, INV-4), borrow-failure slips (T6, F32) and settling a job's parts after T16."""

import uuid

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.models import Role
from app.core import validation as v
from app.core.database import transaction
from app.core.i18n import N_, _
from app.jobs.access import get_job_for
from app.jobs.lifecycle import move, record
from app.jobs.models import Job, JobType
from app.jobs.states import JobState
from app.parts.idempotency import MovementKey, lock_rows, replayed, take_write_lock
from app.parts.ledger import Refused, movement, unit_movement
from app.parts.models import MovementKind, Part, PartMovement, PartUnit
from app.parts.queries import parts_pending

S = JobState
FAILURE_REASONS = {
    "out_of_stock": N_("Out of stock"),
    "reserved": N_("Reserved for another job"),
    "faulty_stock": N_("Only faulty stock"),
}
TO_AWAITING_PARTS = {JobType.ONSITE: {S.SCHEDULED}, JobType.CARRY_IN: {S.IN_REPAIR}}


async def confirm_returns(db: AsyncSession, ctx: Context, key: MovementKey, job_id: uuid.UUID) -> list[PartMovement]:
    """The clerk confirms every returned unit of the job (F31); the last confirmation moves it on (T17)."""
    async with transaction(db):
        await take_write_lock(db)
        if (rows := await replayed(db, key)) is not None:
            return rows
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        units = await lock_rows(
            db, PartUnit, (await db.exec(select(PartUnit.id).where(PartUnit.job_id == job.id))).all()
        )
        still_out = [unit.code for unit in units if unit.holder_id is not None]
        if still_out:
            raise Refused(
                _(
                    "Parts of job %(number)s are still out: %(codes)s. Take them back first.",
                    number=job.number,
                    codes=", ".join(still_out),
                )
            )
        returned = [unit for unit in units if unit.awaiting_confirmation]
        if not returned:
            raise Refused(_("Job %(number)s has no returned parts waiting for confirmation.", number=job.number))
        rows = []
        for index, unit in enumerate(returned):
            rows.append(
                unit_movement(
                    ctx,
                    key,
                    index,
                    MovementKind.CONFIRM_RETURN,
                    unit,
                    job_id=job.id,
                    details={"status": unit.status},
                )
            )
            unit.awaiting_confirmation, unit.job_id = False, None
            unit.version += 1
            db.add(unit)
        db.add_all(rows)
        record(db, job, ctx, "parts_confirmed", details={"units": [unit.code for unit in returned]})
        if job.state == S.AWAITING_PARTS_RETURN:
            await move(db, job, S.PARTS_CONFIRMED, ctx, kind="parts_confirmed_all")
    return rows


async def settle_parts(db: AsyncSession, job: Job, ctx: Context) -> bool:
    """After T16: moves the job to PARTS_CONFIRMED at once when nothing is out or unconfirmed (T17, automatic).

    The caller owns the transaction. Returns True when the job moved on.
    """
    if job.state != S.AWAITING_PARTS_RETURN or await parts_pending(db, job.id):
        return False
    await move(
        db,
        job,
        S.PARTS_CONFIRMED,
        ctx,
        kind="parts_settled",
        automatic=True,
        details={"reason": "nothing borrowed or all returns confirmed"},
    )
    return True


async def record_borrow_failure(db: AsyncSession, ctx: Context, key: MovementKey, data: dict) -> PartMovement:
    """A borrow-failure slip: part, job, engineer, reason; the job waits for parts (T6, F32)."""
    async with transaction(db):
        await take_write_lock(db)
        if (rows := await replayed(db, key)) is not None:
            return rows[0]
        check = v.Collector()
        try:
            job_id = uuid.UUID(str(data.get("job_id", "")))
        except ValueError:
            job_id = None
            check.add("job_id", _("Choose the job the part is needed for."))
        part = await _part(db, ctx, str(data.get("part", "")))
        if part is None:
            check.add("part", _("Choose the part that is needed."))
        reason = check(v.choice, data, "reason", FAILURE_REASONS, label=_("reason"))
        note = check(v.text, data, "note", max_length=500, required=False, label=_("Note"))
        check.done()
        job = await get_job_for(db, job_id, ctx.actor, lock=True)
        if not job.is_open or job.engineer_id is None:
            raise Refused(_("Job %(number)s has no engineer waiting for parts.", number=job.number))
        if ctx.actor.role_enum == Role.ENGINEER and job.engineer_id != ctx.actor.id:
            raise Refused(_("You can record a borrow failure only for your own jobs."))
        row = movement(
            ctx,
            key,
            0,
            MovementKind.BORROW_FAILURE,
            None,
            part.id,
            job_id=job.id,
            engineer_id=job.engineer_id,
            details={"reason": reason, "note": note, "part": part.number},
        )
        db.add(row)
        record(
            db,
            job,
            ctx,
            "borrow_failure",
            reason=note,
            details={"part": f"{part.number} {part.name}", "reason": reason},
        )
        if job.state in TO_AWAITING_PARTS.get(JobType(job.job_type), set()):
            await move(db, job, S.AWAITING_PARTS, ctx, kind="awaiting_parts")
    return row


async def _part(db: AsyncSession, ctx: Context, wanted: str) -> Part | None:
    """The office's part with this id, number or code, or None."""
    wanted = wanted.strip()
    query = select(Part).where(Part.office_id == ctx.actor.office_id)
    try:
        return (await db.exec(query.where(Part.id == uuid.UUID(wanted)))).first()
    except ValueError:
        return (await db.exec(query.where((Part.number == wanted) | (Part.code == wanted.upper())))).first()
