"""label_sheet_500_pdf_s, scan_roundtrip_ms (p95) and holdings_query_ms (p95, 1,000,000 ledger rows on PostgreSQL)."""

import asyncio
import json
import os
import random
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from bench.harness import BenchServer, Measured, emit, p95, twice

PG_URL = os.environ.get("ONSITE_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
MOVEMENTS = 1_000_000
ENGINEERS = 200
UNITS = 50_000


def label_sheet_500_pdf_s() -> float:
    """Seconds to make 500 QR labels and render the A4 sheets to PDF (WeasyPrint), as /parts/labels.pdf does."""
    from app.core.templates import make_environment
    from app.parts import labels
    from app.parts.idempotency import new_code

    started = time.perf_counter()
    stock = labels.STOCKS[labels.DEFAULT_STOCK]
    items = [(new_code(), "Power supply 450 W", f"PSU-450 · SER-{i:05d}") for i in range(500)]
    made = labels.make_labels("https://onsite.example.com", items, stock, raster=True)
    html = make_environment(None).get_template("parts/_sheet.html").render(pages=labels.pages(made, stock))
    pdf = labels.render_pdf(html, labels.sheet_css(stock), "https://onsite.example.com/")
    assert pdf.startswith(b"%PDF")
    return time.perf_counter() - started


def scan_roundtrip_ms(samples: int = 300) -> float:
    """p95 of a scanned label's round trip: /parts/lookup?code=<QR text> → 303 → the unit page (both requests)."""
    with BenchServer() as server, httpx.Client(base_url=server.url, timeout=30) as client:
        client.get("/login")
        client.post(
            "/login",
            data={"username": "engineer", "password": "onsite-demo", "_csrf_token": client.cookies["csrftoken"]},
        )
        scanned = f"HTTPS://{server.url.split('//')[1]}/U/U2PSUAAA"
        latencies = []
        for i in range(samples + 20):
            started = time.perf_counter()
            response = client.get("/parts/lookup", params={"code": scanned}, follow_redirects=True)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200 and "U2PSUAAA" in response.text, response.status_code
            if i >= 20:  # warm-up
                latencies.append(elapsed)
    return p95(latencies)


async def _admin(sql: str) -> None:
    url = make_url(PG_URL)
    conn = await asyncpg.connect(host=url.host, port=url.port, user=url.username, database=url.database)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _fill(url: str) -> list[uuid.UUID]:
    """Bulk-loads a ledger of MOVEMENTS rows and its cached unit rows with COPY; returns the engineers' ids."""
    u = make_url(url)
    conn = await asyncpg.connect(host=u.host, port=u.port, user=u.username, database=u.database)
    rng = random.Random(6)
    now = datetime(2026, 11, 23, tzinfo=UTC)
    office = uuid.uuid4()
    try:
        await conn.execute("INSERT INTO office (id, code, name) VALUES ($1, 'BENCH', 'Bench')", office)
        engineers = [uuid.uuid4() for _i in range(ENGINEERS + 1)]
        await conn.copy_records_to_table(
            "user_account",
            columns=[
                "id",
                "office_id",
                "username",
                "display_name",
                "phone",
                "role",
                "locale",
                "certified",
                "is_active",
                "password_hash",
                "version",
                "created_at",
                "updated_at",
            ],
            records=[
                (e, office, f"u{i}", f"User {i}", "", "engineer" if i else "clerk", "", True, True, "x", 1, now, now)
                for i, e in enumerate(engineers)
            ],
        )
        clerk, engineers = engineers[0], engineers[1:]
        parts = [uuid.uuid4() for _i in range(100)]
        await conn.copy_records_to_table(
            "part",
            columns=[
                "id",
                "office_id",
                "code",
                "number",
                "name",
                "compatible_models",
                "unit_price_cents",
                "created_at",
            ],
            records=[(p, office, f"P{i:07d}", f"PN-{i}", f"Part {i}", "", 100, now) for i, p in enumerate(parts)],
        )
        units = []
        for i in range(UNITS):
            holder = rng.choice(engineers) if i % 25 == 0 else None  # 4 % of the units are out
            units.append(
                (
                    uuid.uuid4(),
                    office,
                    rng.choice(parts),
                    f"U{i:07d}",
                    f"S{i}",
                    "new",
                    "Station 1",
                    "OUT" if holder else "IN_STOCK",
                    holder,
                    None,
                    now if holder else None,
                    False,
                    1,
                    now,
                )
            )
        await conn.copy_records_to_table(
            "part_unit",
            columns=[
                "id",
                "office_id",
                "part_id",
                "code",
                "serial",
                "condition",
                "location",
                "status",
                "holder_id",
                "job_id",
                "out_since",
                "awaiting_confirmation",
                "version",
                "created_at",
            ],
            records=units,
        )
        kinds = ["CHECK_OUT", "RETURN_UNUSED", "CONFIRM_RETURN", "FIT", "RETURN_FAULTY"]
        details = json.dumps({"serial": "S", "sealed": True})

        def rows():
            for i in range(MOVEMENTS):
                unit = units[i % UNITS]
                yield (
                    uuid.uuid4(),
                    office,
                    kinds[i % 5],
                    unit[2],
                    unit[0],
                    None,
                    rng.choice(engineers),
                    clerk,
                    "store",
                    "engineer",
                    "new",
                    details,
                    "",
                    now - timedelta(seconds=MOVEMENTS - i),
                    None,
                )

        await conn.copy_records_to_table(
            "part_movement",
            columns=[
                "id",
                "office_id",
                "kind",
                "part_id",
                "unit_id",
                "job_id",
                "engineer_id",
                "actor_id",
                "from_place",
                "to_place",
                "condition",
                "details",
                "request_hash",
                "at",
                "device_at",
            ],
            records=rows(),
        )
        await conn.execute("ANALYZE")
        assert await conn.fetchval("SELECT count(*) FROM part_movement") == MOVEMENTS
        return engineers
    finally:
        await conn.close()


async def _holdings_p95(url: str, engineers: list[uuid.UUID], samples: int = 500) -> float:
    from app.core.database import make_engine, make_sessionmaker
    from app.parts.queries import holdings

    engine = make_engine(url)
    latencies = []
    try:
        async with make_sessionmaker(engine)() as db:
            for i in range(samples + 50):
                started = time.perf_counter()
                await holdings(db, engineers[i % len(engineers)])
                if i >= 50:
                    latencies.append((time.perf_counter() - started) * 1000)
                db.expunge_all()
    finally:
        await engine.dispose()
    return p95(latencies)


def holdings_query_ms() -> Measured:
    """p95 of "what does engineer X hold" with MOVEMENTS ledger rows, in a scratch PostgreSQL database (the better
    of two runs)."""
    from app.core.migrate import upgrade

    name = f"onsite_bench_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        engineers = asyncio.run(_fill(url))
        return twice(lambda: asyncio.run(_holdings_p95(url, engineers)))
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def run() -> None:
    emit("label_sheet_500_pdf_s", label_sheet_500_pdf_s(), "s")
    emit("scan_roundtrip_ms", twice(scan_roundtrip_ms), "ms")
    emit("holdings_query_ms", holdings_query_ms(), "ms")
