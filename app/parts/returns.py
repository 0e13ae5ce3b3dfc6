"""Parts coming back to the counter and parts fitted on site: every movement a ledger row (domain.md §6.3).

Like ``app.parts.ledger`` (lending), each function owns its transaction: locks, guards, the movements and the
cached holder/status on the unit rows, all in one.
"""

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core import validation as v
from app.core.database import transaction
from app.core.i18n import _
from app.jobs.lifecycle import record
from app.jobs.models import Job
from app.parts.idempotency import MovementKey, lock_rows, replayed, take_write_lock, unique_code
from app.parts.ledger import Refused, find_unit, unit_movement
from app.parts.models import Condition, MovementKind, PartMovement, PartUnit, UnitStatus


async def return_unit(
    db: AsyncSession,
    ctx: Context,
    key: MovementKey,
    *,
    code: str,
    job_id: str,
    outcome: str,
    sealed: bool,
    fault: str = "",
    device_serial: str = "",
    removed_serial: str = "",
) -> PartMovement:
    """Takes a unit back: unused and sealed to stock, unsealed to quarantine, fitted as the faulty part with a
    fault tag (F30). The return waits for the clerk's confirmation on the job."""
    check = v.Collector()  # what the clerk left out, all at once, before the rules of the trade
    if not code.strip():
        check.add("code", _("Scan or type the unit's code."))
    if outcome not in {"unused", "faulty"}:
        check.add("outcome", _("Say whether the part comes back unused or faulty."))
    if outcome == "faulty" and not fault.strip():
        check.add("fault", _("Describe the fault for the fault tag."))
    if outcome == "faulty" and not device_serial.strip():
        check.add("device_serial", _("Give the serial of the device the part came out of."))
    check.done()
    async with transaction(db):
        await take_write_lock(db)
        if (rows := await replayed(db, key)) is not None:
            return rows[0]
        unit = (await lock_rows(db, PartUnit, [(await find_unit(db, ctx.actor.office_id, code)).id]))[0]
        if (rows := await replayed(db, key)) is not None:  # the same key raced us and won the lock first
            return rows[0]
        if unit.status not in {UnitStatus.OUT, UnitStatus.FITTED}:
            raise Refused(_("Unit %(code)s is not lent out, so it cannot be returned.", code=unit.code))
        job = await db.get(Job, unit.job_id)
        if job_id and str(unit.job_id) != str(job_id).strip():
            raise Refused(
                _(
                    "Unit %(code)s was lent for job %(number)s, not for the job chosen.",
                    code=unit.code,
                    number=job.number,
                )
            )
        details: dict = {"serial": unit.serial}
        if outcome == "faulty" and unit.status == UnitStatus.FITTED:
            row = await _take_back_removed_part(db, ctx, key, unit, job, fault, device_serial, removed_serial)
            return row
        if outcome == "faulty":
            if not fault.strip() or not device_serial.strip():
                raise Refused(
                    _("A faulty part needs its fault tag: the fault and the serial of the device it came out of.")
                )
            kind, status, condition = MovementKind.RETURN_FAULTY, UnitStatus.DEFECTIVE, Condition.FAULTY
            details.update(
                fault=fault.strip()[:500],
                device_serial=device_serial.strip()[:80],
                removed_serial=removed_serial.strip()[:80],
                job=job.number,
            )
        elif outcome == "unused":
            if unit.status == UnitStatus.FITTED:
                raise Refused(
                    _("Unit %(code)s was fitted: take back the faulty part with a fault tag.", code=unit.code)
                )
            kind = MovementKind.RETURN_UNUSED if sealed else MovementKind.QUARANTINE
            status = UnitStatus.IN_STOCK if sealed else UnitStatus.QUARANTINE
            condition = unit.condition
            details["sealed"] = sealed
        else:
            raise Refused(_("Say whether the part comes back unused or faulty."))
        row = unit_movement(
            ctx,
            key,
            0,
            kind,
            unit,
            job_id=unit.job_id,
            engineer_id=unit.holder_id,
            from_place="engineer",
            to_place=unit.location or "store",
            condition=condition,
            details=details,
        )
        db.add(row)
        unit.status, unit.condition, unit.holder_id, unit.out_since = status, condition, None, None
        unit.awaiting_confirmation = True
        unit.version += 1
        db.add(unit)
        record(
            db,
            job,
            ctx,
            "part_returned",
            details={
                "unit": unit.code,
                "serial": unit.serial,
                "kind": kind,
                **{k: v for k, v in details.items() if k != "serial"},
            },
        )
    return row


async def _take_back_removed_part(
    db: AsyncSession, ctx: Context, key: MovementKey, fitted: PartUnit, job: Job, fault, device_serial, removed_serial
) -> PartMovement:
    """The faulty part an engineer removed when fitting ``fitted`` comes back: it becomes a unit of its own (a new
    code and label, condition faulty, the defective bin) with its fault tag, and the fitted unit stays in the
    customer's device. The clerk identifies the unlabelled part by the fitted unit's code and the serial read off
    the part, which must be the serial the engineer recorded when fitting."""
    fault, device_serial, removed_serial = fault.strip()[:500], device_serial.strip()[:80], removed_serial.strip()[:80]
    if not fault or not device_serial or not removed_serial:
        raise Refused(
            _(
                "A faulty part needs its fault tag: the fault, the serial of the device it came out of and the "
                "serial read off the faulty part."
            )
        )
    recorded = await db.scalar(
        select(PartMovement.details)
        .where(PartMovement.unit_id == fitted.id, PartMovement.kind == MovementKind.FIT)
        .order_by(PartMovement.at.desc())
        .limit(1)
    )
    expected = str((recorded or {}).get("removed_serial", "")).strip()
    if expected and expected.upper() != removed_serial.upper():
        raise Refused(
            _(
                "When fitting %(code)s the engineer recorded the removed part's serial as %(expected)s, not "
                "%(given)s. Check the serial on the part you were given.",
                code=fitted.code,
                expected=expected,
                given=removed_serial,
            )
        )
    faulty = PartUnit(
        id=key.row_id(1),
        office_id=fitted.office_id,
        part_id=fitted.part_id,
        code=await unique_code(db),
        serial=removed_serial,
        condition=Condition.FAULTY,
        location=fitted.location or "store",
        status=UnitStatus.DEFECTIVE,
        job_id=job.id,
        awaiting_confirmation=True,
        created_at=ctx.now,
    )
    db.add(faulty)
    await db.flush()
    tag = {"fault": fault, "device_serial": device_serial, "removed_serial": removed_serial, "job": job.number}
    row = unit_movement(
        ctx,
        key,
        0,
        MovementKind.RETURN_REMOVED,
        faulty,
        job_id=job.id,
        engineer_id=fitted.holder_id,
        from_place="engineer",
        to_place=faulty.location,
        condition=Condition.FAULTY,
        details={"serial": removed_serial, "replaced_by": fitted.code, **tag},
    )
    db.add(row)
    fitted.status, fitted.holder_id, fitted.out_since = UnitStatus.AT_CUSTOMER, None, None
    fitted.version += 1
    db.add(fitted)
    record(
        db,
        job,
        ctx,
        "part_returned",
        details={
            "unit": faulty.code,
            "serial": removed_serial,
            "kind": MovementKind.RETURN_REMOVED,
            "fitted_unit": fitted.code,
            **tag,
        },
    )
    return row


async def fit_unit(
    db: AsyncSession, ctx: Context, key: MovementKey, *, code: str, job_id: str, removed_serial: str
) -> PartMovement:
    """On site: the engineer scans the unit fitted and records the serial of the faulty part removed (F20, T13)."""
    async with transaction(db):
        await take_write_lock(db)
        if (rows := await replayed(db, key)) is not None:
            return rows[0]
        check = v.Collector()
        if not code.strip():
            check.add("code", _("Scan or type the code of the unit you fitted."))
        if not removed_serial.strip():
            check.add("removed_serial", _("Scan or type the serial of the faulty part you removed."))
        check.done()
        unit = (await lock_rows(db, PartUnit, [(await find_unit(db, ctx.actor.office_id, code)).id]))[0]
        if (rows := await replayed(db, key)) is not None:  # the same key raced us and won the lock first
            return rows[0]
        return await record_fit(db, ctx, key, unit, job_id=job_id, removed_serial=removed_serial)


async def record_fit(
    db: AsyncSession, ctx: Context, key: MovementKey, unit: PartUnit, *, job_id, removed_serial: str
) -> PartMovement:
    """The FIT movement, inside the caller's transaction (the parts page's fitting, the checklist's repair step):
    the unit is in the customer's device now, so it can never come back to stock as unused."""
    if unit.status != UnitStatus.OUT or unit.holder_id != ctx.actor.id or str(unit.job_id) != str(job_id):
        raise Refused(
            _("Unit %(code)s is not checked out to you for this job, so it cannot be fitted here.", code=unit.code)
        )
    job = await db.get(Job, unit.job_id)
    removed = removed_serial.strip()[:80]
    row = unit_movement(
        ctx,
        key,
        0,
        MovementKind.FIT,
        unit,
        job_id=job.id,
        engineer_id=ctx.actor.id,
        from_place=ctx.actor.username,
        to_place=job.device_serial,
        details={"serial": unit.serial, "removed_serial": removed},
    )
    db.add(row)
    unit.status = UnitStatus.FITTED
    unit.version += 1
    db.add(unit)
    record(db, job, ctx, "part_fitted", details={"unit": unit.code, "serial": unit.serial, "removed_serial": removed})
    return row
