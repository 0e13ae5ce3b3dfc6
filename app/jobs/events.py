"""'Job changed' events for live boards, through Litestar's Channels plugin.

In memory for one process; PostgreSQL LISTEN/NOTIFY or Redis pub/sub when several app processes serve
the same database (``ONSITE_CHANNELS_BACKEND``).
"""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Iterable

from litestar.channels import ChannelsPlugin
from litestar.channels.backends.asyncpg import AsyncPgChannelsBackend
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from litestar.response import ServerSentEventMessage
from sqlalchemy.engine import make_url

BOARD = "board"
KEEPALIVE_SECONDS = 15


def make_channels_plugin(settings) -> ChannelsPlugin:
    if settings.channels_backend == "postgres":
        dsn = make_url(settings.database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        backend = AsyncPgChannelsBackend(dsn=dsn)
    elif settings.channels_backend == "redis":
        from redis.asyncio import Redis

        backend = RedisChannelsPubSubBackend(redis=Redis.from_url(settings.redis_url))
    else:
        backend = MemoryChannelsBackend()
    return ChannelsPlugin(backend=backend, channels=[BOARD], create_ws_route_handlers=False)


def publish_jobs_changed(channels: ChannelsPlugin, office_id: uuid.UUID, job_ids: Iterable[uuid.UUID]) -> None:
    """Call after the transaction committed: boards re-render these jobs' rows from their fragment URLs."""
    for job_id in job_ids:
        channels.publish(json.dumps({"office": str(office_id), "job": str(job_id)}), BOARD)


async def board_stream(channels: ChannelsPlugin, office_id: uuid.UUID) -> AsyncIterator[ServerSentEventMessage]:
    """SSE for one office's board: ``job-<id>`` for the changed row and ``board`` for the counts."""
    async with channels.start_subscription([BOARD]) as subscriber:
        yield ServerSentEventMessage(event="ready", data="")
        events = subscriber.iter_events()
        while True:
            try:
                raw = await asyncio.wait_for(anext(events), KEEPALIVE_SECONDS)
            except TimeoutError:
                yield ServerSentEventMessage(comment="keepalive")
                continue
            message = json.loads(raw)
            if message.get("office") == str(office_id):
                yield ServerSentEventMessage(event=f"job-{message['job']}", data=message["job"])
                yield ServerSentEventMessage(event="board", data=message["job"])
