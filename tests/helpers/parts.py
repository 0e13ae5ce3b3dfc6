"""Small factories for the parts tests: a catalogue, a job assigned to an engineer, counter actions."""

import uuid

from sqlmodel import select

from app.parts.idempotency import new_code
from app.parts.models import Part, PartMovement, PartUnit
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import reload, take_request


async def add_units(db, office, clock, count: int = 3, number: str = "PSU-450") -> list[PartUnit]:
    part = Part(
        office_id=office.id,
        code=new_code(),
        number=number,
        name="Power supply",
        compatible_models="XR-200",
        unit_price_cents=38000,
        created_at=clock(),
    )
    db.add(part)
    await db.flush()
    units = [
        PartUnit(
            office_id=office.id,
            part_id=part.id,
            code=new_code(),
            serial=f"SER-{uuid.uuid4().hex[:6]}",
            location="Station 1",
            created_at=clock(),
        )
        for _i in range(count)
    ]
    db.add_all(units)
    await db.commit()
    return units


async def assigned_job(client, db, make_user, engineer, serial: str | None = None):
    """A job taken by a coordinator and assigned to ``engineer``; the client is left signed in as nobody."""
    coordinator = await make_user("coordinator")
    await sign_in(client, coordinator)
    job = await take_request(client, db, device_serial=serial or f"SN-{uuid.uuid4().hex[:6]}")
    response = await client.post(
        f"/jobs/{job.id}/assign", data={"engineer_id": str(engineer.id)}, headers=csrf(client), follow_redirects=False
    )
    assert response.status_code == 303, response.text[:1500]
    return await reload(db, job.id)


async def lend(client, engineer, job, *codes, sealed: bool = True, **extra):
    data = {
        "engineer_id": str(engineer.id),
        "job_id": str(job.id),
        "codes": "\n".join(codes),
        "movement_id": str(uuid.uuid4()),
        **extra,
    }
    if sealed:
        data["sealed"] = "on"
    return await client.post("/parts/check-out", data=data, headers=csrf(client), follow_redirects=False)


async def take_back(client, code: str, outcome: str = "unused", **extra):
    data = {"code": code, "outcome": outcome, "movement_id": str(uuid.uuid4()), **extra}
    return await client.post("/parts/return", data=data, headers=csrf(client), follow_redirects=False)


async def movements(db) -> list[PartMovement]:
    return list((await db.exec(select(PartMovement).execution_options(populate_existing=True))).all())


async def unit(db, unit_id) -> PartUnit:
    return (
        await db.exec(select(PartUnit).where(PartUnit.id == unit_id).execution_options(populate_existing=True))
    ).one()
