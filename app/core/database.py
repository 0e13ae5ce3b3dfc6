"""Async engine, one session per request, and column types shared by the features."""

import os
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from litestar import Request
from sqlalchemy import Select, event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core import change_scope
from app.core.errors import DomainError
from app.core.page_cache import CHANGED_OFFICE, changed_offices, count_change

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


async def insert_if_missing(db: AsyncSession, model: type[SQLModel], values: dict, key: list[str]) -> None:
    """Adds the row unless one with the same ``key`` columns exists (committed, or being added by a transaction
    that this one then waits for): two requests that both find no row do not both insert it."""
    insert = pg_insert if db.bind.dialect.name == "postgresql" else sqlite_insert
    await db.exec(insert(model).values(**values).on_conflict_do_nothing(index_elements=key))


class RowReader:
    """Runs a one-row SELECT that every request makes (the signed-in user) at little more than the driver's own
    cost: on PostgreSQL the statement goes straight to the pooled asyncpg connection (which keeps it prepared),
    skipping SQLAlchemy's per-statement work, about 0.4 ms of CPU; elsewhere it runs through SQLAlchemy. Either
    way on its own, with no BEGIN and no ROLLBACK around it."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._compiled: dict[Select, tuple[str, tuple[str, ...]]] = {}

    async def first(self, statement: Select, params: dict) -> Mapping | None:
        if self._engine.dialect.name != "postgresql":
            async with self._engine.connect() as conn:
                return (await conn.execute(statement, params)).mappings().first()
        sql, names = self._sql(statement)
        async with self._engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            return await driver.fetchrow(sql, *(params[name] for name in names))

    def _sql(self, statement: Select) -> tuple[str, tuple[str, ...]]:
        """The statement in asyncpg's dialect (``$1``, ``$2``…) and the names of its parameters in that order."""
        if (known := self._compiled.get(statement)) is None:
            compiled = statement.compile(dialect=self._engine.dialect)
            known = self._compiled[statement] = (str(compiled), tuple(compiled.positiontup or ()))
        return known


class TransactionHook:
    """What a feature adds to every transaction: features register theirs once at start-up
    (``on_every_transaction``), so this module knows none of them. Each stage does nothing unless overridden."""

    def session_opened(self, db: AsyncSession, request: Request) -> None:
        """A request's session was made: keep in ``db.info`` what this request's transactions need."""

    def before_flush(self, db: AsyncSession) -> None:
        """The block ran: last rows to add before everything is flushed."""

    async def before_commit(self, db: AsyncSession) -> None:
        """Everything is flushed: the writes that take shared row locks, held only until the commit."""

    def committed(self, db: AsyncSession) -> None:
        """The commit succeeded."""

    def rolled_back(self, db: AsyncSession) -> None:
        """The transaction was rolled back: nothing it noted happened."""

    async def refusal(self, db: AsyncSession, error: Exception) -> Exception | None:
        """After a rollback caused by ``error``: the error to raise instead, or None to raise it."""
        return None


HOOKS: list[TransactionHook] = []


def on_every_transaction(*hooks: TransactionHook) -> None:
    """Registers what every transaction does besides committing, in the order given (one hook of each kind per
    process, however often a process registers it)."""
    for hook in hooks:
        if all(type(known) is not type(hook) for known in HOOKS):
            HOOKS.append(hook)


async def provide_db_session(request: Request) -> AsyncGenerator[AsyncSession, None]:
    """The request's database session; services open their own transactions on it."""
    async with request.app.state.sessionmaker() as session:
        if (user := request.scope.get("user")) is not None:
            session.info[CHANGED_OFFICE] = user.office_id  # the office its changes count against
        for hook in HOOKS:
            hook.session_opened(session, request)
        try:
            yield session
        except Exception:
            await session.rollback()
            raise


@asynccontextmanager
async def transaction(db: AsyncSession) -> AsyncIterator[AsyncSession]:
    """Commits what the block wrote, or rolls all of it back on any error: no partial writes."""
    try:
        yield db
        for hook in HOOKS:
            hook.before_flush(db)
        await db.flush()  # every other row lock first: the shared counters are held only during the commit
        for hook in HOOKS:
            await hook.before_commit(db)
        await db.flush()  # what the hooks added too: all that the transaction writes is known
        offices = changed_offices(db)
        if change_scope.office_wide(db.info):  # else only details of jobs, which their own notes tell pages
            await count_change(db, offices)
        await db.commit()
    except (IntegrityError, DomainError) as error:
        await _roll_back(db)
        for hook in HOOKS:
            if (instead := await hook.refusal(db, error)) is not None:
                raise instead from error
        raise
    except BaseException:
        await _roll_back(db)
        raise
    for hook in HOOKS:
        hook.committed(db)


async def _roll_back(db: AsyncSession) -> None:
    changed_offices(db)  # forgets the offices the rolled-back writes noted
    for hook in HOOKS:
        hook.rolled_back(db)
    await db.rollback()
