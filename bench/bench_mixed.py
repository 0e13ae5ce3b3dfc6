"""The board and My jobs while engineers write, on PostgreSQL (10,000 open and 100,000 closed jobs, 2 app processes).

20 concurrent readers (wrk) of the board, then of My jobs, while 100 simulated phones walk their visits through the
real endpoints (set off, checklist steps, photos of about 450 KB; one Idempotency-Key per action) at 10 and then 50
actions per second, each phone first brought to another point of its visit (``phones.stagger``), as an office's
phones are at any moment: the writes then mix as a day's do, about three in ten changing a job's state. Prints
bare_p95_ms (no writes, the same run), then per rate N: board_p95_ms_under_writes_N, my_jobs_p95_ms_under_writes_N,
their ratios to bare, write_rate_actions_per_s_N (achieved), write_p95_ms_N and the writes sent by kind; and
bare_p95_ms_under_writes_N, the bare endpoint under the same writes, with the board's and My jobs' ratios to it
(``*_to_loaded_bare_ratio_N``): what the pages cost beyond what the writes cost every request.
Targets at 10 actions/s: board <= 150 ms and My jobs <= 50 ms, each <= 5x bare.

First, board_redraw_cpu_ms and my_jobs_redraw_cpu_ms: the app's CPU per request when every request follows a change
of the office (its version counted up before each, as a write that changes the office does): what a drawing after
such a write costs, a figure that other work on the machine hardly changes, unlike the latencies. Then
board_after_detail_cpu_ms and my_jobs_after_detail_cpu_ms: the same after a change of the details of a job neither
page shows (a change note numbered, as a checklist step or a photo writes one): what checking the notes costs.
"""

import asyncio
import collections
import threading
from contextlib import contextmanager

import httpx

from bench import phones
from bench.big_office import big_office
from bench.harness import BenchServer, emit, latency_p95_ms, server_cpu_seconds, signed_in
from bench.scratch import connect

RATES = (10, 50)
PHONES = 100
REDRAWS = 200
COUNT_A_CHANGE = "UPDATE office_version SET value = value + 1"
NOTE_A_DETAIL = """WITH closed AS (SELECT id, replace(id::text, '-', '') AS named FROM job WHERE NOT is_open LIMIT 1),
  noted AS (
    INSERT INTO board_sequence (office_id, value, recent, recent_upto)
    SELECT office.id, 1, closed.named, 1 FROM office, closed WHERE code = 'MAIN'
    ON CONFLICT (office_id) DO UPDATE SET value = board_sequence.value + 1,
      recent = right(board_sequence.recent || excluded.recent, 512), recent_upto = board_sequence.value + 1
    RETURNING office_id, value)
  INSERT INTO board_event (office_id, seq, kind, job_id, created_at)
  SELECT office_id, value, 'job', closed.id, now() FROM noted, closed"""


async def redraw_cpu_ms(
    server: BenchServer, database_url: str, path: str, cookies: dict, change: str = COUNT_A_CHANGE
) -> float:
    """The app's CPU per GET of ``path``, each after ``change`` (one request at a time): by default a change of
    every office."""
    conn = await connect(database_url)
    headers = {"Accept-Encoding": "gzip, deflate, br"}
    try:
        async with httpx.AsyncClient(base_url=server.url, cookies=cookies, headers=headers, timeout=60) as client:
            for _ in range(10):  # warm up
                await conn.execute(change)
                (await client.get(path)).raise_for_status()
            before = server_cpu_seconds(server)
            for _ in range(REDRAWS):
                await conn.execute(change)
                (await client.get(path)).raise_for_status()
            return (server_cpu_seconds(server) - before) * 1000 / REDRAWS
    finally:
        await conn.close()


class Writer(threading.Thread):
    """The phones replaying at ``rate`` in a thread of their own, from ``ready`` until ``stop``."""

    def __init__(self, base: str, database_url: str, rate: float) -> None:
        super().__init__(daemon=True)
        self.base, self.database_url, self.rate = base, database_url, rate
        self.ready, self.stop = threading.Event(), threading.Event()
        self.result: phones.Replayed | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            asyncio.run(self.write())
        except BaseException as error:  # told to the measuring thread, which raises it
            self.error = error
            self.ready.set()

    async def write(self) -> None:
        jobs = await phones.walkable_jobs(self.database_url, PHONES)
        signed = phones.phones_for(self.base, await phones.sign_in(self.base, list(jobs)))
        phones.queue(signed, jobs, phones.visit_walk)
        try:
            await phones.stagger(signed)
            self.ready.set()
            self.result = await phones.replay(signed, self.rate, self.stop.is_set)
        finally:
            await phones.close(signed)


@contextmanager
def writing(base: str, database_url: str, rate: float):
    writer = Writer(base, database_url, rate)
    writer.start()
    writer.ready.wait()
    if writer.error:
        raise writer.error
    try:
        yield writer
    finally:
        writer.stop.set()
        writer.join()
    if writer.error:
        raise writer.error


def run() -> None:
    with big_office() as (server, database_url):
        coordinator = asyncio.run(signed_in(server.url, "coordinator"))
        engineer = asyncio.run(signed_in(server.url, "engineer"))
        emit("board_redraw_cpu_ms", asyncio.run(redraw_cpu_ms(server, database_url, "/board", coordinator)), "ms")
        emit("my_jobs_redraw_cpu_ms", asyncio.run(redraw_cpu_ms(server, database_url, "/jobs/mine", engineer)), "ms")
        for name, path, cookies in [("board", "/board", coordinator), ("my_jobs", "/jobs/mine", engineer)]:
            detail = asyncio.run(redraw_cpu_ms(server, database_url, path, cookies, NOTE_A_DETAIL))
            emit(f"{name}_after_detail_cpu_ms", detail, "ms")
        bare = latency_p95_ms(f"{server.url}/livez")
        emit("bare_p95_ms", bare, "ms")
        for rate in RATES:
            with writing(server.url, database_url, rate) as writer:
                board = latency_p95_ms(f"{server.url}/board", cookies=coordinator)
                mine = latency_p95_ms(f"{server.url}/jobs/mine", cookies=engineer)
                loaded_bare = latency_p95_ms(f"{server.url}/livez")
            emit(f"board_p95_ms_under_writes_{rate}", board, "ms")
            emit(f"my_jobs_p95_ms_under_writes_{rate}", mine, "ms")
            emit(f"board_under_writes_to_bare_ratio_{rate}", board / bare, "x")
            emit(f"my_jobs_under_writes_to_bare_ratio_{rate}", mine / bare, "x")
            emit(f"bare_p95_ms_under_writes_{rate}", loaded_bare, "ms")
            emit(f"board_to_loaded_bare_ratio_{rate}", board / loaded_bare, "x")
            emit(f"my_jobs_to_loaded_bare_ratio_{rate}", mine / loaded_bare, "x")
            result = writer.result
            emit(f"write_rate_actions_per_s_{rate}", result.rate, "actions/s")
            emit(f"write_p95_ms_{rate}", result.p95_ms, "ms")
            print(f"# writes sent at {rate}/s, by kind or step: {dict(result.kinds.most_common())}", flush=True)
            if result.failed:
                print(f"# {len(result.failed)} writes failed: {dict(collections.Counter(result.failed))}", flush=True)
