"""Lending and taking back at the counter (F28–F31, INV-3, INV-4)."""

import uuid

from sqlmodel import select

from app.desk.completion import Gate, open_gates
from app.jobs.models import JobEvent
from app.parts.models import PartMovement
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import reload
from tests.helpers.parts import add_units, assigned_job, lend, movements, take_back, unit


async def test_it_lends_units_to_the_engineer_for_a_job_and_shows_what_they_hold(client, db, make_user, office, clock):
    engineer = await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    units = await add_units(db, office, clock)
    await sign_in(client, await make_user("clerk"))
    response = await lend(client, engineer, job, units[0].code, units[1].code.lower())
    assert response.status_code == 303, response.text[:2000]
    rows = await movements(db)
    assert [(r.kind, r.engineer_id, r.job_id, r.details["sealed"]) for r in rows] == [
        ("CHECK_OUT", engineer.id, job.id, True)
    ] * 2
    lent = await unit(db, units[0].id)
    assert lent.status == "OUT" and lent.holder_id == engineer.id and lent.job_id == job.id
    page = await client.get(f"/parts/counter?engineer={engineer.id}")
    assert units[0].code in page.text and units[1].code in page.text
    await sign_in(client, engineer)
    mine = await client.get("/parts/mine")
    assert units[0].code in mine.text and units[2].code not in mine.text
    job_page = await client.get(f"/jobs/{job.id}")
    assert "Parts checked out" in job_page.text


async def test_it_refuses_a_second_borrow_before_the_previous_part_is_back(client, db, make_user, office, clock):
    engineer = await make_user("engineer")
    first = await assigned_job(client, db, make_user, engineer)
    second = await assigned_job(client, db, make_user, engineer)
    units = await add_units(db, office, clock)
    await sign_in(client, await make_user("clerk"))
    assert (await lend(client, engineer, first, units[0].code)).status_code == 303
    refused = await lend(client, engineer, second, units[1].code)
    assert refused.status_code == 422
    assert "previous part must be returned before the next is borrowed" in refused.text
    assert units[0].code in refused.text
    clock.advance(hours=1)  # the same job, but a later counter session
    assert (await lend(client, engineer, first, units[1].code)).status_code == 422
    assert len(await movements(db)) == 1
    clerks_reason = await lend(client, engineer, second, units[1].code, exception_reason="Urgent second site")
    assert clerks_reason.status_code == 422 and "only a branch manager may make an exception" in clerks_reason.text
    manager = await make_user("manager")
    await sign_in(client, manager)
    assert (await lend(client, engineer, second, units[1].code)).status_code == 422  # a manager gives the reason too
    excepted = await lend(client, engineer, second, units[1].code, exception_reason="Urgent second site, approved")
    assert excepted.status_code == 303
    row = [r for r in await movements(db) if r.unit_id == units[1].id][0]
    assert row.details["exception"] == "Urgent second site, approved" and row.actor_id == manager.id
    event = (
        await db.exec(select(JobEvent).where(JobEvent.job_id == second.id, JobEvent.kind == "parts_checked_out"))
    ).one()
    assert event.details["return_before_borrow_overridden"] == [units[0].code] and event.actor_id == manager.id


async def test_it_allows_several_units_for_one_job_in_one_session(client, db, make_user, office, clock):
    engineer = await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    units = await add_units(db, office, clock)
    await sign_in(client, await make_user("clerk"))
    assert (await lend(client, engineer, job, units[0].code)).status_code == 303
    clock.advance(minutes=5)
    assert (await lend(client, engineer, job, units[1].code)).status_code == 303


async def test_it_refuses_bad_check_outs_with_clear_messages_and_writes_nothing(client, db, make_user, office, clock):
    engineer, other = await make_user("engineer"), await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    other_job = await assigned_job(client, db, make_user, other)
    units = await add_units(db, office, clock)
    await sign_in(client, await make_user("clerk"))
    cases = [
        (lend(client, engineer, job, "NOSUCH99"), "No part unit has the code NOSUCH99"),
        (lend(client, engineer, job, units[0].code, sealed=False), "packaging is sealed"),
        (lend(client, other, job, units[0].code), "is not assigned to"),
        (lend(client, engineer, job), "at least one unit code"),
        (lend(client, engineer, job, "HTTPS://EVIL.EXAMPLE/X/Y"), "No part unit has the code"),
    ]
    for request, message in cases:
        response = await request
        assert response.status_code == 422, message
        assert message in response.text
    assert await movements(db) == []
    assert (await lend(client, engineer, job, f"https://onsite.test/U/{units[0].code}")).status_code == 303
    again = await lend(client, other, other_job, units[0].code)
    assert again.status_code == 422 and "already lent to" in again.text


async def test_it_takes_parts_back_and_confirms_them_which_unlocks_completion(client, db, make_user, office, clock):
    engineer = await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    units = await add_units(db, office, clock)
    clerk = await make_user("clerk")
    await sign_in(client, clerk)
    assert (await lend(client, engineer, job, units[0].code, units[1].code, units[2].code)).status_code == 303
    faulty = await take_back(client, units[0].code, "faulty")
    assert faulty.status_code == 422 and "fault tag" in faulty.text
    assert (
        await take_back(
            client,
            units[0].code,
            "faulty",
            fault="No 12 V output",
            device_serial=job.device_serial,
            removed_serial="OLD-PSU-1",
        )
    ).status_code == 303
    assert (await take_back(client, units[1].code, "unused", sealed="on")).status_code == 303
    assert (await take_back(client, units[2].code, "unused")).status_code == 303
    states = [(u.status, u.condition) for u in [await unit(db, x.id) for x in units]]
    assert states == [("DEFECTIVE", "faulty"), ("IN_STOCK", "new"), ("QUARANTINE", "new")]
    assert Gate.PARTS in await open_gates(db, await reload(db, job.id))
    confirm = await client.post(
        f"/parts/jobs/{job.id}/confirm",
        data={"movement_id": str(uuid.uuid4())},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert confirm.status_code == 303
    assert Gate.PARTS not in await open_gates(db, await reload(db, job.id))
    kinds = sorted(r.kind for r in await movements(db))
    assert kinds.count("CONFIRM_RETURN") == 3 and "RETURN_FAULTY" in kinds and "QUARANTINE" in kinds
    tag = [r for r in await movements(db) if r.kind == "RETURN_FAULTY"][0].details
    assert tag["fault"] == "No 12 V output" and tag["device_serial"] == job.device_serial


async def test_it_refuses_confirmation_while_a_part_is_still_out(client, db, make_user, office, clock):
    engineer = await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    units = await add_units(db, office, clock)
    await sign_in(client, await make_user("clerk"))
    await lend(client, engineer, job, units[0].code, units[1].code)
    await take_back(client, units[0].code, "unused", sealed="on")
    response = await client.post(f"/parts/jobs/{job.id}/confirm", data={}, headers=csrf(client))
    assert response.status_code == 422 and "still out" in response.text and units[1].code in response.text


async def test_it_refuses_a_return_to_the_wrong_job(client, db, make_user, office, clock):
    engineer = await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    other = await assigned_job(client, db, make_user, await make_user("engineer"))
    units = await add_units(db, office, clock)
    await sign_in(client, await make_user("clerk"))
    await lend(client, engineer, job, units[0].code)
    response = await take_back(client, units[0].code, "unused", sealed="on", job_id=str(other.id))
    assert response.status_code == 422 and f"was lent for job {job.number}" in response.text
    never_lent = await take_back(client, units[1].code, "unused", sealed="on")
    assert never_lent.status_code == 422 and "is not lent out" in never_lent.text


async def test_it_replays_a_movement_id_without_writing_twice(client, db, make_user, office, clock):
    engineer = await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    units = await add_units(db, office, clock)
    await sign_in(client, await make_user("clerk"))
    key = str(uuid.uuid4())
    data = {"engineer_id": str(engineer.id), "job_id": str(job.id), "codes": units[0].code, "sealed": "on"}
    first = await client.post(
        "/parts/check-out", data=data, headers={**csrf(client), "Idempotency-Key": key}, follow_redirects=False
    )
    again = await client.post(
        "/parts/check-out", data=data, headers={**csrf(client), "Idempotency-Key": key}, follow_redirects=False
    )
    assert first.status_code == again.status_code == 303
    rows = await movements(db)
    assert len(rows) == 1 and rows[0].id == uuid.UUID(key)
    changed = await client.post(
        "/parts/check-out", data={**data, "codes": units[1].code}, headers={**csrf(client), "Idempotency-Key": key}
    )
    assert changed.status_code == 422 and "already sent with different content" in changed.text
    by_form = {**data, "codes": units[1].code, "movement_id": "not-a-uuid"}
    bad = await client.post("/parts/check-out", data=by_form, headers=csrf(client))
    assert bad.status_code == 422 and "movement id is not valid" in bad.text
    assert len(await movements(db)) == 1
    assert isinstance(rows[0], PartMovement)


async def test_it_keeps_engineers_and_coordinators_away_from_the_counter(client, db, make_user):
    for role in ["engineer", "coordinator"]:
        await sign_in(client, await make_user(role))
        assert (await client.get("/parts/counter")).status_code == 403
        response = await client.post("/parts/check-out", data={"codes": "X"}, headers=csrf(client))
        assert response.status_code == 403
        assert (await client.get("/parts/catalogue")).status_code == 403
    await sign_in(client, await make_user("manager"))
    assert (await client.get("/parts/counter")).status_code == 200


async def test_it_finds_the_engineer_by_badge(client, db, make_user):
    engineer = await make_user("engineer", username="li.wei")
    await sign_in(client, await make_user("clerk"))
    page = await client.get("/parts/counter", params={"badge": "ONSITE-BADGE:LI.WEI"})
    assert page.status_code == 200 and "Lend parts" in page.text and str(engineer.id) in page.text
    unknown = await client.get("/parts/counter", params={"badge": "nobody"})
    assert unknown.status_code == 422 and "No engineer of this office has the badge nobody." in unknown.text


async def test_it_keeps_a_reserved_unit_for_its_job_unless_the_clerk_gives_a_reason(
    client, db, make_user, office, clock
):
    engineer, other = await make_user("engineer"), await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    other_job = await assigned_job(client, db, make_user, other)
    units = await add_units(db, office, clock, count=1)
    await sign_in(client, await make_user("coordinator"))
    bad = await client.post("/parts/reserve", data={"code": units[0].code, "job_number": "NOPE"}, headers=csrf(client))
    assert bad.status_code == 422 and "open job" in bad.text and 'aria-invalid="true"' in bad.text
    assert "1 field needs your attention" in bad.text
    reserved = await client.post(
        "/parts/reserve",
        data={"code": units[0].code, "job_number": job.number},
        headers=csrf(client),
        follow_redirects=False,
    )
    assert reserved.status_code == 303
    assert (await unit(db, units[0].id)).reserved_job_id == job.id
    await sign_in(client, await make_user("clerk"))
    refused = await lend(client, other, other_job, units[0].code)
    assert refused.status_code == 422 and f"is reserved for job {job.number}" in refused.text
    overridden = await lend(client, other, other_job, units[0].code, exception_reason="Other visit is more urgent")
    assert overridden.status_code == 303
    lent = await unit(db, units[0].id)
    assert lent.holder_id == other.id and lent.reserved_job_id is None
    assert sorted(m.kind for m in await movements(db)) == ["CHECK_OUT", "RESERVE"]
