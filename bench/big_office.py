"""The benchmarks' big office on PostgreSQL: 10,000 open and 100,000 closed jobs of 500 engineers and the demo's
staff in a scratch database, behind app processes fed through LISTEN/NOTIFY (a real deployment)."""

import asyncio
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from bench.harness import BenchServer
from bench.scratch import connect, scratch_database

OPEN_JOBS, CLOSED_JOBS, ENGINEERS = 10_000, 100_000, 500
OPEN_STATES = ["QUEUED_FOR_DISPATCH", "ASSIGNED", "SCHEDULED", "EN_ROUTE", "ON_SITE", "REPAIRING"]

FILL = f"""
CREATE TEMP TABLE main_office AS SELECT id FROM office WHERE code = 'MAIN';
INSERT INTO customer (id, office_id, name, organisation, phone, address, zone, key_account, created_at)
SELECT gen_random_uuid(), o.id, 'Customer ' || g, '', '1380000' || lpad(g::text, 4, '0'), 'Street ' || g,
       'IN_AREA', false, now() FROM generate_series(1, 2000) g, main_office o;
INSERT INTO user_account (id, office_id, username, display_name, phone, role, locale, certified, is_active,
                          password_hash, version, created_at, updated_at)
SELECT gen_random_uuid(), o.id, 'bench' || g, 'Engineer ' || g, '', 'engineer', '', true, true, u.password_hash, 1,
       now(), now()
FROM generate_series(1, {ENGINEERS}) g, main_office o, (SELECT password_hash FROM user_account LIMIT 1) u;
CREATE TEMP TABLE eng AS SELECT row_number() OVER (ORDER BY username) - 1 AS n, id FROM user_account
  WHERE username LIKE 'bench%' OR username = 'engineer';
CREATE TEMP TABLE cust AS SELECT row_number() OVER (ORDER BY name) - 1 AS n, id FROM customer
  WHERE office_id = (SELECT id FROM main_office);
INSERT INTO device (id, office_id, customer_id, model, serial, purchase_date)
SELECT gen_random_uuid(), o.id, c.id, 'Model ' || (g % 40), 'BENCH-' || g, NULL
FROM generate_series(1, {OPEN_JOBS + CLOSED_JOBS}) g JOIN cust c ON c.n = g % 2000, main_office o;
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
FROM dev d JOIN eng e ON e.n = d.n % {ENGINEERS + 1}, main_office o;
ANALYZE;
"""

BOARD_QUERY = """EXPLAIN SELECT job.*, customer.name FROM job JOIN customer ON customer.id = job.customer_id
  LEFT JOIN user_account ON user_account.id = job.engineer_id
  WHERE job.office_id = (SELECT id FROM office WHERE code = 'MAIN') AND job.is_open
  ORDER BY job.next_due_at ASC NULLS LAST, job.number LIMIT 26"""
MY_JOBS_QUERY = """EXPLAIN SELECT job.*, customer.name FROM job JOIN customer ON customer.id = job.customer_id
  WHERE job.engineer_id = (SELECT id FROM user_account WHERE username = 'engineer') AND job.is_open
  ORDER BY job.appointment_start ASC NULLS LAST, job.requested_at"""


async def fill(url: str) -> None:
    """Adds the jobs to the migrated database at ``url`` (the demo loaded) and prints the query plans to stderr."""
    conn = await connect(url)
    try:
        await conn.execute(FILL)
        await conn.execute("VACUUM ANALYZE")  # now, not as autovacuum in the middle of the measurements
        for title, query in [("board", BOARD_QUERY), ("my jobs", MY_JOBS_QUERY)]:
            plan = "\n".join(row[0] for row in await conn.fetch(query))
            print(f"-- plan: {title}\n{plan}", file=sys.stderr)
    finally:
        await conn.close()


def office_server(url: str, workers: int = 2) -> BenchServer:
    """``workers`` app processes on the database at ``url``; the boards hear changes through PostgreSQL. The secret
    key is the same for every server, so that a session outlives a restart with another count of processes."""
    return BenchServer(
        database_url=url,
        ONSITE_WORKERS=str(workers),
        ONSITE_CHANNELS_BACKEND="postgres",
        ONSITE_SECRET_KEY="onsite-bench-" + "k" * 40,
    )


@contextmanager
def big_office(workers: int = 2) -> Iterator[tuple[BenchServer, str]]:
    """A server of ``workers`` processes (two on the two cores) on a filled scratch database, and its URL."""
    with scratch_database() as url, office_server(url, workers) as server:
        asyncio.run(fill(url))
        yield server, url
