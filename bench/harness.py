"""Shared benchmark tools: a real server in a subprocess and a concurrent HTTP load (wrk)."""

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.helpers.servers import free_port

ONSITE = Path(sys.executable).parent / "onsite"
WRK_SCRIPT = Path(__file__).with_name("p95.lua")


class BenchServer:
    def __init__(self, database_url: str | None = None, **env: str) -> None:
        self.var_dir = Path(tempfile.mkdtemp(prefix="onsite-bench-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "ONSITE_VAR_DIR": str(self.var_dir),
            "ONSITE_PORT": str(self.port),
            "ONSITE_LOG_REQUESTS": "0",
            "ONSITE_DATABASE_URL": database_url or f"sqlite+aiosqlite:///{self.var_dir}/bench.db",
            **env,
        }

    def __enter__(self) -> "BenchServer":
        self.process = subprocess.Popen(
            [str(ONSITE), "serve", "--demo"], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 180  # migrating and loading the demo take a while on a busy machine
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/livez", timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("bench server did not start")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


class Measured(float):
    """The better of two runs of a latency figure, with how far apart the two were."""

    spread: float

    def __new__(cls, value: float, spread: float) -> "Measured":
        measured = super().__new__(cls, value)
        measured.spread = spread
        return measured


def twice(measure: Callable[[], float]) -> Measured:
    """Runs a latency measurement twice: on a shared machine one run may meet a burst of other work."""
    first, second = measure(), measure()
    return Measured(min(first, second), abs(first - second))


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


def latency_p95_ms(url: str, concurrency: int = 20, seconds: int = 10, cookies: dict | None = None) -> Measured:
    """p95 latency in ms of GETs of ``url`` from ``concurrency`` concurrent connections, measured by wrk (a load
    generator in C takes little of the cores it measures, where one in Python took a good share of them), the
    better of two runs."""
    return twice(lambda: _wrk_p95_ms(url, concurrency, seconds, cookies))


def _wrk_p95_ms(url: str, concurrency: int, seconds: int, cookies: dict | None) -> float:
    return _wrk(url, concurrency, seconds, cookies)[0]


def server_cpu_ms(server: BenchServer, url: str, cookies: dict | None = None, seconds: int = 5) -> float:
    """CPU time the server's processes spend per request of ``url`` under the same load: a figure that another
    machine's load hardly changes, unlike latency (the database server's share is not counted)."""
    before = _cpu_seconds(server.process.pid)
    _p95, requests = _wrk(url, 20, seconds, cookies)
    return (_cpu_seconds(server.process.pid) - before) * 1000 / requests


def server_cpu_seconds(server: BenchServer) -> float:
    """The CPU time the server's processes have used so far."""
    return _cpu_seconds(server.process.pid)


def _cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and its children (uvicorn's workers), in seconds."""
    pids = [pid, *(int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
    ticks = 0
    for each in pids:
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _wrk(url: str, concurrency: int, seconds: int, cookies: dict | None) -> tuple[float, int]:
    """wrk's p95 in ms and how many requests it made (after a warm-up run)."""
    headers = {"Accept-Encoding": "gzip, deflate, br"}  # as a browser asks: compressing is part of the cost
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    httpx.get(url, headers=headers, timeout=60).raise_for_status()  # signed in: not redirected to the login page
    # A request slower than wrk's default 2 s would be left out of its percentiles: wait for every answer.
    command = ["wrk", "-t1", f"-c{concurrency}", "--timeout", "30s"]
    command += [f"-H{name}: {value}" for name, value in headers.items()]
    subprocess.run([*command, "-d2s", url], check=True, capture_output=True)  # warm up
    output = subprocess.run(
        [*command, f"-d{seconds}s", "-s", str(WRK_SCRIPT), url], check=True, capture_output=True, text=True
    ).stdout
    lines = output.splitlines()
    figures = dict(line.split() for line in lines if line.startswith(("p95_us ", "failed ", "requests ")))
    if int(figures["failed"]):
        errors = next(line for line in lines if line.startswith("errors "))
        raise RuntimeError(f"{figures['failed']} requests to {url} failed ({errors})")
    if not int(figures["requests"]):  # every request outlasted the run: wrk has no percentile to give
        return float("inf"), 0
    return int(figures["p95_us"]) / 1000, int(figures["requests"])


def load_average() -> str:
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def cpu_model() -> str:
    models = [
        line.split(":", 1)[1].strip()
        for line in Path("/proc/cpuinfo").read_text().splitlines()
        if line.startswith("model name")
    ]
    return f"{models[0] if models else platform.processor() or 'unknown'} x{os.cpu_count()}"


def machine(when: str) -> None:
    """The machine's state, printed at the start and the end of a run, so that its figures can be judged."""
    print(f"# {when}: load average {load_average()} (1, 5, 15 min); CPU {cpu_model()}", flush=True)


def emit(name: str, value: float, unit: str) -> None:
    """``name value unit``, then the spread of a figure measured twice and the 1-minute load average now."""
    spread = f" spread={value.spread:.1f}" if isinstance(value, Measured) else ""
    digits = 2 if abs(value) < 10 else 1
    print(f"{name} {value:.{digits}f} {unit}{spread} load={os.getloadavg()[0]:.2f}", flush=True)


async def signed_in(base: str, username: str) -> dict:
    """The cookies of a session signed in as ``username`` (a demo password)."""
    async with httpx.AsyncClient(base_url=base) as client:
        await client.get("/login")
        await client.post(
            "/login",
            data={"username": username, "password": "onsite-demo"},
            headers={"x-csrftoken": client.cookies["csrftoken"]},
        )
        return dict(client.cookies)
