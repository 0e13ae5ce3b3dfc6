"""Shared fixtures: a migrated database on SQLite and PostgreSQL, an app with a movable clock, users."""

import uuid

import pytest
from litestar.testing import AsyncTestClient

import app.models  # noqa: F401 - every table on the metadata
from app.core.database import make_engine, make_sessionmaker
from app.core.migrate import upgrade
from app.core.settings import Settings
from app.main import create_app
from tests.helpers.database import empty_tables
from tests.helpers.env import PASSWORD, PG_URL, FakeClock, require_postgresql
from tests.helpers.pgadmin import scratch_database
from tests.helpers.queries import StatementCounter
from tests.helpers.world import World


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    """A database migrated to head, once per test session (and per xdist worker) and backend."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        upgrade(url)
        yield url
        return
    require_postgresql()
    with scratch_database(PG_URL, prefix="onsite_t") as url:
        yield url


@pytest.fixture
async def engine(database_url):
    engine = make_engine(database_url)
    yield engine
    await empty_tables(engine)  # each test starts from empty tables
    await engine.dispose()


@pytest.fixture
async def db(engine):
    async with make_sessionmaker(engine)() as session:
        yield session


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto's S3 server, started once per session (and xdist worker) on a free port."""
    from tests.helpers.s3server import MotoServer

    server = MotoServer(tmp_path_factory.mktemp("moto")).start()
    yield server
    server.stop()


@pytest.fixture
def media_backend() -> str:
    """Where photos are kept: ``local``, unless a module overrides this fixture with ``params=["local", "s3"]``."""
    return "local"


@pytest.fixture
def settings(database_url, tmp_path, media_backend, request) -> Settings:
    media = {}
    if media_backend == "s3":
        media = {"media_backend": "s3", "s3": request.getfixturevalue("s3_server").new_bucket()}
    return Settings(
        database_url=database_url, secret_key="test-secret-" + "x" * 32, var_dir=tmp_path, log_requests=False, **media
    )


@pytest.fixture
async def client(settings, clock, engine):
    async with AsyncTestClient(app=create_app(settings, clock)) as test_client:
        await test_client.get("/login")  # sets the CSRF cookie, as a browser's first visit does
        yield test_client


@pytest.fixture
async def office(db):
    from app.accounts.service import default_office

    return await default_office(db)


@pytest.fixture
def make_user(db, office, clock):
    """Creates a user with the given role; password is ``PASSWORD``."""
    from app.accounts import service

    async def factory(role: str = "engineer", username: str | None = None, **fields):
        form = service.parse_user_form(
            {
                "username": username or f"{role}-{uuid.uuid4().hex[:6]}",
                "display_name": fields.pop("display_name", f"Test {role}"),
                "role": role,
                "locale": fields.pop("locale", ""),
                "password": PASSWORD,
                "certified": "on" if fields.pop("certified", role == "engineer") else "",
            },
            creating=True,
        )
        return await service.create_user(db, form, office_id=office.id, now=clock())

    return factory


@pytest.fixture
def world(db, settings, clock, make_user) -> World:
    """Rows for set-up that a test is not about (``tests/helpers/world.py``)."""
    return World(db, settings, clock, make_user)


@pytest.fixture
def statements():
    """Counts the SQL statements a request sends (``await statements.count(client.get(url))``)."""
    with StatementCounter() as counter:
        yield counter
