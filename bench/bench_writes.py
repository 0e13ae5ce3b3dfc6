"""Write throughput on PostgreSQL (10,000 open and 100,000 closed jobs): the highest sustained rate of idempotent
checklist-step posts from 200 simulated phones (each waits for its answer before its next post), with a p95 of at
most 500 ms, against 1, 2 and 4 app processes.

A rate is sustained when the phones achieve at least 95 % of it over a 10 s trial, every post is taken and the
p95 stays within 500 ms; the rate doubles from 10/s until it is not, then is bisected twice. Before each trial
the walked visits are put back. Prints max_actions_per_s (2 processes), max_actions_per_s_<n> for each count,
and scaling_1_2_4 (the three rates); each trial is a ``#`` line with the phones' own CPU share (the load
generator shares the machine).
"""

import asyncio
import os
import time

from bench import phones
from bench.big_office import fill, office_server
from bench.harness import emit
from bench.scratch import scratch_database

PHONES = 200
TRIAL_S = 10
P95_LIMIT_MS = 500
FIRST_RATE = 10
BISECTIONS = 2
PROCESSES = (1, 2, 4)


def sustained(result: phones.Replayed) -> bool:
    return not result.failed and result.rate >= 0.95 * result.target and result.p95_ms <= P95_LIMIT_MS


async def trial(signed: list[phones.Phone], database_url: str, rate: float, workers: int) -> phones.Replayed:
    await phones.reset(database_url)
    phones.queue(signed, await phones.walkable_jobs(database_url, PHONES), phones.steps_only)
    cpu, until = time.process_time(), time.perf_counter() + TRIAL_S
    result = await phones.replay(signed, rate, lambda: time.perf_counter() >= until)
    share = (time.process_time() - cpu) / result.elapsed_s
    print(
        f"# processes={workers} target={rate:.0f}/s achieved={result.rate:.1f}/s p95={result.p95_ms:.0f} ms "
        f"failed={len(result.failed)} phones_cpu={share:.0%} load={os.getloadavg()[0]:.2f}",
        flush=True,
    )
    return result


async def highest_rate(base: str, database_url: str, workers: int, sessions: dict[str, dict]) -> float:
    """The highest sustained rate found by doubling, then bisecting between the last sustained and the first not."""
    signed = phones.phones_for(base, sessions)
    try:
        await trial(signed, database_url, FIRST_RATE, workers)  # warm-up: connections, caches
        best, rate = 0.0, FIRST_RATE
        while sustained(result := await trial(signed, database_url, rate, workers)):
            best, rate = result.rate, rate * 2
        low, high = rate / 2 if best else 0, rate
        for _ in range(BISECTIONS):
            middle = (low + high) / 2
            if sustained(result := await trial(signed, database_url, middle, workers)):
                best, low = max(best, result.rate), middle
            else:
                high = middle
        return best
    finally:
        await phones.close(signed)


def run() -> None:
    rates, sessions = {}, {}
    with scratch_database() as database_url:
        for workers in PROCESSES:
            with office_server(database_url, workers) as server:
                if not sessions:
                    asyncio.run(fill(database_url))
                    asyncio.run(phones.mark_walkable(database_url))
                    engineers = list(asyncio.run(phones.walkable_jobs(database_url, PHONES)))
                    sessions = asyncio.run(phones.sign_in(server.url, engineers))
                rates[workers] = asyncio.run(highest_rate(server.url, database_url, workers, sessions))
            emit(f"max_actions_per_s_{workers}", rates[workers], "actions/s")
    emit("max_actions_per_s", rates[2], "actions/s")
    figures = "/".join(f"{rates[workers]:.1f}" for workers in PROCESSES)
    print(f"scaling_1_2_4 {figures} actions/s load={os.getloadavg()[0]:.2f}", flush=True)
