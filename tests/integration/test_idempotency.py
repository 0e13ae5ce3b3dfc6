"""Every mutation is safe to retry: Idempotency-Key replays, conflicts and concurrent deliveries."""

import asyncio

from sqlalchemy import func
from sqlmodel import select

from app.jobs.models import Job
from app.sync.models import IdempotencyRecord
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import intake_form


def keyed(client, key: str) -> dict[str, str]:
    return {**csrf(client), "idempotency-key": key}


async def jobs(db) -> int:
    return await db.scalar(select(func.count()).select_from(Job))


async def test_it_replays_the_stored_response_instead_of_applying_a_change_twice(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    first = await client.post(
        "/jobs/", data=intake_form(), headers=keyed(client, "key-0001-abcd"), follow_redirects=False
    )
    again = await client.post(
        "/jobs/", data=intake_form(), headers=keyed(client, "key-0001-abcd"), follow_redirects=False
    )
    assert first.status_code == again.status_code == 303
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert await jobs(db) == 1


async def test_it_refuses_the_same_key_with_a_different_payload(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    await client.post("/jobs/", data=intake_form(), headers=keyed(client, "key-0002-abcd"))
    other = await client.post("/jobs/", data=intake_form(device_serial="OTHER"), headers=keyed(client, "key-0002-abcd"))
    assert other.status_code == 422 and "already sent with different content" in other.text
    assert await jobs(db) == 1


async def test_it_asks_to_wait_while_the_first_delivery_is_answered_and_trusts_it_later(client, make_user, db, clock):
    user = await make_user("coordinator")
    await sign_in(client, user)
    from app.sync.idempotency import fingerprint

    body = b"job_type=ONSITE"
    db.add(
        IdempotencyRecord(
            user_id=user.id,
            key="key-0003-abcd",
            created_at=clock(),
            fingerprint=fingerprint("POST", "/jobs/?", [["field", "job_type", "ONSITE"]]),
        )
    )
    await db.commit()
    headers = {**keyed(client, "key-0003-abcd"), "content-type": "application/x-www-form-urlencoded"}
    waiting = await client.post("/jobs/", content=body, headers=headers)
    assert waiting.status_code == 409 and waiting.headers["retry-after"] == "1"
    clock.advance(minutes=1)  # committed long ago, never answered: the process died after the commit
    lost = await client.post("/jobs/", content=body, headers=headers)
    assert lost.status_code == 200 and lost.json() == {"status": "applied"}
    assert await jobs(db) == 0


async def test_it_applies_concurrent_deliveries_of_one_key_exactly_once(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    responses = await asyncio.gather(
        *[
            client.post("/jobs/", data=intake_form(), headers=keyed(client, "key-0004-abcd"), follow_redirects=False)
            for _ in range(5)
        ]
    )
    assert await jobs(db) == 1
    assert all(r.status_code in {303, 409} for r in responses)
    assert sum(1 for r in responses if r.status_code == 303 and "idempotent-replayed" not in r.headers) == 1


async def test_it_refuses_a_malformed_key(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    response = await client.post("/jobs/", data=intake_form(), headers=keyed(client, "bad key!"))
    assert response.status_code == 400 and await jobs(db) == 0


async def test_it_keeps_keys_per_user(client, make_user, db, settings, clock):
    from litestar.testing import AsyncTestClient

    from app.main import create_app

    await sign_in(client, await make_user("coordinator"))
    await client.post("/jobs/", data=intake_form(), headers=keyed(client, "key-0005-abcd"))
    async with AsyncTestClient(app=create_app(settings, clock)) as other:
        await other.get("/login")
        await sign_in(other, await make_user("coordinator"))
        response = await other.post(
            "/jobs/",
            data=intake_form(device_serial="SN-OTHER"),
            headers=keyed(other, "key-0005-abcd"),
            follow_redirects=False,
        )
        assert response.status_code == 303 and "idempotent-replayed" not in response.headers
    assert await jobs(db) == 2


async def test_it_shows_on_the_board_what_a_phone_still_holds(client, make_user, db, settings, clock):
    from litestar.testing import AsyncTestClient

    from app.main import create_app

    engineer = await make_user("engineer")
    async with AsyncTestClient(app=create_app(settings, clock)) as phone:
        await phone.get("/login")
        await sign_in(phone, engineer)
        response = await phone.post(
            "/sync/status", json={"pending": 3, "last_sync_at": clock().isoformat()}, headers=csrf(phone)
        )
        assert response.status_code == 200
        bad = await phone.post("/sync/status", json={"pending": "lots"}, headers=csrf(phone))
        assert bad.status_code == 422
    await sign_in(client, await make_user("coordinator"))
    board = await client.get("/board")
    assert "3 changes waiting" in board.text


async def test_it_shows_on_the_job_page_what_the_engineers_phone_still_holds_for_that_job(
    client, make_user, db, settings, clock
):
    from tests.helpers.clients import browser_of
    from tests.helpers.jobs import post, take_request

    engineer = await make_user("engineer")
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db)
    await post(client, f"/jobs/{job.id}/assign", engineer_id=str(engineer.id))
    async with browser_of(engineer, settings, clock) as phone:
        forged = await phone.post("/sync/status", json={"pending": 2, "jobs": {"not-a-job": 2}}, headers=csrf(phone))
        assert forged.status_code == 422
        response = await phone.post("/sync/status", json={"pending": 2, "jobs": {str(job.id): 2}}, headers=csrf(phone))
        assert response.status_code == 200
    page = await client.get(f"/jobs/{job.id}")
    assert "2 changes to this job are still on the engineer" in page.text
    assert "2 changes on the phone" in (await client.get("/board")).text
    assert "2 changes on the phone" in (await client.get(f"/board/rows/{job.id}")).text


async def test_it_ignores_changes_waiting_reported_for_another_engineers_job(client, make_user, db, settings, clock):
    from tests.helpers.clients import browser_of
    from tests.helpers.jobs import post, take_request

    owner, intruder = await make_user("engineer"), await make_user("engineer")
    await sign_in(client, await make_user("coordinator"))
    theirs = await take_request(client, db)
    mine = await take_request(client, db, device_serial="SN-2002")
    await post(client, f"/jobs/{theirs.id}/assign", engineer_id=str(owner.id))
    await post(client, f"/jobs/{mine.id}/assign", engineer_id=str(intruder.id))
    async with browser_of(intruder, settings, clock) as phone:
        response = await phone.post(
            "/sync/status", json={"pending": 9, "jobs": {str(theirs.id): 7, str(mine.id): 2}}, headers=csrf(phone)
        )
        assert response.status_code == 200
    assert "changes to this job are still on" not in (await client.get(f"/jobs/{theirs.id}")).text
    assert "7 changes on the phone" not in (await client.get("/board")).text
    assert "2 changes on the phone" in (await client.get(f"/board/rows/{mine.id}")).text
    assert "changes on the phone" not in (await client.get(f"/board/rows/{theirs.id}")).text
