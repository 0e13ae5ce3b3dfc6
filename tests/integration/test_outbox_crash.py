"""The server is killed (SIGKILL) mid-replay at named points, restarted, and the outbox flushes again:
nothing lost, nothing doubled. Points: before the commit, after the commit before the answer (both through
the test-only ``ONSITE_TEST_KILL_AT``), and mid-upload (the test kills the server while a body is half sent)."""

import os
import signal
import socket
import uuid
from urllib.parse import urlencode

import httpx
from sqlalchemy import func
from sqlmodel import select

from app.jobs.models import Escalation, JobEvent
from tests.helpers.jobs import intake_form
from tests.helpers.servers import LiveServer, prepare, signed_in

ITEMS = 12
BEFORE_COMMIT, AFTER_COMMIT, MID_UPLOAD = 3, 6, 9


def escalation(n: int) -> dict[str, str]:
    return {"level": "L4", "symptoms": f"question {n} " + "x" * 1500, "actions_taken": "none"}


class Outbox:
    """The phone's queue: items sent in order, each under its key, until the server cannot be reached."""

    def __init__(self, client: httpx.AsyncClient, job_id: str) -> None:
        self.client, self.job_id = client, job_id
        self.keys = [f"crash-{n:02d}-{uuid.uuid4().hex[:12]}" for n in range(ITEMS)]
        self.acknowledged: set[int] = set()

    def headers(self, n: int) -> dict[str, str]:
        return {"x-csrftoken": self.client.cookies["csrftoken"], "idempotency-key": self.keys[n]}

    async def flush(self, upto: int = ITEMS, *, everything: bool = False) -> None:
        for n in range(upto):
            if n in self.acknowledged and not everything:
                continue
            try:
                response = await self.client.post(
                    f"/jobs/{self.job_id}/escalate", data=escalation(n), headers=self.headers(n), follow_redirects=False
                )
            except httpx.TransportError:
                return  # no answer: everything from here stays queued
            assert response.status_code in {200, 303}, (n, response.status_code, response.text[-300:])
            self.acknowledged.add(n)

    def half_upload(self, server: LiveServer, n: int) -> None:
        """Sends the headers and half the body of item ``n``, then kills the server: the upload never ends."""
        body = urlencode(escalation(n)).encode()
        cookies = "; ".join(f"{name}={value}" for name, value in self.client.cookies.items())
        head = (
            f"POST /jobs/{self.job_id}/escalate HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            f"Cookie: {cookies}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n"
            + "".join(f"{name}: {value}\r\n" for name, value in self.headers(n).items())
            + "\r\n"
        )
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(head.encode() + body[: len(body) // 2])
            os.kill(server.process.pid, signal.SIGKILL)
            server.process.wait(timeout=15)


def restart(server: LiveServer, kill_at: str = "") -> None:
    if server.process is not None:
        server.process.wait(timeout=15)  # it killed itself at the named point
    server.env["ONSITE_TEST_KILL_AT"] = kill_at
    server.start()


async def test_it_loses_and_doubles_nothing_when_the_server_dies_before_commit_after_commit_and_mid_upload(
    database_url, db, tmp_path
):
    await prepare(database_url, None)
    server = LiveServer(tmp_path, database_url=database_url, demo=False)
    try:
        async with httpx.AsyncClient(timeout=20) as client:
            restart(server)
            client.base_url = server.url
            await signed_in(client, "coordinator")
            created = await client.post(
                "/jobs/", data=intake_form(), headers={"x-csrftoken": client.cookies["csrftoken"]}
            )
            outbox = Outbox(client, created.headers["location"].rsplit("/", 1)[-1])
            server.stop()
            restart(server, f"before_commit:{outbox.keys[BEFORE_COMMIT]}")
            await outbox.flush()
            assert outbox.acknowledged == set(range(BEFORE_COMMIT))
            restart(server, f"after_commit:{outbox.keys[AFTER_COMMIT]}")
            await outbox.flush()
            assert outbox.acknowledged == set(range(AFTER_COMMIT))
            restart(server)
            await outbox.flush(upto=MID_UPLOAD)  # the committed but unanswered item is answered "applied"
            outbox.half_upload(server, MID_UPLOAD)
            server.process = None
            restart(server)
            await outbox.flush()
            await outbox.flush(everything=True)  # and every item once more: duplicates change nothing
            assert outbox.acknowledged == set(range(ITEMS))
        stored = (await db.exec(select(Escalation.symptoms))).all()
        assert sorted(s.split()[1] for s in stored) == sorted(str(n) for n in range(ITEMS))
        events = await db.scalar(select(func.count()).select_from(JobEvent).where(JobEvent.kind == "escalated"))
        assert events == ITEMS
    finally:
        server.stop()
