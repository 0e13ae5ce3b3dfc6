"""The parts gate on completion (INV-4, T17, T19), settling after the visit, borrow-failure slips (T6, F32)."""

import uuid

from app.accounts.acting import Context, load_calendar
from app.core.database import make_sessionmaker
from app.parts.flows import settle_parts
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import reload
from tests.helpers.parts import add_units, assigned_job, lend, movements, take_back


async def _set_state(db, job, state: str, **fields):
    job = await reload(db, job.id)
    job.state = state
    for name, value in fields.items():
        setattr(job, name, value)
    db.add(job)
    await db.commit()
    return job


async def test_it_refuses_completion_until_the_clerk_confirms_every_part(client, db, make_user, office, clock):
    engineer = await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    units = await add_units(db, office, clock, count=2)
    clerk, coordinator = await make_user("clerk"), await make_user("coordinator")
    await sign_in(client, clerk)
    await lend(client, engineer, job, units[0].code, units[1].code)
    await _set_state(db, job, "AWAITING_PARTS_RETURN", report_signed_at=clock())  # the visit is over (T16)
    await sign_in(client, coordinator)
    page = await client.get(f"/jobs/{job.id}")
    assert "Waiting for the parts clerk to confirm the parts returned." in page.text
    refused = await client.post(f"/jobs/{job.id}/complete", data={}, headers=csrf(client))
    assert refused.status_code == 403 and "Only a branch manager" in refused.text
    await sign_in(client, clerk)
    await take_back(client, units[0].code, "faulty", fault="Dead", device_serial=job.device_serial)
    await take_back(client, units[1].code, "unused", sealed="on")
    assert (await reload(db, job.id)).state == "AWAITING_PARTS_RETURN"
    confirmed = await client.post(
        f"/parts/jobs/{job.id}/confirm",
        data={"movement_id": str(uuid.uuid4())},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    assert (await reload(db, job.id)).state == "PARTS_CONFIRMED"
    await sign_in(client, coordinator)
    done = await client.post(f"/jobs/{job.id}/complete", data={}, headers=csrf(client), follow_redirects=False)
    assert done.status_code == 303, done.text[:1500]
    assert (await reload(db, job.id)).state == "COMPLETED"
    timeline = (await client.get(f"/jobs/{job.id}")).text
    for event in ["Parts checked out", "Part returned", "All parts back and confirmed"]:
        assert event in timeline


async def test_it_lets_a_branch_manager_override_the_parts_gate_with_a_reason(client, db, make_user, office, clock):
    engineer = await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    units = await add_units(db, office, clock, count=1)
    await sign_in(client, await make_user("clerk"))
    await lend(client, engineer, job, units[0].code)
    await _set_state(db, job, "AWAITING_PARTS_RETURN", report_signed_at=clock())
    await sign_in(client, await make_user("manager"))
    assert (await client.post(f"/jobs/{job.id}/complete", data={}, headers=csrf(client))).status_code == 422
    done = await client.post(
        f"/jobs/{job.id}/complete", data={"reason": "Special service"}, headers=csrf(client), follow_redirects=False
    )
    assert done.status_code == 303 and (await reload(db, job.id)).state == "COMPLETED"


async def test_it_settles_a_job_at_once_when_nothing_was_borrowed(client, db, engine, settings, make_user, clock):
    engineer = await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    await _set_state(db, job, "AWAITING_PARTS_RETURN")
    async with make_sessionmaker(engine)() as session:
        ctx = Context(actor=engineer, now=clock(), calendar=await load_calendar(session, engineer.office_id, settings))
        fresh = await reload(session, job.id)
        assert await settle_parts(session, fresh, ctx)
        await session.commit()
    assert (await reload(db, job.id)).state == "PARTS_CONFIRMED"


async def test_it_keeps_a_job_waiting_when_parts_are_still_out(client, db, engine, settings, make_user, office, clock):
    engineer = await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    units = await add_units(db, office, clock, count=1)
    await sign_in(client, await make_user("clerk"))
    await lend(client, engineer, job, units[0].code)
    await _set_state(db, job, "AWAITING_PARTS_RETURN")
    async with make_sessionmaker(engine)() as session:
        ctx = Context(actor=engineer, now=clock(), calendar=await load_calendar(session, engineer.office_id, settings))
        assert not await settle_parts(session, await reload(session, job.id), ctx)


async def test_it_records_a_borrow_failure_and_the_job_waits_for_the_part(client, db, make_user, office, clock):
    engineer = await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    await _set_state(db, job, "SCHEDULED")
    units = await add_units(db, office, clock, count=1)
    part_id = str(units[0].part_id)
    await sign_in(client, await make_user("clerk"))
    bad = await client.post(
        "/parts/borrow-failures", data={"job_id": str(job.id), "part": part_id, "reason": "x"}, headers=csrf(client)
    )
    assert bad.status_code == 422 and "Choose a valid reason" in bad.text
    empty = await client.post(
        "/parts/borrow-failures",
        data={"engineer_id": str(engineer.id), "job_id": "", "part": "", "reason": "", "note": "n" * 501},
        headers=csrf(client),
    )
    assert empty.status_code == 422 and "4 fields need your attention" in empty.text
    assert 'id="f-fail-job" name="job_id" required aria-invalid="true"' in empty.text
    assert "Choose the job the part is needed for." in empty.text and "Choose the part that is needed." in empty.text
    response = await client.post(
        "/parts/borrow-failures",
        data={
            "job_id": str(job.id),
            "part": part_id,
            "reason": "out_of_stock",
            "note": "Centre ships Monday",
            "movement_id": str(uuid.uuid4()),
        },
        headers=csrf(client),
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert (await reload(db, job.id)).state == "AWAITING_PARTS"
    failure = [m for m in await movements(db) if m.kind == "BORROW_FAILURE"][0]
    assert failure.engineer_id == engineer.id and failure.details["reason"] == "out_of_stock"
    assert (await lend(client, engineer, job, units[0].code)).status_code == 303
    assert (await reload(db, job.id)).state == "SCHEDULED"
    stats = await client.get("/parts/stats")
    assert stats.status_code == 200 and "50%" in stats.text  # 1 check-out ÷ (1 + 1 failure)


async def test_it_lets_the_engineer_record_the_part_fitted_only_for_their_own_check_out(
    client, db, make_user, office, clock
):
    engineer, other = await make_user("engineer"), await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    units = await add_units(db, office, clock, count=2)
    await sign_in(client, await make_user("clerk"))
    await lend(client, engineer, job, units[0].code)
    await sign_in(client, other)
    refused = await client.post(
        "/parts/fit",
        data={"code": units[0].code, "job_id": str(job.id), "removed_serial": "OLD-1"},
        headers=csrf(client),
    )
    assert refused.status_code == 422 and "not checked out to you for this job" in refused.text
    await sign_in(client, engineer)
    empty = await client.post("/parts/fit", data={"code": " ", "job_id": str(job.id)}, headers=csrf(client))
    assert empty.status_code == 422 and "2 fields need your attention" in empty.text
    assert "code of the unit you fitted" in empty.text and "serial of the faulty part you removed" in empty.text
    not_lent = await client.post(
        "/parts/fit",
        data={"code": units[1].code, "job_id": str(job.id), "removed_serial": "OLD-1"},
        headers=csrf(client),
    )
    assert not_lent.status_code == 422
    fitted = await client.post(
        "/parts/fit",
        data={"code": units[0].code, "job_id": str(job.id), "removed_serial": "OLD-1"},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert fitted.status_code == 303
    job_page = (await client.get(f"/jobs/{job.id}")).text
    assert "Part fitted, faulty part removed" in job_page and "Faulty part removed: OLD-1" in job_page
    assert sorted(m.kind for m in await movements(db)) == ["CHECK_OUT", "FIT"]
