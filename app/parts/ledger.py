"""Lending at the counter: every movement is a ledger row (domain.md §6.2); taking back and fitting are in
``app.parts.returns``.

Each function owns its transaction: it takes the locks, checks the guards, appends the movements and
updates the cached holder/status on the unit rows in the same transaction.
"""

import uuid
from datetime import timedelta

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.models import Role, User
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError
from app.core.i18n import _
from app.jobs.lifecycle import move, record
from app.jobs.models import Job, JobTeamMember, JobType
from app.jobs.states import JobState
from app.parts.idempotency import MovementKey, lock_rows, replayed, take_write_lock
from app.parts.models import Condition, MovementKind, PartMovement, PartUnit, UnitStatus
from app.parts.queries import holdings
from app.parts.scan import code_from_text

S = JobState
# Several units for one job may go out in one counter session (domain.md §6.2 step 3).
SESSION = timedelta(minutes=30)
# Parts go out against a dispatch or carry-in order that is open and not yet past the visit.
LENDABLE_STATES = {
    S.ASSIGNED,
    S.SCHEDULED,
    S.AWAITING_PARTS,
    S.EN_ROUTE,
    S.ON_SITE,
    S.DIAGNOSING,
    S.AWAITING_CUSTOMER_DECISION,
    S.REPAIRING,
    S.RECEIVED,
    S.IN_STORE,
    S.IN_REPAIR,
}
BACK_FROM_AWAITING = {JobType.ONSITE: S.SCHEDULED, JobType.CARRY_IN: S.IN_REPAIR}


class Refused(DomainError):
    """A movement the ledger's rules do not allow."""

    code = "movement_refused"


def movement(
    ctx: Context, key: MovementKey, index: int, kind: MovementKind, unit: PartUnit | None, part_id, **fields
) -> PartMovement:
    return PartMovement(
        id=key.row_id(index),
        office_id=ctx.actor.office_id,
        kind=kind,
        part_id=part_id,
        unit_id=unit.id if unit else None,
        actor_id=ctx.actor.id,
        request_hash=key.request_hash,
        at=ctx.now,
        device_at=ctx.device_at,
        **fields,
    )


def unit_movement(
    ctx: Context, key: MovementKey, index: int, kind: MovementKind, unit: PartUnit, **fields
) -> PartMovement:
    """The movement row of one unit: its part, and its condition unless the movement records another."""
    fields.setdefault("condition", unit.condition)
    return movement(ctx, key, index, kind, unit, unit.part_id, **fields)


async def find_unit(db: AsyncSession, office_id: uuid.UUID, code: str) -> PartUnit:
    clean = code_from_text(code)
    unit = (await db.exec(select(PartUnit).where(PartUnit.code == clean, PartUnit.office_id == office_id))).first()
    if unit is None:
        raise Refused(
            _("No part unit has the code %(code)s. Check the label or type the code again.", code=clean[:40] or "—")
        )
    return unit


async def _engineer(db: AsyncSession, engineer_id, office_id: uuid.UUID) -> User:
    try:
        engineer_uuid = uuid.UUID(str(engineer_id))
    except ValueError:
        raise Refused(_("Choose the engineer who takes the parts.")) from None
    rows = await lock_rows(db, User, [engineer_uuid])  # serialises check-outs to one engineer (INV-3)
    engineer = rows[0] if rows else None
    if engineer is None or engineer.office_id != office_id or engineer.role != Role.ENGINEER:
        raise Refused(_("Choose the engineer who takes the parts."))
    return engineer


async def _job(db: AsyncSession, job_id, office_id: uuid.UUID) -> Job:
    try:
        job = await db.get(Job, uuid.UUID(str(job_id)), populate_existing=True)
    except ValueError:
        job = None
    if job is None or job.office_id != office_id:
        raise Refused(_("Choose the job the parts are for."), field="job_id")
    return job


async def _assigned_to(db: AsyncSession, job: Job, engineer: User) -> bool:
    if job.engineer_id == engineer.id:
        return True
    team = await db.exec(
        select(JobTeamMember).where(JobTeamMember.job_id == job.id, JobTeamMember.user_id == engineer.id)
    )
    return team.first() is not None


async def check_out(
    db: AsyncSession,
    ctx: Context,
    key: MovementKey,
    *,
    engineer_id,
    job_id,
    codes: list[str],
    sealed: bool,
    exception_reason: str = "",
) -> list[PartMovement]:
    """Lends units to an engineer for one job: the borrowing-card entry (F28), return-before-borrow (F29)."""
    async with transaction(db):
        await take_write_lock(db)
        if (rows := await replayed(db, key)) is not None:
            return rows
        codes = list(dict.fromkeys(code_from_text(code) for code in codes if code.strip()))
        check = v.Collector()  # what the clerk left out, all at once, before the rules of the trade
        if not str(job_id or "").strip():
            check.add("job_id", _("Choose the job the parts are for."))
        if not codes:
            check.add("codes", _("Scan or type at least one unit code."))
        if not sealed:
            check.add("sealed", _("Confirm that the packaging is sealed: parts leave the office unopened."))
        check.done()
        engineer = await _engineer(db, engineer_id, ctx.actor.office_id)
        if (rows := await replayed(db, key)) is not None:  # the same key raced us and won the lock first
            return rows
        job = await _job(db, job_id, ctx.actor.office_id)
        units, still_out = await _check_lend(db, ctx, engineer, job, codes, exception_reason)
        rows = []
        for index, unit in enumerate(sorted(units, key=lambda u: codes.index(u.code))):
            rows.append(
                unit_movement(
                    ctx,
                    key,
                    index,
                    MovementKind.CHECK_OUT,
                    unit,
                    job_id=job.id,
                    engineer_id=engineer.id,
                    from_place=unit.location or "store",
                    to_place=engineer.username,
                    details={"sealed": True, "quantity": 1, "serial": unit.serial, "exception": exception_reason},
                )
            )
            unit.status, unit.holder_id, unit.job_id, unit.out_since = UnitStatus.OUT, engineer.id, job.id, ctx.now
            unit.reserved_job_id = None
            unit.version += 1
            db.add(unit)
        db.add_all(rows)
        if job.state == S.AWAITING_PARTS:
            await move(db, job, BACK_FROM_AWAITING[JobType(job.job_type)], ctx, kind="parts_issued")
        record(
            db,
            job,
            ctx,
            "parts_checked_out",
            reason=exception_reason,
            details={
                "engineer": engineer.display_name,
                "units": [f"{u.code} ({u.serial})" for u in units],
                # INV-3 overridden: by a branch manager, with the reason above, naming what was still out
                **({"return_before_borrow_overridden": still_out} if still_out else {}),
            },
        )
    return rows


async def _check_lend(
    db: AsyncSession, ctx: Context, engineer: User, job: Job, codes: list[str], reason: str
) -> tuple[list[PartUnit], list[str]]:
    """The guards of a check-out; returns the units, locked, and the codes a manager let stay out (INV-3).
    A refusal names the field it is about."""
    if job.job_type not in {JobType.ONSITE, JobType.CARRY_IN} or job.state not in LENDABLE_STATES:
        raise Refused(
            _(
                "Parts go out only against an open dispatch or carry-in order; job %(number)s is not "
                "waiting for parts.",
                number=job.number,
            ),
            field="job_id",
        )
    if not await _assigned_to(db, job, engineer):
        raise Refused(
            _("Job %(number)s is not assigned to %(name)s.", number=job.number, name=engineer.display_name),
            field="job_id",
        )
    try:
        found = [await find_unit(db, ctx.actor.office_id, code) for code in codes]
        units = await lock_rows(db, PartUnit, [unit.id for unit in found])
        for unit in units:
            await _guard_lendable(db, unit)
            await _guard_reservation(db, unit, job, reason)
    except Refused as refused:
        refused.field = "codes"
        raise
    return units, await _guard_return_before_borrow(db, ctx, engineer, job, reason)


async def _guard_lendable(db: AsyncSession, unit: PartUnit) -> None:
    if unit.status in {UnitStatus.OUT, UnitStatus.FITTED}:
        holder = await db.get(User, unit.holder_id)
        raise Refused(
            _("Unit %(code)s is already lent to %(name)s.", code=unit.code, name=holder.display_name if holder else "?")
        )
    if unit.awaiting_confirmation:
        raise Refused(_("Unit %(code)s is back but its return is not confirmed yet: confirm it first.", code=unit.code))
    if unit.status != UnitStatus.IN_STOCK or unit.condition == Condition.FAULTY:
        raise Refused(_("Unit %(code)s is not in stock as a good part and cannot be lent.", code=unit.code))


async def _guard_reservation(db: AsyncSession, unit: PartUnit, job: Job, exception_reason: str) -> None:
    """F33: a unit reserved for another job's visit goes out to this one only with a reason."""
    if unit.reserved_job_id and unit.reserved_job_id != job.id and not exception_reason:
        reserved_for = await db.get(Job, unit.reserved_job_id)
        raise Refused(
            _(
                "Unit %(code)s is reserved for job %(number)s. Choose another unit, or record the reason "
                "for an exception.",
                code=unit.code,
                number=reserved_for.number if reserved_for else "?",
            )
        )


async def reserve_unit(db: AsyncSession, ctx: Context, key: MovementKey, *, code: str, job_number: str) -> PartMovement:
    """Keeps a unit in stock for a job's coming visit (RESERVE, §6.2 step 5); a new reservation replaces it."""
    async with transaction(db):
        await take_write_lock(db)
        if (rows := await replayed(db, key)) is not None:
            return rows[0]
        unit = (await lock_rows(db, PartUnit, [(await find_unit(db, ctx.actor.office_id, code)).id]))[0]
        job = (
            await db.exec(
                select(Job).where(Job.office_id == ctx.actor.office_id, Job.number == job_number.strip().upper())
            )
        ).first()
        if job is None or not job.is_open:
            raise v.FieldError("job_number", _("Give the number of an open job to reserve the unit for."))
        if unit.status != UnitStatus.IN_STOCK or unit.awaiting_confirmation or unit.condition == Condition.FAULTY:
            raise Refused(_("Unit %(code)s is not in stock as a good part and cannot be reserved.", code=unit.code))
        row = unit_movement(
            ctx,
            key,
            0,
            MovementKind.RESERVE,
            unit,
            job_id=job.id,
            engineer_id=job.engineer_id,
            from_place=unit.location,
            to_place=unit.location,
            details={"serial": unit.serial},
        )
        db.add(row)
        unit.reserved_job_id = job.id
        unit.version += 1
        db.add(unit)
        record(db, job, ctx, "part_reserved", details={"unit": unit.code, "serial": unit.serial})
    return row


async def _guard_return_before_borrow(
    db: AsyncSession, ctx: Context, engineer: User, job: Job, exception_reason: str
) -> list[str]:
    """INV-3: the previous part comes back before the next goes out. The manuals allow no exception; a branch
    manager may still make one, with a reason, and the codes still out are returned to be recorded."""
    held = await holdings(db, engineer.id)
    earlier = [unit.code for unit, _part in held if unit.job_id != job.id or unit.out_since < ctx.now - SESSION]
    if not earlier:
        return []
    if ctx.actor.role != Role.MANAGER or not exception_reason:
        raise Refused(
            _(
                "%(name)s still holds %(codes)s from an earlier check-out. The previous part must be "
                "returned before the next is borrowed; only a branch manager may make an exception, with a reason.",
                name=engineer.display_name,
                codes=", ".join(earlier),
            )
        )
    return earlier
