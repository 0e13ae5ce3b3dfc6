"""Async engine, one session per request, and column types shared by the features."""

import os
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from litestar import Request
from litestar.datastructures import State
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core import faults
from app.core.commit_hooks import run_before_commit
from app.core.page_cache import count_change

# How a request's transactions tell open boards what changed (``app.jobs.events.board_hooks``).
BOARD_HOOKS = "board_hooks"

# Enough kept connections for a worker's concurrent requests (each takes two in turn: the user, then the
# handler's session): past the pool, every connection is opened and closed again, a new server process each.
POOL_SIZE = 20


def create_private_sqlite_file(url: str) -> None:
    """A new SQLite file (customers' personal data) is made readable and writable by the server's user only;
    SQLite gives its -wal and -shm files the same mode. An existing file is left as the operator set it."""
    if not url.startswith("sqlite"):
        return
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def make_engine(url: str, **kwargs) -> AsyncEngine:
    create_private_sqlite_file(url)
    if url.startswith("postgresql"):
        kwargs.setdefault("pool_size", POOL_SIZE)
    engine = create_async_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:
            cursor = dbapi_conn.cursor()
            for pragma in ("foreign_keys=ON", "journal_mode=WAL", "busy_timeout=5000"):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def provide_db_session(state: State, request: Request) -> AsyncGenerator[AsyncSession, None]:
    """The request's database session; services open their own transactions on it. A request carrying an
    ``Idempotency-Key`` hands its claim to the session, so the key is stored with the change."""
    from app.jobs.events import board_hooks

    async with state.sessionmaker() as session:
        session.info[BOARD_HOOKS] = board_hooks(request.app, state.settings)
        if claim := request.scope["state"].get("idempotency"):
            session.info["idempotency"] = claim
            session.info["clock"] = state.clock
        try:
            yield session
        except Exception:
            await session.rollback()
            raise


@asynccontextmanager
async def transaction(db: AsyncSession) -> AsyncIterator[AsyncSession]:
    """Commits what the block wrote, or rolls all of it back on any error: no partial writes."""
    from app.core.web import DomainError
    from app.jobs import board_log
    from app.sync.idempotency import claim_on_commit, delivered_meanwhile, refuse_concurrent_delivery

    hooks = db.info.get(BOARD_HOOKS)
    try:
        yield db
        await run_before_commit(db)
        claim = claim_on_commit(db, db.info["clock"]()) if "idempotency" in db.info else None
        await db.flush()  # every other row lock first: the shared counters are held only during the commit
        await board_log.write_pending(db, hooks.keep if hooks else None)
        await count_change(db)
        faults.reached("before_commit", claim.key if claim else None)
        await db.commit()
    except IntegrityError as error:
        board_log.forget_pending(db)
        await db.rollback()
        if db.info.get("idempotency") is not None:  # the same key committed meanwhile: nothing applied twice
            raise refuse_concurrent_delivery() from error
        raise
    except DomainError as error:
        board_log.forget_pending(db)
        await db.rollback()
        claim = db.info.get("idempotency")
        if claim is not None and error.status_code == 422 and await delivered_meanwhile(db, claim):
            raise refuse_concurrent_delivery() from error
        raise
    except BaseException:
        board_log.forget_pending(db)
        await db.rollback()
        raise
    if claim is not None:
        claim.committed = True
    written = board_log.take_written(db)
    if written and hooks:
        hooks.publish(written)
