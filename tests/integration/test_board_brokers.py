"""Broker faults: when the connection a process listens on dies (PostgreSQL) or the broker restarts (Redis),
the process listens again by itself within seconds, and open boards catch up on what was published meanwhile."""

from contextlib import AsyncExitStack

import pytest

from app.jobs.brokers import LISTENER_NAME
from tests.helpers.board import coordinator_clients, open_board, take_request
from tests.helpers.pgadmin import connect
from tests.helpers.servers import LiveServer, RedisServer

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


async def kill_listeners(database_url: str) -> int:
    conn = await connect(database_url)
    try:
        return len(
            await conn.fetch(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND application_name = $1",
                LISTENER_NAME,
            )
        )
    finally:
        await conn.close()


async def two_processes(stack: AsyncExitStack, tmp_path, database_url: str, username: str, **env) -> tuple:
    """Two app processes on one broker: a coordinator's board open on one, the same coordinator acting on the
    other. Returns the board's stream and the acting client; the stack stops and closes them."""
    actor = LiveServer(tmp_path, database_url=database_url, demo=False, **env).start()
    stack.callback(actor.stop)
    watcher = LiveServer(tmp_path, database_url=database_url, demo=False, **env).start()
    stack.callback(watcher.stop)
    board_client, actor_client = await coordinator_clients(watcher.url, actor.url, username=username)
    stack.push_async_callback(board_client.aclose)
    stack.push_async_callback(actor_client.aclose)
    return await open_board(board_client, stack), actor_client


async def redis_processes(stack: AsyncExitStack, tmp_path, database_url: str, username: str) -> tuple:
    """A Redis server and two app processes on it (see two_processes); returns the server too."""
    redis = RedisServer(tmp_path).start()
    stack.callback(redis.stop)
    env = {"ONSITE_CHANNELS_BACKEND": "redis", "ONSITE_REDIS_URL": redis.url}
    return redis, *await two_processes(stack, tmp_path, database_url, username, **env)


async def board_sees_new_job(board, actor_client, serial: str) -> None:
    job = await take_request(actor_client, serial)
    assert (await board.next("board", timeout=5)).data == job


async def test_it_listens_again_after_its_postgresql_connection_is_killed(database_url, make_user, tmp_path):
    coordinator = await make_user("coordinator")
    async with AsyncExitStack() as stack:
        board, actor_client = await two_processes(
            stack, tmp_path, database_url, coordinator.username, ONSITE_CHANNELS_BACKEND="postgres"
        )
        assert await kill_listeners(database_url) == 2  # one per app process
        await board_sees_new_job(board, actor_client, "PG-KILL-1")  # published while nobody listens
        await board_sees_new_job(board, actor_client, "PG-KILL-2")


async def test_it_listens_again_after_redis_restarts(database_url, make_user, tmp_path):
    coordinator = await make_user("coordinator")
    async with AsyncExitStack() as stack:
        redis, board, actor_client = await redis_processes(stack, tmp_path, database_url, coordinator.username)
        redis.stop()
        during = await take_request(actor_client, "REDIS-DOWN-1")  # Redis is down: nothing can be published
        redis.start()
        assert (await board.next("board", timeout=5)).data == during
        await board_sees_new_job(board, actor_client, "REDIS-UP-1")


async def test_it_catches_up_when_redis_drops_only_the_subscription(database_url, make_user, tmp_path):
    """Redis stays up but closes the listening connections: redis-py subscribes again by itself, and what
    was published meanwhile reaches the board from the log."""
    from redis.asyncio import Redis

    coordinator = await make_user("coordinator")
    async with AsyncExitStack() as stack:
        redis, board, actor_client = await redis_processes(stack, tmp_path, database_url, coordinator.username)
        admin = Redis.from_url(redis.url)
        stack.push_async_callback(admin.aclose)
        assert await admin.client_kill_filter(_type="pubsub") == 2  # one per app process
        await board_sees_new_job(board, actor_client, "REDIS-KILL-1")
        await board_sees_new_job(board, actor_client, "REDIS-KILL-2")
