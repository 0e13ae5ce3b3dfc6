"""Real Onsite servers in subprocesses, for browser tests, live-board tests and benchmarks."""

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import urllib.request
import uuid
from pathlib import Path

from app.accounts.models import Office, User
from app.core.database import make_engine, make_sessionmaker
from app.core.security import hash_password
from tests.helpers.env import PASSWORD, FakeClock, require
from tests.helpers.waiting import wait_until

ONSITE = Path(sys.executable).parent / "onsite"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """``onsite serve`` on its own port; it can be stopped and started again on the same port."""

    def __init__(self, var_dir: Path, database_url: str | None = None, demo: bool = True, **env: str) -> None:
        self.var_dir = var_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.demo = demo
        self.env = {
            **os.environ,
            "ONSITE_VAR_DIR": str(var_dir),
            "ONSITE_PORT": str(self.port),
            "ONSITE_HOST": "127.0.0.1",
            "ONSITE_DATABASE_URL": database_url or f"sqlite+aiosqlite:///{var_dir}/e2e.db",
            **env,
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> "LiveServer":
        log = open(self.var_dir / f"server-{self.port}.log", "ab")  # noqa: SIM115 - kept open for the process
        command = [str(ONSITE), "serve", "--demo" if self.demo else "--no-demo"]
        self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        # Migrations and the demo data take 20 s on two cores, and minutes when other work loads them.
        wait_until(self._answers, what="the server's start", timeout=180, pause=0.1)
        return self

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError((self.var_dir / f"server-{self.port}.log").read_text()[-3000:])
        try:
            with urllib.request.urlopen(f"{self.url}/livez", timeout=1) as response:
                return response.status == 200
        except OSError:
            return False

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=15)
        self.process = None


class RedisServer:
    """A Redis of the test's own on a free port, without persistence: it can be stopped and started again."""

    def __init__(self, tmp_path: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp_path
        self.process: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server")
        require(binary is not None, "redis-server is not installed: run 'sudo apt-get install redis-server'.")
        command = [binary, "--port", str(self.port), "--save", "", "--appendonly", "no", "--dir", str(self.dir)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self._answers, what="redis-server's start")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def query(server, sql: str, *args):
    with sqlite3.connect(server.var_dir / "e2e.db") as db:
        return db.execute(sql, args).fetchall()


def job_id(server, customer: str) -> str:
    (hex_id,) = query(
        server,
        "SELECT job.id FROM job JOIN customer ON customer.id = job.customer_id WHERE customer.name = ?",
        customer,
    )[0]
    return str(uuid.UUID(hex_id))


def contact_events(server, job: str) -> int:
    return query(
        server, "SELECT count(*) FROM job_event WHERE job_id = ? AND kind = 'customer_contacted'", uuid.UUID(job).hex
    )[0][0]


def run_cli(database_url: str, *args: str, tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ONSITE_DATABASE_URL": database_url, "ONSITE_VAR_DIR": str(tmp_path)}
    return subprocess.run([str(ONSITE), *args], env=env, capture_output=True, text=True, timeout=60)


PASSWORD_HASH = hash_password(PASSWORD)


async def prepare(database_url: str, settings_):
    """An office with a coordinator and an engineer, and one job assigned to the engineer."""
    engine = make_engine(database_url)
    async with make_sessionmaker(engine)() as db:
        office = Office(code="MAIN", name="Main")
        db.add(office)
        await db.flush()
        now = FakeClock()()
        users = [
            User(
                office_id=office.id,
                username=name,
                display_name=name,
                role=name.rstrip("0123456789"),
                certified=True,
                password_hash=PASSWORD_HASH,
                created_at=now,
                updated_at=now,
            )
            for name in ["coordinator", "engineer"]
        ]
        db.add_all(users)
        await db.commit()
    await engine.dispose()


async def signed_in(client, username: str) -> None:
    await client.get("/login")
    await client.post(
        "/login",
        data={"username": username, "password": PASSWORD},
        headers={"x-csrftoken": client.cookies["csrftoken"]},
    )
