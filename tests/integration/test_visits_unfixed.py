"""The unfixed path (T15, F24): a take-back receipt signed by the customer and a linked carry-in job, or a revisit."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from app.jobs.models import Job, JobDeadline
from tests.helpers.clients import csrf
from tests.helpers.jobs import reload
from tests.helpers.visits import customer_signs, job_on_the_way, photo, step


async def _declare_unfixed(client, world):
    db, make_user = world.db, world.make_user
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "reproduce")
    response = await client.post(f"/visits/{job.id}/unfixed", headers=csrf(client), follow_redirects=False)
    assert response.status_code == 303
    return job


async def test_it_takes_the_device_back_on_a_signed_receipt_and_opens_a_linked_carry_in_job(
    client, db, make_user, world, clock
):
    job = await _declare_unfixed(client, world)
    fields = {"reason": "Board fault needs the workshop", "next_step": "take_back", "accessories": "Power cable"}
    response = await step(client, job, "unresolved", **fields)
    assert "“Not fixed: next step” needs at least 1 photo." in response.text
    assert (await photo(client, job, "unresolved")).status_code == 201
    assert (await step(client, job, "unresolved", **fields)).status_code == 303
    assert (await customer_signs(client, job, "signature")).status_code == 303
    job = await reload(db, job.id)
    assert job.state == "UNRESOLVED" and job.outcome == "taken_back" and job.report_signed_at is not None
    child = (await db.exec(select(Job).where(Job.parent_job_id == job.id))).one()
    assert child.job_type == "CARRY_IN" and child.state == "RECEIVED" and child.requested_at == job.requested_at
    s12 = (await db.exec(select(JobDeadline).where(JobDeadline.job_id == child.id))).one()
    office_time = s12.due_at.astimezone(ZoneInfo("Asia/Shanghai"))
    taken_back_on = clock.now.astimezone(ZoneInfo("Asia/Shanghai")).date()
    assert s12.rule == "S12" and s12.met_at is None and office_time.strftime("%H:%M") == "17:30"
    assert office_time.date() == taken_back_on + timedelta(days=3)  # Monday's take-back: Thursday evening
    assert (await step(client, job, "cleanup", site_clean="on", tools_collected="on")).status_code == 303
    assert (await reload(db, job.id)).state == "AWAITING_PARTS_RETURN"
    assert "Not fixed on this visit" in (await client.get(f"/visits/{job.id}/report")).text


async def test_a_revisit_needs_its_date(client, db, make_user, world):
    job = await _declare_unfixed(client, world)
    response = await step(client, job, "unresolved", reason="Part on order", next_step="revisit")
    assert "“Revisit date” is required" in response.text
    response = await step(
        client, job, "unresolved", reason="Part on order", next_step="revisit", revisit_date="2026-11-26"
    )
    assert response.status_code == 303
    assert (await customer_signs(client, job, "signature")).status_code == 303
    job = await reload(db, job.id)
    assert job.state == "UNRESOLVED" and job.outcome == "revisit"


async def test_not_reproducible_needs_the_observation_first(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "repair_order")
    await photo(client, job, "reproduce")
    await step(client, job, "reproduce", outcome="not_reproduced")
    await client.post(f"/visits/{job.id}/unfixed", headers=csrf(client))
    response = await step(
        client, job, "unresolved", reason="Not reproducible", next_step="revisit", revisit_date="2026-11-26"
    )
    assert "Do the step “Observe for 30 minutes” first" in response.text


async def test_it_refuses_to_declare_unfixed_before_diagnosing(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "arrive")
    response = await client.post(f"/visits/{job.id}/unfixed", headers=csrf(client))
    assert response.status_code == 422 and "only while diagnosing, repairing or verifying" in response.text


async def test_it_refuses_not_fixed_while_the_customer_decides_on_the_paid_quote(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user, warranty_status="out_of_warranty", policy_explained="on")
    await world.visit(job, "classify")
    assert (await reload(db, job.id)).state == "AWAITING_CUSTOMER_DECISION"
    response = await client.post(f"/visits/{job.id}/unfixed", headers=csrf(client))
    assert response.status_code == 422 and "only while diagnosing, repairing or verifying" in response.text


async def test_it_lets_a_visit_be_declared_not_fixed_while_verifying_until_the_report_is_signed(
    client, db, make_user, world
):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "verify")
    assert (await reload(db, job.id)).state == "VERIFYING"
    page = await client.get(f"/visits/{job.id}")
    assert re.search(r'<details class="card unfixed"\s*>', page.text)  # offered, not hidden
    response = await client.post(f"/visits/{job.id}/unfixed", headers=csrf(client), follow_redirects=False)
    assert response.status_code == 303
    fields = {"reason": "Fault came back", "next_step": "revisit", "revisit_date": "2026-11-26"}
    assert (await step(client, job, "unresolved", **fields)).status_code == 303
    assert (await customer_signs(client, job, "signature")).status_code == 303
    assert (await reload(db, job.id)).state == "UNRESOLVED"


async def test_it_refuses_not_fixed_once_the_report_is_signed(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "signature")
    assert (await reload(db, job.id)).state == "SIGNED_OFF"
    response = await client.post(f"/visits/{job.id}/unfixed", headers=csrf(client))
    assert response.status_code == 422
