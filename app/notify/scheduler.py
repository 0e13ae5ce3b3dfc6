"""The scheduler: every ``ONSITE_SCHEDULER_SECONDS`` it sends due messages, acts on clocks that ran out and, every
``ONSITE_PRUNE_EVERY_MINUTES``, prunes (``app.retention``). It runs inside each server process by default
(``ONSITE_SCHEDULER_IN_SERVER``) and as ``onsite worker``; only one process leads at a time: on PostgreSQL the
one holding a session advisory lock (``pg_try_advisory_lock``) on a connection kept for it, which PostgreSQL frees
when that process or its connection dies; on SQLite the single process. All time comes from the injected clock."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import anyio
from litestar import Litestar
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.core.clock import Clock
from app.core.settings import Settings
from app.notify import clocks
from app.notify.channels import Channel, make_channels
from app.notify.sender import send_due
from app.retention import prune

log = logging.getLogger("onsite")
LOCK_KEY = 0x0_5174_0017  # the advisory lock's number: one scheduler per database


class Leadership:
    """Whether this process leads. On PostgreSQL it holds the advisory lock on its own connection, checked on
    every tick; a lost connection loses the lead, and it tries again on the next tick."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.connection: AsyncConnection | None = None
        self.waiting = False  # told the log that another process leads

    async def check(self) -> bool:
        if self.engine.dialect.name != "postgresql":
            return True
        try:
            if self.connection is None:
                self.connection = await self.engine.connect()
                got = await self.connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY})
                await self.connection.commit()
                if not got:
                    await self.release()
                    if not self.waiting:
                        log.info("scheduler waits: another process leads")
                    self.waiting = True
                    return False
                log.info("scheduler leads")
                self.waiting = False
            else:
                await self.connection.execute(text("SELECT 1"))
                await self.connection.commit()
            return True
        except Exception:  # the connection died: so did the lock; the next tick tries again
            log.exception("scheduler lost its lock connection")
            await self._drop()
            return False

    async def release(self) -> None:
        if self.connection is None:
            return
        try:
            await self.connection.execute(text("SELECT pg_advisory_unlock_all()"))
            await self.connection.commit()
            await self.connection.close()
        except Exception:
            await self._drop()
        self.connection = None

    async def _drop(self) -> None:
        if self.connection is not None:
            await self.connection.invalidate()  # never back to the pool: a pooled connection would keep the lock
            await self.connection.close()
        self.connection = None


class Scheduler:
    def __init__(self, engine: AsyncEngine, sessionmaker, settings: Settings, clock: Clock, channels=None) -> None:
        self.sessionmaker, self.settings, self.clock = sessionmaker, settings, clock
        self.channels: dict[str, Channel] = channels or make_channels(settings)
        self.leadership = Leadership(engine)
        self.pruned_at: datetime | None = None

    async def tick(self) -> None:
        """One round, when this process leads; a failing part is logged and the others still run."""
        if not await self.leadership.check():
            return
        for part in (self._clocks, self._send, self._prune):
            try:
                await part()
            except Exception:
                log.exception("scheduler round failed", extra={"part": part.__name__})

    async def _clocks(self) -> None:
        await clocks.sweep(self.sessionmaker, self.settings, self.clock())

    async def _send(self) -> None:
        await send_due(self.sessionmaker, self.channels, self.settings, self.clock)

    async def _prune(self) -> None:
        every, now = self.settings.prune_every_minutes, self.clock()
        if every <= 0 or (self.pruned_at and now - self.pruned_at < timedelta(minutes=every)):
            return
        async with self.sessionmaker() as db:
            deleted = await prune(db, self.settings, now)
        self.pruned_at = now
        log.info("pruned", extra={"deleted": deleted})

    async def run_forever(self) -> None:
        try:
            while True:
                await self.tick()
                await anyio.sleep(self.settings.scheduler_seconds)
        finally:
            with anyio.CancelScope(shield=True):
                await self.leadership.release()


async def run_worker(settings: Settings, clock: Clock) -> None:
    """``onsite worker``: the scheduler on its own engine until the process is stopped."""
    from app.core.database import make_engine, make_sessionmaker, on_every_transaction
    from app.jobs.events import BoardEvents
    from app.notify.triggers import NotifyOnEvents

    on_every_transaction(BoardEvents(), NotifyOnEvents())  # a job event it records (F53) is told like any other
    engine = make_engine(settings.database_url)
    try:
        await Scheduler(engine, make_sessionmaker(engine), settings, clock).run_forever()
    finally:
        await engine.dispose()


@asynccontextmanager
async def scheduling(app: Litestar) -> AsyncIterator[None]:
    """A lifespan task: the scheduler in the server process (unless ``ONSITE_SCHEDULER_IN_SERVER=0``)."""
    state = app.state
    scheduler = Scheduler(state.engine, state.sessionmaker, state.settings, state.clock)
    state.scheduler = scheduler
    async with anyio.create_task_group() as tasks:
        if state.settings.scheduler_in_server:
            tasks.start_soon(scheduler.run_forever)
        try:
            yield
        finally:
            tasks.cancel_scope.cancel()
