"""A throw-away PostgreSQL database for a benchmark, migrated to head and dropped afterwards."""

import asyncio
import os
import uuid
from contextlib import contextmanager

import asyncpg
from sqlalchemy.engine import make_url

from app.core.migrate import upgrade

PG_URL = os.environ.get("ONSITE_BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


async def _admin(sql: str) -> None:
    url = make_url(PG_URL)
    conn = await asyncpg.connect(host=url.host, port=url.port, user=url.username, database=url.database)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@contextmanager
def scratch_database(prefix: str = "onsite_bench"):
    """Yields the SQLAlchemy URL of a fresh, migrated database."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def connect(url: str) -> asyncpg.Connection:
    parsed = make_url(url)
    return await asyncpg.connect(host=parsed.host, port=parsed.port, user=parsed.username, database=parsed.database)
