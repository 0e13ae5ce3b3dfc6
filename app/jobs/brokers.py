"""Channel backends for PostgreSQL LISTEN/NOTIFY and Redis pub/sub that survive their broker going away.

Litestar's own backends listen on one connection and never listen again once it drops (and a failed publish
ends its publishing task for good). These keep a supervisor task per process that connects, listens, checks
the connection every ``health_seconds`` and, after every (re)connection, hands each subscribed channel a
``RESYNC`` message: boards then read what they missed from the board's event log (``app.jobs.board_log``),
since whatever was published while nobody listened is lost. A publish that fails is retried until
``publish_give_up_seconds``; a board that still misses it catches up at the next event (its number shows the
gap) or the next resync.
"""

import asyncio
import logging
from collections.abc import AsyncGenerator, Iterable

import asyncpg
from litestar.channels.backends.base import ChannelsBackend

RESYNC = b'{"resync": true}'
LISTENER_NAME = "onsite-board-listener"  # how the listening connection shows in pg_stat_activity
log = logging.getLogger("onsite.channels")


class ResilientBackend(ChannelsBackend):
    """What both brokers share: the queue of received messages, the supervisor task and publish retries."""

    def __init__(self, *, retry_seconds: float = 0.5, health_seconds: float = 2.0) -> None:
        self.retry_seconds = retry_seconds
        self.health_seconds = health_seconds
        self.publish_give_up_seconds = 10.0
        self._channels: set[str] = set()
        self._queue: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue()
        self._supervisor: asyncio.Task | None = None

    async def on_startup(self) -> None:
        self._queue = asyncio.Queue()
        self._supervisor = asyncio.create_task(self._supervise())

    async def on_shutdown(self) -> None:
        if self._supervisor:
            self._supervisor.cancel()
            await asyncio.gather(self._supervisor, return_exceptions=True)
        await self._close()

    async def _supervise(self) -> None:
        while True:
            try:
                await self._listen()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - any failure of the broker means: connect again
                log.warning("channels: listening connection lost (%s); reconnecting", error)
            await asyncio.sleep(self.retry_seconds)

    def _resync(self) -> None:
        """The connection is (again) listening: tell every subscriber to read what it may have missed."""
        for channel in self._channels:
            self._queue.put_nowait((channel, RESYNC))

    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        """Never raises (Litestar's publishing task would end): retries, then gives up with a log line."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self.publish_give_up_seconds
        channels = list(channels)
        while True:
            try:
                await self._publish(data, channels)
                return
            except Exception as error:  # noqa: BLE001
                await self._close_publisher()
                if loop.time() >= give_up:
                    log.error("channels: publish failed, boards will catch up later (%s)", error)
                    return
                await asyncio.sleep(self.retry_seconds)

    async def stream_events(self) -> AsyncGenerator[tuple[str, bytes], None]:
        while True:
            channel, message = await self._queue.get()
            if channel in self._channels:
                yield channel, message

    async def get_history(self, channel: str, limit: int | None = None) -> list[bytes]:
        raise NotImplementedError("boards read what they missed from the board's event log")

    async def check(self) -> None:
        """Raises unless the broker answers now and this process is listening (the health check)."""
        if not self.listening:
            raise ConnectionError("not listening")
        await self._ping()

    @property
    def listening(self) -> bool:
        raise NotImplementedError

    async def _ping(self) -> None:
        raise NotImplementedError

    async def _listen(self) -> None:
        raise NotImplementedError

    async def _publish(self, data: bytes, channels: list[str]) -> None:
        raise NotImplementedError

    async def _close_publisher(self) -> None:
        """A publish failed: the next one connects again."""

    async def _close(self) -> None:
        await self._close_publisher()


class PostgresBackend(ResilientBackend):
    """LISTEN/NOTIFY on the app's database, one listening and one publishing connection per process."""

    def __init__(self, dsn: str, **timing: float) -> None:
        super().__init__(**timing)
        self._dsn = dsn
        self._listener: asyncpg.Connection | None = None
        self._publisher: asyncpg.Connection | None = None
        self._lock = asyncio.Lock()  # one statement at a time on the listening connection

    async def _listen(self) -> None:
        conn = await asyncpg.connect(
            self._dsn, timeout=self.health_seconds * 2, server_settings={"application_name": LISTENER_NAME}
        )
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _conn: lost.set())
        try:
            async with self._lock:
                for channel in self._channels:
                    await conn.add_listener(channel, self._receive)
                self._listener = conn
            self._resync()
            while not lost.is_set():
                try:
                    await asyncio.wait_for(lost.wait(), self.health_seconds)
                except TimeoutError:
                    async with self._lock:
                        await asyncio.wait_for(conn.fetchval("SELECT 1"), self.health_seconds)
            raise ConnectionError("the listening connection was closed")
        finally:
            self._listener = None
            conn.terminate()

    @property
    def listening(self) -> bool:
        return self._listener is not None and not self._listener.is_closed()

    async def _ping(self) -> None:
        async with self._lock:
            if self._listener is None:
                raise ConnectionError("not listening")
            await asyncio.wait_for(self._listener.fetchval("SELECT 1"), self.health_seconds)

    def _receive(self, _conn, _pid: int, channel: str, payload: object) -> None:
        self._queue.put_nowait((channel, str(payload).encode()))

    async def subscribe(self, channels: Iterable[str]) -> None:
        async with self._lock:
            for channel in set(channels) - self._channels:
                self._channels.add(channel)
                if self._listener is not None:
                    await self._listener.add_listener(channel, self._receive)

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        async with self._lock:
            for channel in set(channels) & self._channels:
                self._channels.discard(channel)
                if self._listener is not None:
                    await self._listener.remove_listener(channel, self._receive)

    async def _publish(self, data: bytes, channels: list[str]) -> None:
        if self._publisher is None or self._publisher.is_closed():
            self._publisher = await asyncpg.connect(self._dsn, timeout=self.health_seconds * 2)
        for channel in channels:
            await self._publisher.execute("SELECT pg_notify($1, $2)", channel, data.decode())

    async def _close_publisher(self) -> None:
        if self._publisher is not None:
            self._publisher.terminate()
            self._publisher = None


class RedisBackend(ResilientBackend):
    """Redis pub/sub; a new subscription after any connection error (or when redis-py reconnects by itself)."""

    def __init__(self, url: str, **timing: float) -> None:
        super().__init__(**timing)
        self._url = url
        self._clients: dict[str, object] = {}
        self._pubsub = None

    def _client(self, role: str):
        """One client to listen and one to publish, so that a broken publish leaves the listening alone."""
        from redis.asyncio import Redis

        if role not in self._clients:
            timeout = self.health_seconds * 2
            self._clients[role] = Redis.from_url(self._url, socket_connect_timeout=timeout, socket_timeout=timeout)
        return self._clients[role]

    async def _listen(self) -> None:
        pubsub = self._client("listen").pubsub()
        try:
            await pubsub.subscribe(*self._channels)
            pubsub.connection.register_connect_callback(self._reconnected)
            self._pubsub = pubsub
            self._resync()
            idle, answered = 0.0, True
            while True:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.5)
                kind = message["type"] if message else None
                if kind == "message":
                    self._queue.put_nowait((message["channel"].decode(), message["data"]))
                answered = answered or kind == "pong"
                idle = 0.0 if message else idle + 0.5
                if idle >= self.health_seconds:  # a silent connection may be a dead one: ask it
                    if not answered:
                        raise ConnectionError("Redis did not answer PING")
                    answered, idle = False, 0.0
                    await pubsub.ping()
        finally:
            self._pubsub = None
            await pubsub.aclose()

    @property
    def listening(self) -> bool:
        return self._pubsub is not None

    async def _ping(self) -> None:
        await self._client("publish").ping()

    async def _reconnected(self, _connection) -> None:
        """redis-py reconnected the subscription by itself (and subscribed again): resync the boards."""
        self._resync()

    async def subscribe(self, channels: Iterable[str]) -> None:
        new = set(channels) - self._channels
        self._channels |= new
        if new and self._pubsub is not None:
            await self._pubsub.subscribe(*new)

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        gone = set(channels) & self._channels
        self._channels -= gone
        if gone and self._pubsub is not None:
            await self._pubsub.unsubscribe(*gone)

    async def _publish(self, data: bytes, channels: list[str]) -> None:
        for channel in channels:
            await self._client("publish").publish(channel, data)

    async def _close(self) -> None:
        """(redis-py drops a broken connection from its pool by itself: nothing to do after a failed publish.)"""
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
