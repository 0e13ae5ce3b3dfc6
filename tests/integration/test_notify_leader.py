"""One scheduler leads among several processes on PostgreSQL (a session advisory lock): two ``onsite worker``
processes deliver every message exactly once, and when the leader is killed the other takes over."""

import asyncio
import os
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from app.accounts.service import default_office
from app.core.database import make_engine, make_sessionmaker
from app.notify.models import Notification
from tests.helpers.env import PG_URL, require_postgresql
from tests.helpers.notify_servers import sms_receiver
from tests.helpers.pgadmin import scratch_database
from tests.helpers.servers import ONSITE

WAIT_SECONDS = 60


@pytest.fixture
def pg_url():
    require_postgresql()
    with scratch_database(PG_URL, prefix="onsite_leader") as url:
        yield url


async def _add_messages(url: str, tag: str, count: int) -> None:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as db:
            office = await default_office(db)
            now = datetime.now(UTC) - timedelta(seconds=1)
            for number in range(count):
                db.add(
                    Notification(
                        office_id=office.id,
                        dedupe_key=f"{tag}-{number}",
                        trigger="urgent_request",
                        channel="sms",
                        address=f"1380000{number:04d}",
                        locale="en",
                        subject=tag,
                        body="test",
                        status="pending",
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
            await db.commit()
    finally:
        await engine.dispose()


def add_messages(url: str, tag: str, count: int = 5) -> None:
    asyncio.run(_add_messages(url, tag, count))


async def _count_sent(url: str) -> int:
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as db:
            return await db.scalar(select(func.count()).where(Notification.status == "sent"))
    finally:
        await engine.dispose()


def recorded_sent(url: str) -> int:
    """Messages whose delivery is recorded (a message sent by a worker killed before it recorded the delivery is
    sent again by the next leader: delivery is at least once, and the provider gets the message's id)."""
    return asyncio.run(_count_sent(url))


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


class Worker:
    def __init__(self, url: str, sms_url: str, log_path) -> None:
        env = {
            **os.environ,
            "ONSITE_DATABASE_URL": url,
            "ONSITE_SMS_URL": sms_url,
            "ONSITE_SCHEDULER_SECONDS": "0.1",
            "ONSITE_VAR_DIR": str(log_path.parent),
        }
        self.log_path = log_path
        self.process = subprocess.Popen(  # noqa: S603 - our own CLI
            [str(ONSITE), "worker"], env=env, stdout=log_path.open("wb"), stderr=subprocess.STDOUT
        )

    def said(self, text: str) -> bool:
        return text in self.log_path.read_text()

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=15)


def test_one_worker_leads_and_another_takes_over_when_it_dies(pg_url, tmp_path):
    with sms_receiver() as sms:
        first = Worker(pg_url, sms.url, tmp_path / "first.log")
        second = None
        try:
            wait_until(lambda: first.said("scheduler leads"), "the first worker to lead")
            add_messages(pg_url, "before")
            wait_until(lambda: len(sms.received) == 5, "the first batch")
            second = Worker(pg_url, sms.url, tmp_path / "second.log")
            wait_until(lambda: second.said("another process leads"), "the second worker to wait")
            add_messages(pg_url, "both")
            wait_until(lambda: recorded_sent(pg_url) == 10, "the second batch")
            first.stop(signal.SIGKILL)  # its connection dies with it, and so does its lock
            wait_until(lambda: second.said("scheduler leads"), "the second worker to take over")
            add_messages(pg_url, "after")
            wait_until(lambda: len(sms.received) == 15, "the third batch")
            second.stop()
        finally:
            first.stop()
            if second:
                second.stop()
        ids = [item["id"] for item in sms.received]
        assert len(ids) == len(set(ids)) == 15, [item["text"] for item in sms.received]  # each once, none twice
