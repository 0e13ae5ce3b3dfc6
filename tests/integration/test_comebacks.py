"""Comebacks: a complaint's repeat repair is dispatched like any onsite job, linked both ways, and counted (F48)."""

from sqlmodel import select

from app.followups.models import Complaint
from app.jobs.models import JobDeadline
from tests.helpers.after import completed_job
from tests.helpers.clients import sign_in
from tests.helpers.jobs import post, reload


async def _complain(client, db, job, make_user):
    await sign_in(client, await make_user("follow_up"))
    response = await post(
        client,
        f"/follow-ups/{job.id}/calls",
        outcome="reached",
        fault_gone="no",
        conduct_ok="yes",
        satisfied="no",
        score="1",
        reason="Stopped again after two days",
        complaint_areas="quality",
        remedy="repeat_repair",
        level="L2",
    )
    assert response.status_code == 303, response.text[:1500]
    complaint = (await db.exec(select(Complaint).where(Complaint.job_id == job.id))).one()
    return await reload(db, complaint.repeat_job_id)


async def test_it_hands_the_repeat_repair_to_dispatch_with_clocks_from_the_complaint(
    client, db, make_user, world, clock
):
    job = await completed_job(client, world, await make_user("coordinator"))
    clock.advance(days=2)
    repeat = await _complain(client, db, job, make_user)
    assert repeat.state == "QUEUED_FOR_DISPATCH" and repeat.requested_at == job.requested_at  # INV-9
    rules = {d.rule: d for d in (await db.exec(select(JobDeadline).where(JobDeadline.job_id == repeat.id))).all()}
    assert rules["S4"].due_at > clock() and rules["S4"].met_at is None  # counted from the complaint, not the request


async def test_it_lets_the_coordinator_assign_the_repeat_repair(client, db, make_user, world):
    coordinator = await make_user("coordinator")
    job = await completed_job(client, world, coordinator)
    repeat = await _complain(client, db, job, make_user)
    engineer = await make_user("engineer", username="wei")
    await sign_in(client, coordinator)
    response = await post(
        client, f"/jobs/{repeat.id}/assign", engineer_id=str(engineer.id), version=str(repeat.version)
    )
    assert response.status_code == 303, response.text[:1500]
    repeat = await reload(db, repeat.id)
    assert repeat.state == "ASSIGNED" and repeat.engineer_id == engineer.id


async def test_it_shows_the_link_on_both_jobs(client, db, make_user, world):
    coordinator = await make_user("coordinator")
    job = await completed_job(client, world, coordinator)
    repeat = await _complain(client, db, job, make_user)
    await sign_in(client, coordinator)
    original_page = (await client.get(f"/jobs/{job.id}")).text
    repeat_page = (await client.get(f"/jobs/{repeat.id}")).text
    assert f'<a href="/jobs/{repeat.id}">{repeat.number}</a>' in original_page
    assert f'<a href="/jobs/{job.id}">{job.number}</a>' in repeat_page
    assert "Repeat repair of" in repeat_page and "Repeat repair:" in original_page


async def test_it_counts_the_repeat_repair_as_a_comeback_in_the_report(client, db, make_user, world, clock):
    job = await completed_job(client, world, await make_user("coordinator"))
    await _complain(client, db, job, make_user)
    await sign_in(client, await make_user("manager"))
    text = (await client.get("/reports/", params={"period": clock().strftime("%Y-%m")})).text
    assert 'data-kpi="comeback">100.0%' in text and 'data-kpi="ftf">0.0%' in text
