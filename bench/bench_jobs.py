"""Board and My jobs under load on PostgreSQL.

10,000 open and 100,000 closed jobs; 20 concurrent clients; the trivial endpoint measured in the same run.
Prints board_p95_ms, my_jobs_p95_ms, bare_p95_ms, the ratios, the app's CPU per request of each (*_cpu_ms: what
a hit costs, hardly changed by other work on the machine) and board_event_p95_ms with 200 open streams.
The query plans go to stderr.
"""

import asyncio
import time

import httpx

from bench.big_office import big_office
from bench.harness import emit, latency_p95_ms, p95, server_cpu_ms, signed_in
from tests.helpers.jobs import intake_form


async def board_event_latencies(base: str, cookies: dict, streams: int = 200, changes: int = 30) -> list[float]:
    """ms from sending a change to each open board stream receiving its event (arrivals are matched to the
    changes afterwards: an event may arrive before the change's own answer does)."""
    arrivals: list[tuple[str, float]] = []
    sent_at: dict[str, float] = {}
    limits = httpx.Limits(max_connections=streams + 10)
    async with httpx.AsyncClient(base_url=base, cookies=cookies, timeout=60, limits=limits) as client:
        ready = asyncio.Event()
        opened = 0

        async def listen() -> None:
            nonlocal opened
            async with client.stream("GET", "/board/events") as response:
                event = ""
                async for line in response.aiter_lines():
                    if line.startswith("event: "):
                        event = line[7:]
                        if event == "ready":
                            opened += 1
                            if opened == streams:
                                ready.set()
                    elif line.startswith("data: ") and event == "board":
                        arrivals.append((line[6:], time.perf_counter()))

        listeners = [asyncio.create_task(listen()) for _ in range(streams)]
        await asyncio.wait_for(ready.wait(), 120)
        headers = {"x-csrftoken": cookies["csrftoken"]}
        for n in range(changes):
            started = time.perf_counter()
            response = await client.post("/jobs/", data=intake_form(device_serial=f"EVT-{n}"), headers=headers)
            sent_at[response.headers["location"].rsplit("/", 1)[-1]] = started
            await asyncio.sleep(0.3)
        await asyncio.sleep(2)
        for task in listeners:
            task.cancel()
        await asyncio.gather(*listeners, return_exceptions=True)
    return [(at - sent_at[job]) * 1000 for job, at in arrivals if job in sent_at]


def run() -> None:
    with big_office() as (server, _url):
        coordinator = asyncio.run(signed_in(server.url, "coordinator"))
        engineer = asyncio.run(signed_in(server.url, "engineer"))
        bare = latency_p95_ms(f"{server.url}/livez")
        board = latency_p95_ms(f"{server.url}/board", cookies=coordinator)
        mine = latency_p95_ms(f"{server.url}/jobs/mine", cookies=engineer)
        emit("board_p95_ms", board, "ms")
        emit("my_jobs_p95_ms", mine, "ms")
        emit("bare_p95_ms", bare, "ms")
        emit("board_to_bare_ratio", board / bare, "x")
        emit("my_jobs_to_bare_ratio", mine / bare, "x")
        emit("board_cpu_ms", server_cpu_ms(server, f"{server.url}/board", coordinator), "ms")
        emit("my_jobs_cpu_ms", server_cpu_ms(server, f"{server.url}/jobs/mine", engineer), "ms")
        emit("bare_cpu_ms", server_cpu_ms(server, f"{server.url}/livez"), "ms")
        emit("board_event_p95_ms", p95(asyncio.run(board_event_latencies(server.url, coordinator))), "ms")
