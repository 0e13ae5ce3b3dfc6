"""Duplicated, delayed and reordered deliveries end where one in-order delivery ends."""

import asyncio
import os
import signal
import uuid

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import AsyncTestClient
from sqlalchemy import delete, func
from sqlmodel import SQLModel, select

from app.core.database import make_engine, make_sessionmaker
from app.jobs.models import Escalation, Job, JobEvent
from app.main import create_app
from tests.helpers.env import FakeClock
from tests.helpers.jobs import intake_form
from tests.helpers.servers import LiveServer, prepare, signed_in

VISIT = {
    "outcome": "reached",
    "contact_person": "Wu",
    "appointment_date": "2026-11-24",
    "appointment_from": "10:00",
    "appointment_to": "12:00",
}
# What an engineer's phone queues during a visit, in order.
ACTION_LOG = [
    ("contact", {"outcome": "not_reached", "note": "no answer"}),
    ("escalate", {"level": "L3", "symptoms": "intermittent", "actions_taken": "checked cables"}),
    ("contact", VISIT),
    ("escalate", {"level": "L4", "symptoms": "firmware question", "actions_taken": "read manual"}),
    ("travel", {}),
    ("escalate", {"level": "L2", "symptoms": "still failing", "actions_taken": "swapped board"}),
]


async def assigned_job(app_settings, clock) -> str:
    async with AsyncTestClient(app=create_app(app_settings, clock)) as office:
        await signed_in(office, "coordinator")
        created = await office.post(
            "/jobs/", data=intake_form(), headers={"x-csrftoken": office.cookies["csrftoken"]}, follow_redirects=False
        )
        job_id = created.headers["location"].rsplit("/", 1)[-1]
        engineers = await office.get(f"/jobs/{job_id}")
        engineer_id = engineers.text.split('name="engineer_id" required>')[1].split('value="')[1].split('"')[0]
        await office.post(
            f"/jobs/{job_id}/assign",
            data={"engineer_id": engineer_id},
            headers={"x-csrftoken": office.cookies["csrftoken"]},
        )
    return job_id


async def snapshot(database_url: str, job_id: str) -> tuple:
    engine = make_engine(database_url)
    async with make_sessionmaker(engine)() as db:
        job = await db.get(Job, uuid.UUID(job_id))
        kinds = (
            await db.exec(select(JobEvent.kind, func.count()).where(JobEvent.job_id == job.id).group_by(JobEvent.kind))
        ).all()
        levels = sorted((await db.exec(select(Escalation.level).where(Escalation.job_id == job.id))).all())
        result = (job.state, job.version, job.fault_level, sorted(kinds), levels)
    await engine.dispose()
    return result


async def wipe(database_url: str) -> None:
    engine = make_engine(database_url)
    async with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            await conn.execute(delete(table))
    await engine.dispose()


async def deliver(database_url: str, app_settings, schedule: list[int]) -> tuple:
    """Sends the action log to the server in the order ``schedule`` gives, each action under its own key."""
    clock = FakeClock()
    await prepare(database_url, app_settings)
    job_id = await assigned_job(app_settings, clock)
    keys = [f"outbox-{uuid.uuid4()}" for _ in ACTION_LOG]
    async with AsyncTestClient(app=create_app(app_settings, clock)) as phone:
        await signed_in(phone, "engineer")
        for index in schedule:
            action, data = ACTION_LOG[index]
            response = await phone.post(
                f"/jobs/{job_id}/{action}",
                data=data,
                follow_redirects=False,
                headers={"x-csrftoken": phone.cookies["csrftoken"], "idempotency-key": keys[index]},
            )
            assert response.status_code in {303, 409}, response.text[-500:]
    state = await snapshot(database_url, job_id)
    await wipe(database_url)
    return state


@st.composite
def schedules(draw) -> list[int]:
    """Each action first in order (the outbox waits for each answer); duplicates of earlier ones anywhere later
    (lost responses retried, slow retries arriving late)."""
    schedule: list[int] = []
    for index in range(len(ACTION_LOG)):
        schedule.append(index)
        schedule += draw(st.lists(st.integers(0, index), max_size=3))
    return schedule


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(schedule=schedules())
def test_it_ends_in_the_same_state_whatever_the_deliveries(database_url, tmp_path, schedule):
    from app.core.settings import Settings

    app_settings = Settings(database_url=database_url, secret_key="s" * 40, var_dir=tmp_path, log_requests=False)
    expected = asyncio.run(deliver(database_url, app_settings, list(range(len(ACTION_LOG)))))
    assert asyncio.run(deliver(database_url, app_settings, schedule)) == expected


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_it_loses_and_duplicates_nothing_when_the_server_is_killed_mid_replay(database_url, db, tmp_path):
    await prepare(database_url, None)
    server = LiveServer(tmp_path, database_url=database_url, demo=False).start()
    actions = [{"level": "L4", "symptoms": f"question {n}", "actions_taken": "none"} for n in range(200)]
    keys = [f"replay-{n:04d}-{uuid.uuid4().hex[:8]}" for n in range(200)]
    try:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as office:
            await signed_in(office, "coordinator")
            created = await office.post(
                "/jobs/", data=intake_form(), headers={"x-csrftoken": office.cookies["csrftoken"]}
            )
            job_id = created.headers["location"].rsplit("/", 1)[-1]
            sent = 0

            async def replay(start: int) -> int:
                done = start
                for n in range(start, 200):
                    response = await office.post(
                        f"/jobs/{job_id}/escalate",
                        data=actions[n],
                        headers={"x-csrftoken": office.cookies["csrftoken"], "idempotency-key": keys[n]},
                        follow_redirects=False,
                    )
                    assert response.status_code in {200, 303, 409}  # 200: committed, answer lost in the crash
                    done = n + 1
                return done

            killer = asyncio.create_task(asyncio.sleep(0))
            try:

                async def kill_soon() -> None:
                    await asyncio.sleep(1.0)
                    os.kill(server.process.pid, signal.SIGKILL)

                killer = asyncio.create_task(kill_soon())
                sent = await replay(0)
            except httpx.HTTPError:
                pass  # the server died mid-replay: the client does not know what the last request did
            await killer
            server.process.wait()
            assert sent < 200, "the server was killed before the replay finished"
            server.start()
            await replay(0)  # the outbox sends everything not acknowledged, and more: duplicates are harmless
        job = uuid.UUID(job_id)
        count = await db.scalar(select(func.count()).select_from(Escalation).where(Escalation.job_id == job))
        events = await db.scalar(
            select(func.count())
            .select_from(JobEvent)
            .where(JobEvent.job_id == uuid.UUID(job_id), JobEvent.kind == "escalated")
        )
        assert count == events == 200
        symptoms = set((await db.exec(select(Escalation.symptoms).where(Escalation.job_id == uuid.UUID(job_id)))).all())
        assert symptoms == {f"question {n}" for n in range(200)}
    finally:
        server.stop()
