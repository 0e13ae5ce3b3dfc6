"""monthly_report_100k_s and csv_export_year_peak_mb on a scratch PostgreSQL database with 100,000 jobs.

The database is created, filled with SQL (generate_series) and dropped by the benchmark. The report figure is
the slowest of three runs of every query the monthly report page makes (cold first run included). The export
figure is the peak Python memory (tracemalloc) while streaming a whole year's CSV: it stays flat as rows grow.
"""

import asyncio
import os
import time
import tracemalloc
import uuid
from datetime import UTC, datetime

import asyncpg
from sqlalchemy.engine import make_url

from app.core.database import make_engine, make_sessionmaker
from app.core.migrate import upgrade
from app.reports import export, kpis, service
from app.reports.periods import Period
from bench.harness import emit

PG_URL = os.environ.get(
    "ONSITE_BENCH_PG_URL", os.environ.get("ONSITE_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
)
JOBS = 100_000
NOW = datetime(2027, 1, 15, tzinfo=UTC)

FILL = [
    "INSERT INTO office (id, code, name) VALUES ($1, 'BENCH', 'Bench office')",
    """INSERT INTO user_account (id, office_id, username, display_name, phone, role, locale, certified, is_active,
       password_hash, version, created_at, updated_at)
       SELECT gen_random_uuid(), $1, 'eng' || g, 'Engineer ' || g, '', 'engineer', '', true, true, 'x', 1, now(), now()
       FROM generate_series(1, 40) g""",
    """INSERT INTO customer (id, office_id, name, organisation, phone, address, zone, key_account, created_at)
       SELECT gen_random_uuid(), $1, 'Customer ' || g, '', '1380000' || g, 'Street ' || g, 'IN_AREA', false, now()
       FROM generate_series(1, 2000) g""",
    """INSERT INTO device (id, office_id, customer_id, model, serial)
       SELECT gen_random_uuid(), $1, c.id, 'Model-' || (row_number() OVER () % 25), 'SER-' || row_number() OVER ()
       FROM customer c""",
    # 100,000 jobs over 2026 (one every 315 s); 85 % completed two days later; 2 % repeat repairs.
    """INSERT INTO job (id, number, office_id, job_type, state, is_open, priority, channel, customer_id, device_id,
       device_serial, site_address, zone, contact_name, contact_phone, warranty_status, warranty_basis,
       fault_description, fault_judgement, fault_level, paid, requested_at, created_at, created_by_id, engineer_id,
       negotiated_reason, late_change, next_due_rule, outcome, completed_at, version, updated_at, repeat_repair)
       SELECT gen_random_uuid(), 'B-' || g, $1, (ARRAY['ONSITE','ONSITE','ONSITE','CARRY_IN'])[g % 4 + 1],
              CASE WHEN g % 20 < 17 THEN 'FOLLOWED_UP' ELSE 'SCHEDULED' END, g % 20 >= 17, 'normal', 'phone',
              d.customer_id, d.id, d.serial, 'Street', (ARRAY['IN_AREA','WITHIN_80KM'])[g % 2 + 1], 'C', '1',
              'in_warranty', 'card', 'Fault', 'hardware', '', false, t, t, e.id, e.id, '', false, '',
              CASE WHEN g % 50 = 0 THEN 'declined' ELSE '' END,
              CASE WHEN g % 20 < 17 THEN t + interval '2 days' END, 1, t, g % 50 = 1
       FROM generate_series(1, $2::int) g
       CROSS JOIN LATERAL (SELECT timestamptz '2026-01-01 01:00+00' + g * interval '315 seconds' AS t) tt
       JOIN LATERAL (SELECT id, customer_id, serial FROM device OFFSET (g % 2000) LIMIT 1) d ON true
       JOIN LATERAL (SELECT id FROM user_account OFFSET (g % 40) LIMIT 1) e ON true""",
    """INSERT INTO job_deadline (id, job_id, rule, due_at, warn_at, met_at)
       SELECT gen_random_uuid(), id, r.rule, created_at + r.span, NULL,
              CASE WHEN completed_at IS NOT NULL OR r.rule = 'S3'
                   THEN created_at + r.span * (0.3 + (abs(hashtext(number || r.rule)) % 100) / 80.0) END
       FROM job CROSS JOIN (VALUES ('S3', interval '30 minutes'), ('S4', interval '2 hours'),
                                   ('S5', interval '2 days'), ('S16', interval '5 days')) r(rule, span)""",
    """INSERT INTO follow_up_call (id, office_id, job_id, caller_id, called_at, attempt, reached, satisfied, score,
       answers, complaint_areas, reason, suggestions)
       SELECT gen_random_uuid(), office_id, id, created_by_id, completed_at + interval '1 day', 1, true,
              number NOT LIKE '%7', 3 + (length(number) % 3), '{}', '[]', '', ''
       FROM job WHERE completed_at IS NOT NULL""",
    "ANALYZE",
]


async def _admin(sql: str) -> None:
    url = make_url(PG_URL)
    conn = await asyncpg.connect(
        host=url.host, port=url.port, user=url.username, password=url.password, database=url.database
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _fill(url: str, office_id: uuid.UUID) -> None:
    parsed = make_url(url)
    conn = await asyncpg.connect(
        host=parsed.host, port=parsed.port, user=parsed.username, password=parsed.password, database=parsed.database
    )
    try:
        for sql in FILL:
            args = [office_id] if "$1" in sql else []
            await conn.execute(sql, *args, *([JOBS] if "$2" in sql else []))
    finally:
        await conn.close()


async def _monthly_report_seconds(url: str, office_id: uuid.UUID) -> float:
    engine = make_engine(url)
    runs = []
    try:
        start, end = Period(2026, 6).bounds(UTC)
        scope = kpis.Scope(office_id=office_id, start=start, end=end, now=NOW)
        for _ in range(3):
            async with make_sessionmaker(engine)() as db:
                began = time.perf_counter()
                await service.kpi_report_view(db, scope, "engineer", Period(2026, 6), UTC)
                runs.append(time.perf_counter() - began)
    finally:
        await engine.dispose()
    return max(runs)


async def _export_year_peak_mb(url: str, office_id: uuid.UUID) -> tuple[float, int]:
    engine = make_engine(url)
    start, end = Period(2026).bounds(UTC)
    scope = kpis.Scope(office_id=office_id, start=start, end=end, now=NOW)
    lines = 0
    tracemalloc.start()
    try:
        async for chunk in export.csv_chunks(make_sessionmaker(engine), scope, "bench"):
            lines += chunk.count(b"\n")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        await engine.dispose()
    return peak / 1_000_000, lines - 2  # minus the header and watermark lines


def run() -> None:
    name = f"onsite_bench_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    office_id = uuid.uuid4()
    try:
        upgrade(url)
        asyncio.run(_fill(url, office_id))
        emit("monthly_report_100k_s", asyncio.run(_monthly_report_seconds(url, office_id)), "s")
        peak_mb, rows = asyncio.run(_export_year_peak_mb(url, office_id))
        if rows != JOBS:
            raise RuntimeError(f"the export wrote {rows} rows, expected {JOBS}")
        print(f"csv_export_year_peak_mb {peak_mb:.2f} MB", flush=True)
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
