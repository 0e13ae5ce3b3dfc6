"""``make run``'s demo data: one visit under way on the checklist and one signed report."""

from sqlmodel import select

from app.demo.load import load_demo_data
from app.jobs.models import Job
from app.visits.models import ServiceReport, StepResult
from app.visits.queries import signed_report


async def test_the_demo_has_a_visit_under_way_and_a_signed_report(client, db, clock, monkeypatch, tmp_path):
    """``client``: the app it starts configures the report seal keys, as `make run`'s server does."""
    monkeypatch.setenv("ONSITE_VAR_DIR", str(tmp_path))
    assert await load_demo_data(db, clock())
    report = (await db.exec(select(ServiceReport))).one()
    assert (await signed_report(db, report.job_id))["valid"]
    states = {job.state for job in (await db.exec(select(Job))).all()}
    assert {"ON_SITE", "SIGNED_OFF", "EN_ROUTE"} <= states
    assert len((await db.exec(select(StepResult))).all()) > 2
