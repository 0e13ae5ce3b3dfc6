"""The faulty part removed on site comes back as a record of its own; the fitted unit stays at the customer."""

import re
import uuid

from sqlmodel import select

from app.parts.models import PartUnit
from tests.helpers.clients import csrf, sign_in
from tests.helpers.parts import add_units, assigned_job, lend, movements, take_back, unit


async def _fitted(client, db, make_user, office, clock):
    engineer = await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    (fitted,) = await add_units(db, office, clock, count=1)
    clerk = await make_user("clerk")
    await sign_in(client, clerk)
    await lend(client, engineer, job, fitted.code)
    await sign_in(client, engineer)
    response = await client.post(
        "/parts/fit",
        data={"code": fitted.code, "job_id": str(job.id), "removed_serial": "OLD-PSU-7"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:1000]
    await sign_in(client, clerk)
    return job, fitted


async def test_it_keeps_the_fitted_unit_at_the_customer_and_books_the_removed_part_as_a_new_faulty_unit(
    client, db, make_user, office, clock
):
    job, fitted = await _fitted(client, db, make_user, office, clock)
    response = await take_back(
        client, fitted.code, "faulty", fault="Burnt smell", device_serial=job.device_serial, removed_serial="old-psu-7"
    )
    assert response.status_code == 303, response.text[:1500]
    kept = await unit(db, fitted.id)
    assert (kept.status, kept.condition, kept.holder_id, kept.job_id) == ("AT_CUSTOMER", "new", None, job.id)
    removed = (
        await db.exec(select(PartUnit).where(PartUnit.serial == "old-psu-7").execution_options(populate_existing=True))
    ).one()
    assert (removed.status, removed.condition, removed.part_id) == ("DEFECTIVE", "faulty", fitted.part_id)
    assert removed.code != fitted.code and removed.awaiting_confirmation
    faulty_row = next(m for m in await movements(db) if m.kind == "RETURN_REMOVED")
    assert faulty_row.unit_id == removed.id
    assert faulty_row.details["fault"] == "Burnt smell" and faulty_row.details["replaced_by"] == fitted.code
    page = (await client.get("/parts/counter")).text
    assert f"{removed.code}" in page and "fitted at the customer" in page
    confirmed = await client.post(
        f"/parts/jobs/{job.id}/confirm", data={"movement_id": str(uuid.uuid4())}, headers=csrf(client)
    )
    assert confirmed.status_code in {200, 303}
    assert (await unit(db, removed.id)).awaiting_confirmation is False
    assert (await unit(db, fitted.id)).status == "AT_CUSTOMER"
    stats = (await client.get("/parts/stats")).text
    used = stats.split('data-testid="by-part"')[1].split("</tr>")[1]
    assert re.search(r"<td>1</td><td>1</td><td>100%</td>", used), used  # borrowed 1, used 1: counted once


async def test_it_refuses_a_removed_part_whose_serial_is_not_the_one_recorded_at_fitting(
    client, db, make_user, office, clock
):
    job, fitted = await _fitted(client, db, make_user, office, clock)
    response = await take_back(
        client, fitted.code, "faulty", fault="Dead", device_serial=job.device_serial, removed_serial="OTHER-9"
    )
    assert response.status_code == 422 and "OLD-PSU-7" in response.text
    missing = await take_back(client, fitted.code, "faulty", fault="Dead", device_serial=job.device_serial)
    assert missing.status_code == 422 and "serial read off the faulty part" in missing.text
    assert (await unit(db, fitted.id)).status == "FITTED"
    assert sorted(m.kind for m in await movements(db)) == ["CHECK_OUT", "FIT"]
