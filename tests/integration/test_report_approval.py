"""Report approval (F50): a finished period's report is approved by the branch manager and frozen."""

from sqlmodel import select

from app.audit.models import AuditEntry
from app.reports.models import ReportApproval
from tests.helpers.after import completed_job
from tests.helpers.clients import sign_in
from tests.helpers.jobs import post


async def test_it_freezes_an_approved_month_whatever_happens_to_its_jobs_later(client, db, make_user, world, clock):
    coordinator, manager = await make_user("coordinator"), await make_user("manager")
    await completed_job(client, world, coordinator)
    clock.advance(days=8)  # November has ended
    await sign_in(client, manager)
    page = (await client.get("/reports/", params={"period": "2026-11"})).text
    assert 'data-testid="approve-report"' in page and 'data-testid="report-approved"' not in page
    response = await post(client, "/reports/approve", period="2026-11")
    assert response.status_code == 303
    approval = (await db.exec(select(ReportApproval))).one()
    assert approval.period == "2026-11" and approval.approved_by_id == manager.id
    assert 'data-kpi="ftf">100.0%' in approval.body
    audit = (await db.exec(select(AuditEntry).where(AuditEntry.action == "report_approved"))).one()
    assert audit.record_id == "2026-11" and audit.actor_id == manager.id

    clock.advance(days=-8)  # a job completed in November is recorded late: the live figures change
    job = await completed_job(client, world, coordinator, device_serial="SN-LATE")
    job.outcome = "taken_back"
    db.add(job)
    await db.commit()
    clock.advance(days=8)
    await sign_in(client, manager)
    frozen = (await client.get("/reports/", params={"period": "2026-11"})).text
    assert 'data-testid="report-approved"' in frozen and 'data-kpi="ftf">100.0%' in frozen
    assert 'data-testid="approve-report"' not in frozen
    live = (await client.get("/reports/", params={"period": "2026-11", "by": "zone"})).text
    assert 'data-testid="report-approved"' not in live and 'data-kpi="ftf">50.0%' in live
    printed = (await client.get("/reports/print", params={"period": "2026-11"})).text
    assert 'data-testid="report-approved"' in printed


async def test_it_refuses_to_approve_a_running_period_or_twice(client, db, make_user, clock):
    await sign_in(client, await make_user("manager"))
    running = await post(client, "/reports/approve", period="2026-11")
    assert running.status_code == 422 and "still running" in running.text
    assert 'data-testid="approve-report"' not in (await client.get("/reports/", params={"period": "2026-11"})).text
    assert (await post(client, "/reports/approve", period="2026-10")).status_code == 303
    again = await post(client, "/reports/approve", period="2026-10")
    assert again.status_code == 422 and "already approved" in again.text
    assert len((await db.exec(select(ReportApproval))).all()) == 1


async def test_only_the_branch_manager_approves(client, db, make_user):
    for role in ["coordinator", "engineer", "clerk", "follow_up", "reception"]:
        await sign_in(client, await make_user(role))
        assert (await post(client, "/reports/approve", period="2026-10")).status_code == 403, role
    assert (await db.exec(select(ReportApproval))).all() == []
