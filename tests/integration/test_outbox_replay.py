"""Generated replays: two phones' outboxes, lost answers, duplicates, out-of-order flushes across jobs, a
coordinator on the same jobs and a refused item, against the in-process app on SQLite and PostgreSQL.

Invariants: every accepted action is stored exactly once, a refused item stays in the outbox with the server's
reason, each job's actions are stored in the order they were queued, and the server's state equals the model's.
``ONSITE_REPLAY_EXAMPLES`` sets the examples per database (1,000 by default; more for a slow run).
"""

import asyncio
import os
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import AsyncTestClient
from sqlalchemy.engine import make_url
from sqlmodel import select

from app.accounts.models import User
from app.core.database import make_engine, make_sessionmaker
from app.core.migrate import upgrade
from app.core.settings import Settings
from app.jobs.models import Escalation, Job, JobEvent
from app.main import create_app
from tests.helpers.env import PASSWORD, PG_URL, FakeClock, require_postgresql
from tests.helpers.jobs import intake_form
from tests.helpers.outbox_model import Counts, Phone
from tests.helpers.pgadmin import _admin, scratch_database

EXAMPLES = int(os.environ.get("ONSITE_REPLAY_EXAMPLES", "1000"))
LEVELS = ["L1", "L2", "L3", "L4"]
REFUSED_LEVEL = "L9"  # not a fault level: the server refuses it with a reason
FRESH_JOBS_EVERY = 20
FAULTS = ["ok", "ok", "ok", "lost_request", "lost_answer", "duplicate"]


class World:
    """One app, one database, two engineers' phones and a coordinator, three jobs: built once per database."""

    def __init__(self, database_url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.database_url = database_url
        self.clock = FakeClock()
        self.var_dir = Path(tempfile.mkdtemp(prefix="onsite-replay-"))
        self.counts = Counts()
        self.examples = 0

    def run(self, coroutine):
        return self.loop.run_until_complete(coroutine)

    async def start(self) -> None:
        from app.accounts import service

        self.engine = make_engine(self.database_url)
        self.db = make_sessionmaker(self.engine)()
        office = await service.default_office(self.db)
        users = {}
        for name, role in [("coord", "coordinator"), ("eng-a", "engineer"), ("eng-b", "engineer")]:
            form = service.parse_user_form(
                {"username": name, "display_name": name, "role": role, "password": PASSWORD, "certified": "on"},
                creating=True,
            )
            users[name] = await service.create_user(self.db, form, office_id=office.id, now=self.clock())
        self.users = {name: user.id for name, user in users.items()}
        settings_ = Settings(
            database_url=self.database_url, secret_key="r" * 40, var_dir=self.var_dir, log_requests=False
        )
        self.clients = {name: AsyncTestClient(app=create_app(settings_, self.clock)) for name in users}
        for name, client in self.clients.items():
            await client.__aenter__()
            await client.get("/login")
            await client.post("/login", data={"username": name, "password": PASSWORD}, headers=self.csrf(name))
        self.jobs: dict[str, list[str]] = {}

    def csrf(self, name: str) -> dict:
        return {"x-csrftoken": self.clients[name].cookies["csrftoken"]}

    async def job(self, engineer: str) -> str:
        coordinator = self.clients["coord"]
        created = await coordinator.post(
            "/jobs/", data=intake_form(device_serial=uuid.uuid4().hex[:10]), headers=self.csrf("coord")
        )
        job_id = created.url.path.rsplit("/", 1)[-1]
        assigned = await coordinator.post(
            f"/jobs/{job_id}/assign", data={"engineer_id": str(self.users[engineer])}, headers=self.csrf("coord")
        )
        assert assigned.status_code == 200 and "Engineer assigned" in assigned.text
        return job_id

    async def stored(self, since) -> dict[str, list[tuple]]:
        """Each job's escalations raised since ``since``, oldest first, as (who, symptoms, level)."""
        rows = await self.db.exec(
            select(Escalation.job_id, User.username, Escalation.symptoms, Escalation.level)
            .join(User, User.id == Escalation.raised_by_id)
            .where(Escalation.raised_at > since)
            .order_by(Escalation.raised_at)
        )
        stored: dict[str, list[tuple]] = {}
        for job_id, who, symptoms, level in rows.all():
            stored.setdefault(str(job_id), []).append((who, symptoms, level))
        return stored

    async def job_state(self, job_id: str, since) -> tuple:
        """The job's most severe fault level, and the reasons of its "escalated" events since ``since``."""
        job = await self.db.get(Job, uuid.UUID(job_id), populate_existing=True)
        events = await self.db.exec(
            select(JobEvent.reason).where(JobEvent.job_id == job.id, JobEvent.kind == "escalated", JobEvent.at > since)
        )
        return job.fault_level, sorted(events.all())

    async def stop(self) -> None:
        for client in self.clients.values():
            await client.__aexit__(None, None, None)
        await self.db.close()
        await self.engine.dispose()


@contextmanager
def fast_database(backend: str):
    """A database of the replay's own, migrated to head and cheap to write to: SQLite in memory-backed
    /dev/shm when there is one; PostgreSQL with ``synchronous_commit = off`` (a scratch database, so only the
    test's commits skip waiting for the disk). Nothing else changes: same schema, same queries, same locks."""
    if backend == "sqlite":
        folder = Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir())
        path = folder / f"onsite-replay-{uuid.uuid4().hex}.db"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade(url)
        try:
            yield url
        finally:
            for leftover in folder.glob(f"{path.name}*"):
                leftover.unlink()
        return
    require_postgresql()
    with scratch_database(PG_URL, prefix="onsite_replay") as url:
        name = make_url(url).database
        asyncio.run(_admin(PG_URL, f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request):
    with fast_database(request.param) as url:
        world = World(url)
        world.run(world.start())
        started = time.monotonic()
        yield world
        seconds = time.monotonic() - started
        world.run(world.stop())
        world.loop.close()
    print(f"\nreplay on {request.param}: {world.examples} examples in {seconds:.0f} s, faults {world.counts}")


@st.composite
def scenarios(draw):
    """Steps of one replay: queue an action, flush a phone (jobs in a drawn order), let the coordinator act
    on a job (sometimes double-sent), or let an old answered delivery arrive again."""
    queue = st.tuples(st.just("queue"), st.sampled_from(["eng-a", "eng-b"]), st.integers(0, 1), st.sampled_from(LEVELS))
    flush = st.tuples(st.just("flush"), st.sampled_from(["eng-a", "eng-b"]), st.permutations([0, 1]))
    coordinator = st.tuples(st.just("coordinator"), st.integers(0, 2), st.sampled_from(LEVELS), st.booleans())
    late = st.tuples(st.just("late"), st.sampled_from(["eng-a", "eng-b"]), st.integers(0, 20))
    steps = draw(st.lists(st.one_of(queue, queue, flush, flush, coordinator, late), min_size=1, max_size=14))
    refused_at = draw(st.none() | st.integers(0, len(steps)))
    if refused_at is not None:
        steps.insert(refused_at, ("refused", draw(st.sampled_from(["eng-a", "eng-b"])), draw(st.integers(0, 1))))
    return steps


async def replay(world: World, steps: list, data) -> None:
    if world.examples % FRESH_JOBS_EVERY == 0:  # a job's page lists its history: keep each job's short
        world.jobs = {
            "eng-a": [await world.job("eng-a"), await world.job("eng-a")],
            "eng-b": [await world.job("eng-b")],
        }
    since = world.clock()
    every_job = [*world.jobs["eng-a"], *world.jobs["eng-b"]]
    before = {job: (await world.job_state(job, since))[0] for job in every_job}  # the model starts from here
    phones = {name: Phone(world.clients[name], name, world.clock, world.counts) for name in ["eng-a", "eng-b"]}
    expected: dict[str, list[tuple]] = {}  # the model: what each job must hold, per author, in order
    serial = iter(range(1000))

    def faults() -> str:
        return data.draw(st.sampled_from(FAULTS), label="fault")

    for step in steps:
        if step[0] in {"queue", "refused"}:
            name, index = step[1], step[2]
            job = world.jobs[name][index % len(world.jobs[name])]
            level = step[3] if step[0] == "queue" else REFUSED_LEVEL
            symptoms = f"{name} action {next(serial)}"
            item = phones[name].queue(job, {"level": level, "symptoms": symptoms, "actions_taken": "checked"})
            item.refusal_expected = level == REFUSED_LEVEL
        elif step[0] == "flush":
            name, order = step[1], step[2]
            await phones[name].flush([world.jobs[name][i % len(world.jobs[name])] for i in order], faults)
        elif step[0] == "coordinator":
            _kind, index, level, twice = step
            job = every_job[index]
            coordinator = Phone(world.clients["coord"], "coord", world.clock, world.counts)
            item = coordinator.queue(
                job, {"level": level, "symptoms": f"coord action {next(serial)}", "actions_taken": "called"}
            )
            world.counts.coordinator_edits += 1
            await coordinator.flush([job], lambda twice=twice: "duplicate" if twice else "ok")
            assert not coordinator.items
            expected.setdefault(job, []).append(("coord", item.fields["symptoms"], level))
        else:
            await phones[step[1]].late_duplicate(step[2])
    # Back in signal: flush until only refused items are left, then a person discards them and flushes again.
    for name, phone in phones.items():
        await phone.flush(world.jobs[name], lambda: "ok")
        blocked = set()
        for item in phone.items:  # only the refused item is left, and its job's later items behind it
            if item.job in blocked:
                assert item.status == "pending" and not item.refusal_expected, item
                continue
            assert item.status == "failed" and item.refusal_expected, item
            assert "fault level" in item.error, item.error  # the server's reason, kept with the item
            blocked.add(item.job)
        refused = phone.discard_refused()
        await phone.flush(world.jobs[name], lambda: "ok")
        assert phone.items == [] and len(refused) <= 1
    stored = await world.stored(since)
    for phone in phones.values():  # the model: every accepted action, in the order its phone queued it
        for item in phone.queued:
            if not item.refusal_expected:
                expected.setdefault(item.job, []).append((phone.name, item.fields["symptoms"], item.fields["level"]))
        assert {item.key for item in phone.acknowledged} == {i.key for i in phone.queued if not i.refusal_expected}
    for job in every_job:
        rows = stored.get(job, [])
        for author in ["eng-a", "eng-b", "coord"]:
            assert [row for row in rows if row[0] == author] == [
                row for row in expected.get(job, []) if row[0] == author
            ]
        assert len(rows) == len(expected.get(job, []))  # exactly once each, nothing else
        levels = [row[2] for row in expected.get(job, [])] + ([before[job]] if before[job] else [])
        fault_level, events = await world.job_state(job, since)
        assert fault_level == min(levels, default="") and events == sorted(row[1] for row in rows)
    world.examples += 1


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(steps=scenarios(), data=st.data())
def test_it_stores_every_accepted_action_once_in_order_whatever_the_network_does(world, steps, data):
    world.run(replay(world, steps, data))
