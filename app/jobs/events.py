"""Live boards: the board's event log (``board_log``) pushed to open boards as Server-Sent Events.

Every event carries its number as the SSE ``id``. A board that reconnects sends the last one it saw
(``Last-Event-ID``, or ``?after=`` from the page it was drawn with) and first gets what it missed, or one
``refresh`` when that is no longer kept, then live events: the stream subscribes before it reads the log and
drops any number it already sent, so nothing falls between the two and nothing comes twice.

Channels carry one message per committed transaction between app processes: in memory for one process;
PostgreSQL LISTEN/NOTIFY or Redis pub/sub for several (``ONSITE_CHANNELS_BACKEND``, ``app.jobs.brokers``).
"""

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from litestar import Request
from litestar.channels import ChannelsBackend, ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.response import ServerSentEventMessage
from sqlalchemy.engine import make_url
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.database import TransactionHook
from app.core.metrics import BOARD_STREAMS
from app.core.page_cache import note_changed
from app.jobs import board_log
from app.jobs.brokers import PostgresBackend, RedisBackend

BOARD = "board"
RECONNECT_MS = 1000  # how soon a browser reconnects a dropped stream


def make_channels_backend(settings) -> ChannelsBackend:
    if settings.channels_backend == "postgres":
        dsn = make_url(settings.database_url).set(drivername="postgresql").render_as_string(hide_password=False)
        return PostgresBackend(dsn)
    if settings.channels_backend == "redis":
        return RedisBackend(settings.redis_url)
    return MemoryChannelsBackend()


def make_channels_plugin(backend: ChannelsBackend) -> ChannelsPlugin:
    return ChannelsPlugin(backend=backend, channels=[BOARD], create_ws_route_handlers=False)


PUBLISHER = "board_publisher"  # on a request's database session: how its transactions reach open boards


@dataclass(frozen=True)
class Publisher:
    publish: Callable[[list[board_log.BoardEvent]], None]
    keep: timedelta  # events older than this are dropped as new ones are written


class BoardEvents(TransactionHook):
    """Every transaction writes the changes it noted as numbered board events just before its commit (the
    sequence row stays locked only for the commit) and publishes them after it; a rollback forgets them."""

    def session_opened(self, db: AsyncSession, request: Request) -> None:
        app, settings = request.app, request.app.state.settings
        channels = app.plugins.get(ChannelsPlugin)
        db.info[PUBLISHER] = Publisher(
            partial(publish_events, channels), timedelta(hours=settings.board_events_keep_hours)
        )

    async def before_commit(self, db: AsyncSession) -> None:
        publisher = db.info.get(PUBLISHER)
        noted = await board_log.write_pending(db, publisher.keep if publisher else None)
        note_changed(db, {event.office_id for event in noted})  # their kept board parts are out of date

    def committed(self, db: AsyncSession) -> None:
        written = board_log.take_written(db)
        if written and (publisher := db.info.get(PUBLISHER)):
            publisher.publish(written)

    def rolled_back(self, db: AsyncSession) -> None:
        board_log.forget_pending(db)


def publish_events(channels: ChannelsPlugin, events: list[board_log.BoardEvent]) -> None:
    """One message per office for what a transaction committed."""
    offices: dict[uuid.UUID, list] = {}
    for event in events:
        offices.setdefault(event.office_id, []).append([event.seq, event.kind, str(event.job_id or "")])
    for office_id, items in offices.items():
        channels.publish(json.dumps({"office": str(office_id), "events": items}), BOARD)


def as_messages(seq: int, kind: str, job: str) -> list[ServerSentEventMessage]:
    """``job-<id>`` redraws the row, ``board`` the counts, ``engineers`` the phones' panel; each with its id."""
    if kind == board_log.PHONE:
        return [ServerSentEventMessage(id=seq, event="engineers", data=job)]
    return [
        ServerSentEventMessage(id=seq, event=f"job-{job}", data=job),
        ServerSentEventMessage(id=seq, event="board", data=job),
    ]


class BoardFeed:
    """One open board: the last number it was sent, and what to send it next."""

    def __init__(self, sessionmaker, office_id: uuid.UUID, last: int | None) -> None:
        self.sessionmaker = sessionmaker
        self.office_id = office_id
        self.last = last

    async def catch_up(self) -> list[ServerSentEventMessage]:
        """What was missed since ``last``, from the log: the newest event per job (in number order), or a
        ``refresh`` when the log no longer holds all of it."""
        async with self.sessionmaker() as db:
            if self.last is None:
                self.last = await board_log.last_seq(db, self.office_id)
                return []
            missed = await board_log.events_after(db, self.office_id, self.last)
        self.last = missed.top
        if missed.refresh:
            return [ServerSentEventMessage(id=missed.top, event="refresh", data="")]
        newest = {(event.kind, event.job_id): event for event in missed.events}
        messages = []
        for event in sorted(newest.values(), key=lambda event: event.seq):
            messages += as_messages(event.seq, event.kind, str(event.job_id or ""))
        return messages

    async def receive(self, raw: bytes | str) -> list[ServerSentEventMessage]:
        message = json.loads(raw)
        if message.get("resync"):  # the broker was away: whatever it carried meanwhile is in the log
            return await self.catch_up()
        if message.get("office") != str(self.office_id):
            return []
        fresh = [item for item in message["events"] if item[0] > self.last]
        if fresh and fresh[0][0] != self.last + 1:  # a message was lost or overtaken: the log has it
            return await self.catch_up()
        messages = []
        for seq, kind, job in fresh:
            messages += as_messages(seq, kind, job)
            self.last = seq
        return messages


@asynccontextmanager
async def _counted_stream() -> AsyncIterator[None]:
    BOARD_STREAMS.inc()
    try:
        yield
    finally:
        BOARD_STREAMS.dec()


async def board_stream(
    channels: ChannelsPlugin, feed: BoardFeed, keepalive_seconds: float
) -> AsyncIterator[ServerSentEventMessage]:
    """SSE for one office's board; a comment every ``keepalive_seconds`` keeps proxies from closing it. The
    wait for the next message is one task across keep-alives, so a keep-alive never cancels the subscription."""
    async with channels.start_subscription([BOARD]) as subscriber, _counted_stream():
        yield ServerSentEventMessage(event="ready", data="", retry=RECONNECT_MS)
        for message in await feed.catch_up():
            yield message
        events = subscriber.iter_events()
        upcoming = asyncio.ensure_future(anext(events))
        try:
            while True:
                done, _ = await asyncio.wait({upcoming}, timeout=keepalive_seconds)
                if not done:
                    yield ServerSentEventMessage(comment="keepalive", data=None)
                    continue
                raw = upcoming.result()
                upcoming = asyncio.ensure_future(anext(events))
                for message in await feed.receive(raw):
                    yield message
        except StopAsyncIteration:
            return
        finally:
            upcoming.cancel()
