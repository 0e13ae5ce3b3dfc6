"""The parts centre (F35): a request tracked to stock-in alerts the waiting job; defective batches are shipped."""

import uuid

from sqlmodel import select

from app.jobs.models import JobEvent
from tests.helpers.clients import csrf, sign_in
from tests.helpers.parts import add_units, assigned_job, lend, movements, take_back, unit


async def test_it_tracks_a_request_to_stock_in_and_alerts_the_waiting_job(client, db, make_user, office, clock):
    engineer = await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    part_id = (await add_units(db, office, clock, count=1))[0].part_id
    await sign_in(client, await make_user("clerk"))
    bad = await client.post(
        "/parts/centre/requests",
        data={"part": "nothing", "job_number": "NOPE", "reference": "R" * 61},
        headers=csrf(client),
    )
    assert bad.status_code == 422 and "3 fields need your attention" in bad.text
    assert "open job" in bad.text and "Choose the part that is needed." in bad.text and "too long" in bad.text
    asked = await client.post(
        "/parts/centre/requests",
        data={"part": str(part_id), "job_number": job.number, "reference": "REQ-7", "movement_id": str(uuid.uuid4())},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert asked.status_code == 303
    assert "REQ-7" in (await client.get("/parts/centre")).text
    booked = await client.post(
        f"/parts/{part_id}/units",
        data={"serial": "NEW-1", "condition": "new", "location": "S1"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert booked.status_code == 303
    page = (await client.get("/parts/centre")).text
    assert "No open requests." in page
    kinds = [e.kind for e in (await db.exec(select(JobEvent).where(JobEvent.job_id == job.id))).all()]
    assert "part_requested" in kinds and "part_arrived" in kinds


async def test_it_ships_confirmed_faulty_parts_in_a_tracked_batch(client, db, make_user, office, clock):
    engineer = await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    units = await add_units(db, office, clock, count=2)
    await sign_in(client, await make_user("clerk"))
    await lend(client, engineer, job, units[0].code, units[1].code)
    await take_back(client, units[0].code, "faulty", fault="Burnt", device_serial=job.device_serial)
    early = await client.post(
        "/parts/centre/shipments", data={"unit": units[0].code, "reference": "B-1"}, headers=csrf(client)
    )
    assert early.status_code == 422 and "not a confirmed faulty part" in early.text
    empty = await client.post("/parts/centre/shipments", data={"reference": ""}, headers=csrf(client))
    assert empty.status_code == 422 and "2 fields need your attention" in empty.text
    assert "Choose the faulty parts to ship." in empty.text and "Shipment reference is required." in empty.text
    await take_back(client, units[1].code, "unused", sealed="on")
    await client.post(f"/parts/jobs/{job.id}/confirm", data={}, headers=csrf(client))
    shipped = await client.post(
        "/parts/centre/shipments",
        data={"unit": units[0].code, "reference": "B-1"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert shipped.status_code == 303
    assert (await unit(db, units[0].id)).status == "SHIPPED"
    assert [m.details["shipment"] for m in await movements(db) if m.kind == "SHIP_DEFECTIVE"] == ["B-1"]
    assert "B-1: 1" in (await client.get("/parts/centre")).text
