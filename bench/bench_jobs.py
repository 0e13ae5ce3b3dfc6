"""Board and My jobs under load on PostgreSQL.

10,000 open and 100,000 closed jobs; 20 concurrent clients; the trivial endpoint measured in the same run.
Prints board_p95_ms, my_jobs_p95_ms, bare_p95_ms, the ratios, the app's CPU per request of each (*_cpu_ms: what
a hit costs, hardly changed by other work on the machine) and board_event_p95_ms with 200 open streams.
The query plans go to stderr.
"""

import asyncio
import sys
import time

import httpx

from bench.harness import BenchServer, emit, latency_p95_ms, p95, server_cpu_ms
from bench.scratch import connect, scratch_database
from tests.helpers.jobs import intake_form

OPEN_JOBS, CLOSED_JOBS, ENGINEERS = 10_000, 100_000, 500
OPEN_STATES = ["QUEUED_FOR_DISPATCH", "ASSIGNED", "SCHEDULED", "EN_ROUTE", "ON_SITE", "REPAIRING"]

FILL = f"""
INSERT INTO customer (id, office_id, name, organisation, phone, address, zone, key_account, created_at)
SELECT gen_random_uuid(), o.id, 'Customer ' || g, '', '1380000' || lpad(g::text, 4, '0'), 'Street ' || g,
       'IN_AREA', false, now() FROM generate_series(1, 2000) g, office o;
INSERT INTO user_account (id, office_id, username, display_name, phone, role, locale, certified, is_active,
                          password_hash, version, created_at, updated_at)
SELECT gen_random_uuid(), o.id, 'bench' || g, 'Engineer ' || g, '', 'engineer', '', true, true, u.password_hash, 1,
       now(), now()
FROM generate_series(1, {ENGINEERS}) g, office o, (SELECT password_hash FROM user_account LIMIT 1) u;
CREATE TEMP TABLE eng AS SELECT row_number() OVER (ORDER BY username) - 1 AS n, id FROM user_account
  WHERE username LIKE 'bench%' OR username = 'engineer';
CREATE TEMP TABLE cust AS SELECT row_number() OVER (ORDER BY name) - 1 AS n, id FROM customer;
INSERT INTO device (id, office_id, customer_id, model, serial, purchase_date)
SELECT gen_random_uuid(), o.id, c.id, 'Model ' || (g % 40), 'BENCH-' || g, NULL
FROM generate_series(1, {OPEN_JOBS + CLOSED_JOBS}) g JOIN cust c ON c.n = g % 2000, office o;
CREATE TEMP TABLE dev AS SELECT row_number() OVER (ORDER BY serial) AS n, id, customer_id, serial FROM device
  WHERE serial LIKE 'BENCH-%';
INSERT INTO job (id, number, office_id, job_type, state, is_open, priority, channel, customer_id, device_id,
                 device_serial, site_address, zone, contact_name, contact_phone, warranty_status, warranty_basis,
                 fault_description, fault_judgement, fault_level, paid, requested_at, created_at, created_by_id,
                 engineer_id, appointment_start, appointment_end, negotiated_reason, late_change, next_due_at,
                 next_warn_at, next_due_rule, outcome, version, updated_at)
SELECT gen_random_uuid(), 'B-' || d.n, o.id, 'ONSITE',
       CASE WHEN d.n <= {OPEN_JOBS} THEN (ARRAY{OPEN_STATES!r})[1 + d.n % {len(OPEN_STATES)}]
            ELSE (ARRAY['COMPLETED', 'CLOSED', 'CANCELLED'])[1 + d.n % 3] END,
       d.n <= {OPEN_JOBS}, 'normal', 'phone', d.customer_id, d.id, d.serial, 'Street', 'IN_AREA', 'Contact',
       '13800000000', 'in_warranty', 'card', 'Fault', 'hardware', '', false,
       now() - (d.n % 900) * interval '1 hour', now(), (SELECT id FROM user_account WHERE username = 'coordinator'),
       e.id, now() + (d.n % 200) * interval '1 hour', now() + (d.n % 200) * interval '1 hour' + interval '2 hours',
       '', false, CASE WHEN d.n <= {OPEN_JOBS} THEN now() + ((d.n % 500) - 50) * interval '1 hour' END,
       NULL, CASE WHEN d.n <= {OPEN_JOBS} THEN 'S5' ELSE '' END, '', 1, now()
FROM dev d JOIN eng e ON e.n = d.n % {ENGINEERS + 1}, office o;
ANALYZE;
"""

BOARD_QUERY = """EXPLAIN SELECT job.*, customer.name FROM job JOIN customer ON customer.id = job.customer_id
  LEFT JOIN user_account ON user_account.id = job.engineer_id
  WHERE job.office_id = (SELECT id FROM office LIMIT 1) AND job.is_open
  ORDER BY job.next_due_at ASC NULLS LAST, job.number LIMIT 26"""
MY_JOBS_QUERY = """EXPLAIN SELECT job.*, customer.name FROM job JOIN customer ON customer.id = job.customer_id
  WHERE job.engineer_id = (SELECT id FROM user_account WHERE username = 'engineer') AND job.is_open
  ORDER BY job.appointment_start ASC NULLS LAST, job.requested_at"""


async def fill(url: str) -> None:
    conn = await connect(url)
    try:
        await conn.execute(FILL)
        await conn.execute("VACUUM ANALYZE")  # now, not as autovacuum in the middle of the measurements
        for title, query in [("board", BOARD_QUERY), ("my jobs", MY_JOBS_QUERY)]:
            plan = "\n".join(row[0] for row in await conn.fetch(query))
            print(f"-- plan: {title}\n{plan}", file=sys.stderr)
    finally:
        await conn.close()


async def signed_in(base: str, username: str) -> dict:
    async with httpx.AsyncClient(base_url=base) as client:
        await client.get("/login")
        await client.post(
            "/login",
            data={"username": username, "password": "onsite-demo"},
            headers={"x-csrftoken": client.cookies["csrftoken"]},
        )
        return dict(client.cookies)


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
    # Two workers on the two cores, boards fed through PostgreSQL LISTEN/NOTIFY: a real deployment.
    with (
        scratch_database() as url,
        BenchServer(database_url=url, ONSITE_WORKERS="2", ONSITE_CHANNELS_BACKEND="postgres") as server,
    ):
        asyncio.run(fill(url))
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
