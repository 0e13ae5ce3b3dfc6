"""What ``/healthz`` checks: the database, the channels broker and the photo store, each on its own."""

import asyncio
import time
from collections.abc import Awaitable

import anyio
from litestar import Litestar
from sqlalchemy import text

from app.media.store import photo_store

CHECK_SECONDS = 3.0  # a part that takes longer counts as down: a load balancer must not wait on us


async def health(app: Litestar) -> tuple[bool, dict]:
    """Each part's state (``ok`` or the error's name) and time in ms, and whether all are ok."""
    settings = app.state.settings
    parts = {
        "database": _database(app),
        "channels": _channels(app),
        "media": anyio.to_thread.run_sync(photo_store(settings).check),
    }
    report, healthy = {}, True
    for name, check in parts.items():
        started = time.perf_counter()
        try:
            await asyncio.wait_for(check, CHECK_SECONDS)
            state = "ok"
        except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
            state, healthy = type(error).__name__, False
        report[name] = {"status": state, "ms": round((time.perf_counter() - started) * 1000, 2)}
    report["channels"]["backend"] = settings.channels_backend
    report["media"]["backend"] = settings.media_backend
    return healthy, {"status": "ok" if healthy else "error", **report}


async def _database(app: Litestar) -> None:
    async with app.state.sessionmaker() as db:
        await (await db.connection()).execute(text("SELECT 1"))


def _channels(app: Litestar) -> Awaitable[None]:
    """The broker: Redis or PostgreSQL answer and this process listens; in memory there is nothing to reach."""
    check = getattr(app.state.channels_backend, "check", None)
    return check() if check is not None else asyncio.sleep(0)
