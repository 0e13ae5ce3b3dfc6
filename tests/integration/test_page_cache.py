"""Kept copies of the board and My jobs: never shown after a change, whichever app process made it."""

from litestar.testing import AsyncTestClient

from app.core.database import transaction
from app.core.page_cache import PageCache
from app.main import create_app
from tests.helpers.clients import sign_in
from tests.helpers.jobs import post, take_request


async def test_it_renders_a_part_once_until_a_change_is_committed(db):
    cache, renders = PageCache(), []

    async def render() -> str:
        renders.append(1)
        return f"<p>{len(renders)}</p>"

    assert await cache.fetch(db, "part", render) == await cache.fetch(db, "part", render) == "<p>1</p>"
    async with transaction(db):
        pass
    assert await cache.fetch(db, "part", render) == "<p>2</p>"


async def test_it_shows_changes_made_through_another_app_process_at_once(client, settings, clock, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    engineer = await make_user("engineer")
    first = await take_request(client, db, device_serial="K-1")
    assert first.number in (await client.get("/board")).text
    async with AsyncTestClient(app=create_app(settings, clock)) as other_process:
        await other_process.get("/login")
        await sign_in(other_process, await make_user("coordinator"))
        second = await take_request(other_process, db, device_serial="K-2")
        await post(other_process, f"/jobs/{first.id}/assign", engineer_id=str(engineer.id))
    board = (await client.get("/board")).text
    assert second.number in board and 'data-count="ASSIGNED">1<' in board
    await sign_in(client, engineer)
    assert first.number in (await client.get("/jobs/mine")).text


async def test_it_keeps_a_copy_per_language_and_filter(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db, zone="WITHIN_80KM")
    assert "Job board" in (await client.get("/board")).text
    chinese = await client.get("/board", headers={"accept-language": "zh-CN"})
    assert "Job board" not in chinese.text and job.number in chinese.text
    assert job.number not in (await client.get("/board", params={"zone": "IN_AREA"})).text
    assert job.number in (await client.get("/board", params={"zone": "WITHIN_80KM"})).text
