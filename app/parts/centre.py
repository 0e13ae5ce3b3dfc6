"""The parts centre (F35): requests tracked to stock-in, which alerts the waiting job; defective parts shipped in
tracked batches. The ledger stays append-only: a stock-in names the request it fulfils."""

import uuid
from dataclasses import dataclass

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core import validation as v
from app.core.database import transaction
from app.core.i18n import _
from app.jobs.lifecycle import record
from app.jobs.models import Job
from app.parts.idempotency import MovementKey, lock_rows, replayed, take_write_lock
from app.parts.ledger import Refused, find_unit, movement, unit_movement
from app.parts.models import MovementKind, Part, PartMovement, PartUnit, UnitStatus

K = MovementKind


@dataclass
class OpenRequest:
    movement: PartMovement
    part: Part
    job: Job | None


async def request_from_centre(db: AsyncSession, ctx: Context, key: MovementKey, data: dict) -> PartMovement:
    """The clerk asks the parts centre for a part, usually after a borrow failure, for a waiting job."""
    async with transaction(db):
        await take_write_lock(db)
        if (rows := await replayed(db, key)) is not None:
            return rows[0]
        check = v.Collector()
        try:
            part = await db.get(Part, uuid.UUID(str(data.get("part", ""))))
        except ValueError:
            part = None
        if part is None or part.office_id != ctx.actor.office_id:
            check.add("part", _("Choose the part that is needed."))
        number = str(data.get("job_number", "") or "").strip().upper()
        job = (
            (await db.exec(select(Job).where(Job.office_id == ctx.actor.office_id, Job.number == number))).first()
            if number
            else None
        )
        if number and (job is None or not job.is_open):
            check.add("job_number", _("Give the number of an open job, or leave it empty."))
        reference = check(v.text, data, "reference", max_length=60, required=False, label=_("Request reference"))
        check.done()
        row = movement(
            ctx,
            key,
            0,
            K.REQUEST_FROM_CENTRE,
            None,
            part.id,
            job_id=job.id if job else None,
            engineer_id=job.engineer_id if job else None,
            from_place="parts centre",
            to_place="store",
            details={"reference": reference, "part": part.number},
        )
        db.add(row)
        if job:
            record(
                db, job, ctx, "part_requested", details={"part": f"{part.number} {part.name}", "reference": reference}
            )
    return row


async def open_requests(db: AsyncSession, office_id: uuid.UUID, part_id: uuid.UUID | None = None) -> list[OpenRequest]:
    """Requests not yet fulfilled by a stock-in, oldest first."""
    query = select(PartMovement).where(
        PartMovement.office_id == office_id, PartMovement.kind.in_([K.REQUEST_FROM_CENTRE, K.STOCK_IN])
    )
    if part_id:
        query = query.where(PartMovement.part_id == part_id)
    rows = (await db.exec(query.order_by(PartMovement.at))).all()
    fulfilled = {row.details.get("request_id") for row in rows if row.kind == K.STOCK_IN}
    requests = [row for row in rows if row.kind == K.REQUEST_FROM_CENTRE and str(row.id) not in fulfilled]
    result = []
    for row in requests:
        result.append(
            OpenRequest(row, await db.get(Part, row.part_id), await db.get(Job, row.job_id) if row.job_id else None)
        )
    return result


async def link_stock_in(db: AsyncSession, ctx: Context, stock_in: PartMovement) -> Job | None:
    """Inside the stock-in's transaction: marks the oldest open request for the part fulfilled and alerts its job."""
    pending = await open_requests(db, stock_in.office_id, stock_in.part_id)
    if not pending:
        return None
    request = pending[0]
    stock_in.details = {**stock_in.details, "request_id": str(request.movement.id)}
    if request.job:
        record(
            db,
            request.job,
            ctx,
            "part_arrived",
            details={"part": request.part.number, "reference": request.movement.details.get("reference")},
        )
    return request.job


async def ship_defective(
    db: AsyncSession, ctx: Context, key: MovementKey, codes: list[str], reference: str
) -> list[PartMovement]:
    """A tracked batch of faulty parts (with their fault tags) leaves for the parts centre."""
    async with transaction(db):
        await take_write_lock(db)
        if (rows := await replayed(db, key)) is not None:
            return rows
        check = v.Collector()
        found = [await find_unit(db, ctx.actor.office_id, code) for code in dict.fromkeys(codes) if code.strip()]
        if not found:
            check.add("unit", _("Choose the faulty parts to ship."))
        reference = check(v.text, {"reference": reference}, "reference", max_length=60, label=_("Shipment reference"))
        check.done()
        units = await lock_rows(db, PartUnit, [unit.id for unit in found])
        for unit in units:
            if unit.status != UnitStatus.DEFECTIVE or unit.awaiting_confirmation:
                raise Refused(_("Unit %(code)s is not a confirmed faulty part in the defective bin.", code=unit.code))
        rows = []
        for index, unit in enumerate(units):
            rows.append(
                unit_movement(
                    ctx,
                    key,
                    index,
                    K.SHIP_DEFECTIVE,
                    unit,
                    from_place=unit.location,
                    to_place="parts centre",
                    details={"shipment": reference, "serial": unit.serial},
                )
            )
            unit.status, unit.location = UnitStatus.SHIPPED, "parts centre"
            unit.version += 1
            db.add(unit)
        db.add_all(rows)
    return rows


async def defective_bin(db: AsyncSession, office_id: uuid.UUID) -> list[tuple[PartUnit, Part]]:
    rows = await db.exec(
        select(PartUnit, Part)
        .join(Part, Part.id == PartUnit.part_id)
        .where(
            PartUnit.office_id == office_id,
            PartUnit.status == UnitStatus.DEFECTIVE,
            PartUnit.awaiting_confirmation.is_(False),
        )
        .order_by(PartUnit.code)
    )
    return list(rows.all())


async def shipments(db: AsyncSession, office_id: uuid.UUID, limit: int = 200) -> dict[str, list[PartMovement]]:
    rows = (
        await db.exec(
            select(PartMovement)
            .where(PartMovement.office_id == office_id, PartMovement.kind == K.SHIP_DEFECTIVE)
            .order_by(PartMovement.at.desc())
            .limit(limit)
        )
    ).all()
    batches: dict[str, list[PartMovement]] = {}
    for row in rows:
        batches.setdefault(row.details.get("shipment", ""), []).append(row)
    return batches
