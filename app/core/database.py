"""Async engine, one session per request, and column types shared by the features."""

from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager

from litestar import Request
from litestar.datastructures import State
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core import faults
from app.core.page_cache import count_change

# Enough kept connections for a worker's concurrent requests (each takes two in turn: the user, then the
# handler's session): past the pool, every connection is opened and closed again, a new server process each.
POOL_SIZE = 20


def make_engine(url: str, **kwargs) -> AsyncEngine:
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
    async with state.sessionmaker() as session:
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
    from app.sync.idempotency import claim_on_commit, delivered_meanwhile, refuse_concurrent_delivery

    try:
        yield db
        claim = claim_on_commit(db, db.info["clock"]()) if "idempotency" in db.info else None
        await db.flush()  # every other row lock first: the shared counter is held only during the commit
        await count_change(db)
        faults.reached("before_commit", claim.key if claim else None)
        await db.commit()
    except IntegrityError as error:
        await db.rollback()
        if db.info.get("idempotency") is not None:  # the same key committed meanwhile: nothing applied twice
            raise refuse_concurrent_delivery() from error
        raise
    except DomainError as error:
        await db.rollback()
        claim = db.info.get("idempotency")
        if claim is not None and error.status_code == 422 and await delivered_meanwhile(db, claim):
            raise refuse_concurrent_delivery() from error
        raise
    except BaseException:
        await db.rollback()
        raise
    if claim is not None:
        claim.committed = True
