"""The deployment in ``deploy/`` as it runs: nginx with the site template, TLS and HTTP/2, in front of two app
processes started with the systemd unit's command, on PostgreSQL + Redis with photos in an S3 bucket."""

import asyncio
import hashlib
import os
import queue
import re
import shutil
import socket
import ssl
import subprocess
import threading
import uuid

import httpx
import pytest
from sqlalchemy.engine import make_url

from app.core.settings import Settings
from app.main import create_app
from app.notify.scheduler import LOCK_KEY
from tests.helpers.deploy import (
    DEPLOY,
    INSTALL_DIR,
    ROOT,
    Nginx,
    nginx_binary,
    self_signed_certificate,
    unit_command,
    wait_for_app,
)
from tests.helpers.env import PG_URL, require, require_postgresql
from tests.helpers.pgadmin import _admin, connect
from tests.helpers.servers import RedisServer, free_port
from tests.helpers.visits import jpeg


@pytest.fixture(scope="module")
def empty_pg_database():
    require_postgresql()
    name = f"onsite_deploy_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(PG_URL, f'CREATE DATABASE "{name}"'))
    yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="module")
def site(tmp_path_factory, empty_pg_database, s3_server):
    """Two app instances (the units' commands) behind nginx; yields (nginx, app ports, database url, cert)."""
    tmp_path = tmp_path_factory.mktemp("deploy")
    require(os.path.exists(nginx_binary()), "nginx is not installed: run 'sudo apt-get install nginx' (make nginx)")
    redis = RedisServer(tmp_path).start()
    bucket = s3_server.new_bucket()
    env_file = {  # what /etc/onsite/onsite.env holds
        "ONSITE_DATABASE_URL": empty_pg_database,
        "ONSITE_CHANNELS_BACKEND": "redis",
        "ONSITE_REDIS_URL": redis.url,
        "ONSITE_SECRET_KEY": "deploy-test-" + "s" * 40,
        "ONSITE_REPORT_SEAL_KEY": "deploy-test-seal-" + "k" * 40,
        "ONSITE_MEDIA_BACKEND": "s3",
        "ONSITE_S3_ENDPOINT": bucket.endpoint,
        "ONSITE_S3_BUCKET": bucket.bucket,
        "ONSITE_S3_ACCESS_KEY": bucket.access_key,
        "ONSITE_S3_SECRET_KEY": bucket.secret_key,
        "ONSITE_LOG_REQUESTS": "0",
        "ONSITE_SCHEDULER_IN_SERVER": "0",  # the worker unit schedules
    }
    var = {"ONSITE_VAR_DIR": str(tmp_path / "var")}  # the units' /var/lib/onsite
    migrate, migrate_env = unit_command("onsite-migrate.service")
    base = {**os.environ, **env_file, **migrate_env, **var}
    subprocess.run(migrate, env=base, check=True, capture_output=True, timeout=120)
    subprocess.run([migrate[0], "load-demo"], env=base, check=True, capture_output=True, timeout=120)
    apps = []
    for port in (free_port(), free_port()):
        command, unit_env = unit_command("onsite@.service", i=str(port))
        log = tmp_path / f"app-{port}.log"
        with log.open("ab") as out:
            process = subprocess.Popen(
                command, env={**os.environ, **env_file, **unit_env, **var}, stdout=out, stderr=out
            )
        apps.append((port, process, log))
    worker_command, worker_env = unit_command("onsite-worker.service")
    with (tmp_path / "worker.log").open("ab") as out:
        worker = subprocess.Popen(
            worker_command, env={**os.environ, **env_file, **worker_env, **var}, stdout=out, stderr=out
        )
    nginx = None
    try:
        for port, process, log in apps:
            wait_for_app(port, process, log)
        cert, key = self_signed_certificate(tmp_path)
        nginx = Nginx(tmp_path / "nginx", [port for port, _, _ in apps], cert, key)
        nginx.folder.mkdir()
        nginx.start()
        yield nginx, [port for port, _, _ in apps], empty_pg_database, cert
    finally:
        if nginx:
            nginx.stop()
        for process in [worker, *(process for _, process, _ in apps)]:
            process.terminate()
            process.wait(timeout=20)
        redis.stop()


def https_client(base_url: str, cert, **options) -> httpx.Client:
    return httpx.Client(base_url=base_url, verify=ssl.create_default_context(cafile=str(cert)), timeout=30, **options)


def signed_in(base_url: str, cert, username: str) -> httpx.Client:
    client = https_client(base_url, cert)
    client.get("/login")
    answer = client.post(
        "/login",
        data={"username": username, "password": "onsite-demo"},
        headers={"x-csrftoken": client.cookies["csrftoken"]},
    )
    assert answer.status_code == 303, answer.text[:500]
    return client


def streams_open(port: int) -> float:
    text = httpx.get(f"http://127.0.0.1:{port}/metrics").text
    return float(re.search(r"^onsite_board_streams_open (\S+)$", text, re.M).group(1))


def listen(client: httpx.Client, lines: queue.Queue) -> None:
    """Reads the board's event stream in a thread until the client is closed."""
    try:
        with client.stream("GET", "/board/events", timeout=httpx.Timeout(30, read=60)) as stream:
            for line in stream.iter_lines():
                lines.put(line)
    except (httpx.HTTPError, RuntimeError):
        return


def test_the_site_serves_two_app_processes_over_tls_and_http2(site):
    nginx, ports, database_url, cert = site
    base = f"https://127.0.0.1:{nginx.https_port}"
    context = ssl.create_default_context(cafile=str(cert))
    context.set_alpn_protocols(["h2", "http/1.1"])
    with (
        socket.create_connection(("127.0.0.1", nginx.https_port)) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as tls,
    ):
        assert tls.selected_alpn_protocol() == "h2"
    insecure = httpx.get(f"http://127.0.0.1:{nginx.http_port}/login")
    assert insecure.status_code == 301 and insecure.headers["location"].startswith("https://")

    health = httpx.get(f"{base}/healthz", verify=context)
    assert health.status_code == 200 and health.json()["channels"]["backend"] == "redis"
    assert httpx.get(f"{base}/metrics", verify=context).status_code == 404  # only from each instance's own port
    login = httpx.get(f"{base}/login", verify=context)
    css = re.search(r'href="(/static/[^"]+\?v=[^"]+)"', login.text).group(1)
    static = httpx.get(base + css, verify=context)
    assert static.status_code == 200 and static.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_the_board_hears_a_photo_uploaded_through_the_other_process(site):
    nginx, ports, database_url, cert = site
    base = f"https://127.0.0.1:{nginx.https_port}"
    coordinator, engineer = signed_in(base, cert, "coordinator"), signed_in(base, cert, "engineer")
    boards, lines = [], queue.Queue()
    while min(streams_open(port) for port in ports) < 1:  # nginx takes turns: one stream on each process
        assert len(boards) < 6, "nginx sent every board stream to the same process"
        board = https_client(base, cert, cookies=coordinator.cookies)
        threading.Thread(target=listen, args=(board, lines), daemon=True).start()
        boards.append(board)
        wait_until(lambda: sum(streams_open(port) for port in ports) >= len(boards))
    job_id = asyncio.run(job_on_site(database_url))

    upload = engineer.post(
        f"/visits/{job_id}/photos",
        data={"step": "warranty", "id": str(uuid.uuid4())},
        files={"photo": ("p.jpg", jpeg(1600, 1200), "image/jpeg")},
        headers={"x-csrftoken": engineer.cookies["csrftoken"], "accept": "application/json"},
    )

    assert upload.status_code == 201, upload.text[:500]
    heard = 0
    while heard < len(boards):  # every open board, on either process, hears of the job
        if lines.get(timeout=30) == f"event: job-{job_id}":
            heard += 1
    for _ in ports:  # the photo is in the bucket: nginx takes turns, and each process serves it
        image = engineer.get(upload.json()["url"])
        assert image.status_code == 200 and hashlib.sha256(image.content).hexdigest() == upload.json()["sha256"]
    for board in boards:
        board.close()


def test_the_worker_unit_leads_the_scheduler(site):
    """The instances run with ONSITE_SCHEDULER_IN_SERVER=0: the scheduler's lock is held by the worker unit."""
    nginx, ports, database_url, cert = site

    assert asyncio.run(scheduler_lock_holders(database_url)) == 1


async def scheduler_lock_holders(database_url: str, seconds: float = 30) -> int:
    """How many backends hold the scheduler's advisory lock, once one does (a bigint key: its low 32 bits)."""
    conn = await connect(database_url)
    try:
        query = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 0 AND objid = $1"
        for _ in range(int(seconds / 0.2)):
            if held := await conn.fetchval(query, LOCK_KEY):
                return held
            await asyncio.sleep(0.2)
        return 0
    finally:
        await conn.close()


def test_the_site_takes_uploads_as_large_as_the_app_does(tmp_path):
    site = Nginx(tmp_path, [8001, 8002], tmp_path / "cert.pem", tmp_path / "key.pem").render_site()
    app = create_app(Settings(database_url="sqlite+aiosqlite://", secret_key="x" * 32, var_dir=tmp_path))
    limits = [handler.request_max_body_size for route in app.routes for handler in route.route_handlers]
    largest = max(limit for limit in limits if isinstance(limit, int))
    assert f"client_max_body_size {largest // 1_000_000}m;" in site


async def job_on_site(database_url: str) -> str:
    """The demo's visit under way (its engineer is on site, the warranty step next)."""
    conn = await connect(database_url)
    try:
        return str(await conn.fetchval("SELECT id FROM job WHERE state = 'ON_SITE' LIMIT 1"))
    finally:
        await conn.close()


def wait_until(condition, seconds: float = 30) -> None:
    deadline = threading.Event()
    timer = threading.Timer(seconds, deadline.set)
    timer.start()
    try:
        while not condition():
            assert not deadline.is_set(), "condition not met in time"
            deadline.wait(0.05)
    finally:
        timer.cancel()


def test_systemd_accepts_the_units(tmp_path):
    """``systemd-analyze verify`` on the units as installed (the checkout and env file at this run's places)."""
    analyze = shutil.which("systemd-analyze")
    require(analyze is not None, "systemd-analyze is not installed (Debian's systemd package)")
    (tmp_path / "onsite.env").write_text("ONSITE_DATABASE_URL=sqlite+aiosqlite:////var/lib/onsite/onsite.db\n")
    units = {
        "onsite@8001.service": "onsite@.service",
        "onsite-migrate.service": "onsite-migrate.service",
        "onsite-worker.service": "onsite-worker.service",
    }
    for installed, source in units.items():
        text = (DEPLOY / "systemd" / source).read_text().replace(INSTALL_DIR, str(ROOT))
        (tmp_path / installed).write_text(text.replace("/etc/onsite/onsite.env", str(tmp_path / "onsite.env")))

    result = subprocess.run(
        [analyze, "verify", *(str(tmp_path / name) for name in units)], capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
