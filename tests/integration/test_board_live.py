"""The live board: a change made in one session reaches open boards within a second (F09)."""

import asyncio

import pytest

from tests.helpers.board import signed_in_client
from tests.helpers.env import pg_available
from tests.helpers.jobs import intake_form
from tests.helpers.servers import LiveServer, RedisServer


async def next_event(lines, name: str, timeout: float = 1.0) -> str:
    """Reads the SSE stream until an event called ``name`` arrives; fails after ``timeout`` seconds."""

    async def read() -> str:
        event = ""
        async for line in lines:
            if line.startswith("event: "):
                event = line[len("event: ") :]
            elif line.startswith("data: ") and event == name:
                return line[len("data: ") :]
        raise AssertionError("stream ended")

    return await asyncio.wait_for(read(), timeout)


async def watch_and_change(board_url: str, change_url: str, coordinator: str) -> None:
    watcher = await signed_in_client(board_url, coordinator)
    actor = await signed_in_client(change_url, coordinator)
    try:
        async with watcher.stream("GET", "/board/events") as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            lines = stream.aiter_lines()
            await next_event(lines, "ready", timeout=5)
            response = await actor.post(
                "/jobs/", data=intake_form(), headers={"x-csrftoken": actor.cookies["csrftoken"]}
            )
            assert response.status_code in {200, 303}
            job_id = await next_event(lines, "board", timeout=1.0)
            row = await watcher.get(f"/board/rows/{job_id}")
            assert "Acme Hospital" in row.text and "Waiting for dispatch" in row.text
            assert "HX-Request" in row.headers["vary"]
    finally:
        await watcher.aclose()
        await actor.aclose()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_it_pushes_a_change_to_an_open_board_within_a_second(database_url, make_user, tmp_path):
    coordinator = await make_user("coordinator")
    server = LiveServer(tmp_path, database_url=database_url, demo=False).start()
    try:
        await watch_and_change(server.url, server.url, coordinator.username)
    finally:
        server.stop()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_it_pushes_a_change_made_on_one_app_process_to_a_board_on_another(database_url, make_user, tmp_path):
    """Two app processes on one PostgreSQL database, events through LISTEN/NOTIFY."""
    assert pg_available()
    coordinator = await make_user("coordinator")
    first = LiveServer(tmp_path, database_url=database_url, demo=False, ONSITE_CHANNELS_BACKEND="postgres").start()
    second = LiveServer(tmp_path, database_url=database_url, demo=False, ONSITE_CHANNELS_BACKEND="postgres").start()
    try:
        await watch_and_change(second.url, first.url, coordinator.username)
    finally:
        first.stop()
        second.stop()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_it_pushes_a_change_made_on_one_app_process_to_a_board_on_another_through_redis(
    database_url, make_user, tmp_path
):
    """Two app processes, events through a Redis of the test's own."""
    coordinator = await make_user("coordinator")
    redis = RedisServer(tmp_path).start()
    env = {"ONSITE_CHANNELS_BACKEND": "redis", "ONSITE_REDIS_URL": redis.url}
    first = LiveServer(tmp_path, database_url=database_url, demo=False, **env).start()
    second = LiveServer(tmp_path, database_url=database_url, demo=False, **env).start()
    try:
        await watch_and_change(second.url, first.url, coordinator.username)
    finally:
        first.stop()
        second.stop()
        redis.stop()
