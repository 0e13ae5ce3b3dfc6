"""Read queries on parts: holdings, stock, a job's borrowed units. No writes here."""

import uuid
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import User
from app.parts.models import Part, PartMovement, PartUnit, UnitStatus
from app.parts.scan import code_from_text

HELD = (UnitStatus.OUT, UnitStatus.FITTED)


async def holdings(db: AsyncSession, engineer_id: uuid.UUID) -> list[tuple[PartUnit, Part]]:
    """What an engineer holds now (the cached holder on the unit rows, kept by the ledger)."""
    rows = await db.exec(
        select(PartUnit, Part)
        .join(Part, Part.id == PartUnit.part_id)
        .where(PartUnit.holder_id == engineer_id, PartUnit.status.in_(HELD))
        .order_by(PartUnit.out_since)
    )
    return list(rows.all())


async def parts_pending(db: AsyncSession, job_id: uuid.UUID) -> int:
    """Units borrowed for the job that are not back, or back but not yet confirmed by the clerk (INV-4)."""
    return (
        await db.scalar(
            select(func.count())
            .select_from(PartUnit)
            .where(PartUnit.job_id == job_id, or_(PartUnit.holder_id.is_not(None), PartUnit.awaiting_confirmation))
        )
        or 0
    )


async def job_units(db: AsyncSession, job_id: uuid.UUID) -> list[tuple[PartUnit, Part]]:
    rows = await db.exec(
        select(PartUnit, Part)
        .join(Part, Part.id == PartUnit.part_id)
        .where(PartUnit.job_id == job_id)
        .order_by(Part.number, PartUnit.code)
    )
    return list(rows.all())


async def job_movements(db: AsyncSession, job_id: uuid.UUID) -> list[tuple[PartMovement, Part, PartUnit | None]]:
    rows = await db.exec(
        select(PartMovement, Part, PartUnit)
        .join(Part, Part.id == PartMovement.part_id)
        .outerjoin(PartUnit, PartUnit.id == PartMovement.unit_id)
        .where(PartMovement.job_id == job_id)
        .order_by(PartMovement.at)
    )
    return list(rows.all())


async def unit_movements(db: AsyncSession, unit_id: uuid.UUID) -> list[tuple[PartMovement, User]]:
    rows = await db.exec(
        select(PartMovement, User)
        .join(User, User.id == PartMovement.actor_id)
        .where(PartMovement.unit_id == unit_id)
        .order_by(PartMovement.at.desc())
    )
    return list(rows.all())


async def jobs_awaiting_confirmation(db: AsyncSession, office_id: uuid.UUID) -> list[uuid.UUID]:
    rows = await db.exec(
        select(PartUnit.job_id).where(PartUnit.office_id == office_id, PartUnit.awaiting_confirmation).distinct()
    )
    return [job_id for job_id in rows.all() if job_id]


async def units_out(db: AsyncSession, office_id: uuid.UUID) -> list[tuple[PartUnit, Part, User]]:
    rows = await db.exec(
        select(PartUnit, Part, User)
        .join(Part, Part.id == PartUnit.part_id)
        .join(User, User.id == PartUnit.holder_id)
        .where(PartUnit.office_id == office_id, PartUnit.status.in_(HELD))
        .order_by(PartUnit.out_since)
    )
    return list(rows.all())


async def stock(db: AsyncSession, office_id: uuid.UUID) -> list[tuple[Part, dict[str, int]]]:
    """Every part with its units in stock per location (station)."""
    parts = (await db.exec(select(Part).where(Part.office_id == office_id).order_by(Part.number))).all()
    counts = await db.exec(
        select(PartUnit.part_id, PartUnit.location, func.count())
        .where(PartUnit.office_id == office_id, PartUnit.status == UnitStatus.IN_STOCK, PartUnit.condition != "faulty")
        .group_by(PartUnit.part_id, PartUnit.location)
    )
    per_part: dict[uuid.UUID, dict[str, int]] = {}
    for part_id, location, count in counts.all():
        per_part.setdefault(part_id, {})[location or "—"] = count
    return [(part, per_part.get(part.id, {})) for part in parts]


async def part_units(db: AsyncSession, part_id: uuid.UUID) -> list[PartUnit]:
    return (await units_by_part(db, [part_id])).get(part_id, [])


async def units_by_part(db: AsyncSession, part_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[PartUnit]]:
    """The units of each part, in one query, ordered by status and code."""
    rows = await db.exec(
        select(PartUnit).where(PartUnit.part_id.in_(part_ids)).order_by(PartUnit.status, PartUnit.code)
    )
    units: dict[uuid.UUID, list[PartUnit]] = {}
    for unit in rows.all():
        units.setdefault(unit.part_id, []).append(unit)
    return units


def overdue(unit: PartUnit, now: datetime, days: int) -> bool:
    return unit.out_since is not None and (now - unit.out_since).total_seconds() > days * 86400


async def engineer_jobs(db: AsyncSession, engineer_id: uuid.UUID, states) -> list:
    """The engineer's open jobs that parts may go out for."""
    from app.jobs.models import Job

    rows = await db.exec(
        select(Job)
        .where(Job.engineer_id == engineer_id, Job.is_open, Job.state.in_(states))
        .order_by(Job.appointment_start, Job.number)
    )
    return list(rows.all())


async def jobs_by_id(db: AsyncSession, ids) -> dict:
    from app.jobs.models import Job

    ids = list(ids)
    if not ids:
        return {}
    return {job.id: job for job in (await db.exec(select(Job).where(Job.id.in_(ids)))).all()}


async def parts(db: AsyncSession, office_id: uuid.UUID) -> list[Part]:
    return list((await db.exec(select(Part).where(Part.office_id == office_id).order_by(Part.number))).all())


async def parts_on_job(db: AsyncSession, job_id: uuid.UUID) -> dict:
    """What the job page shows of its parts (the repair order's borrowing card)."""
    units = await db.scalar(
        select(func.count()).select_from(PartUnit).where(PartUnit.job_id == job_id, PartUnit.awaiting_confirmation)
    )
    return {
        "parts_movements": await job_movements(db, job_id),
        "parts_to_confirm": units or 0,
        "parts_movement_id": uuid.uuid4(),
    }


async def engineer_by_badge(db: AsyncSession, office_id: uuid.UUID, badge: str) -> User | None:
    """The engineer whose badge was scanned or typed: the badge carries the username."""
    text = badge.strip().lower().removeprefix("onsite-badge:")
    rows = await db.exec(
        select(User).where(
            User.office_id == office_id, func.lower(User.username) == text, User.role == "engineer", User.is_active
        )
    )
    return rows.first()


async def office_job(db: AsyncSession, office_id: uuid.UUID, job_id: str):
    """The job with this id in the office, or None (also for a malformed id)."""
    from app.jobs.models import Job

    try:
        job = await db.get(Job, uuid.UUID(job_id.strip())) if job_id.strip() else None
    except ValueError:
        return None
    return job if job is not None and job.office_id == office_id else None


async def units_by_id(db: AsyncSession, unit_ids) -> list[tuple[PartUnit, Part]]:
    rows = await db.exec(
        select(PartUnit, Part).join(Part, Part.id == PartUnit.part_id).where(PartUnit.id.in_(list(unit_ids)))
    )
    return list(rows.all())


async def units_by_codes(db: AsyncSession, office_id: uuid.UUID, texts: list[str]) -> dict[str, tuple]:
    """Each scanned or typed text (a label URL or an ID) that names a unit of the office: text -> (unit, part)."""
    codes = {text: code_from_text(text) for text in texts}
    rows = await db.exec(
        select(PartUnit, Part)
        .join(Part, Part.id == PartUnit.part_id)
        .where(PartUnit.office_id == office_id, PartUnit.code.in_(set(codes.values())))
    )
    by_code = {unit.code: (unit, part) for unit, part in rows.all()}
    return {text: by_code[code] for text, code in codes.items() if code in by_code}
