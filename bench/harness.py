"""Shared benchmark tools: a real server in a subprocess and a concurrent HTTP load."""

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import httpx

from tests.servers import free_port

ONSITE = Path(sys.executable).parent / "onsite"


class BenchServer:
    def __init__(self, database_url: str | None = None, **env: str) -> None:
        self.var_dir = Path(tempfile.mkdtemp(prefix="onsite-bench-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "ONSITE_VAR_DIR": str(self.var_dir), "ONSITE_PORT": str(self.port),
                    "ONSITE_LOG_REQUESTS": "0",
                    "ONSITE_DATABASE_URL": database_url or f"sqlite+aiosqlite:///{self.var_dir}/bench.db", **env}

    def __enter__(self) -> "BenchServer":
        self.process = subprocess.Popen([str(ONSITE), "serve", "--demo"], env=self.env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/livez", timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("bench server did not start")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


async def _load(url: str, concurrency: int, total: int, cookies: dict | None) -> list[float]:
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, cookies=cookies, timeout=30) as client:
        for _ in range(concurrency):  # warm up the connections
            await client.get(url)
        remaining = total

        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                started = time.perf_counter()
                response = await client.get(url)
                latencies.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def latency_p95_ms(url: str, concurrency: int = 20, total: int = 2000, cookies: dict | None = None) -> float:
    """p95 latency in ms of ``total`` GETs of ``url`` from ``concurrency`` concurrent clients."""
    return p95(asyncio.run(_load(url, concurrency, total, cookies)))


def emit(name: str, value: float, unit: str) -> None:
    print(f"{name} {value:.1f} {unit}", flush=True)
