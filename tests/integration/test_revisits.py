"""Revisits (T18a, INV-8, INV-9): "not fixed" with a revisit date sends the same job back to scheduling."""

from sqlmodel import select

from app.jobs.models import Job
from app.parts.models import PartUnit
from app.visits.models import EarlierVisit, ServiceReport, VisitChecklist
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import post, reload
from tests.helpers.parts import lend, take_back
from tests.helpers.visits import customer_signs, job_on_the_way, step, walk_to

WINDOW = {"appointment_from": "10:00", "appointment_to": "12:00"}


async def _not_fixed_and_parts_confirmed(client, db, make_user):
    """The first visit: not fixed, revisit agreed for 26 November, signed; the clerk takes the part back."""
    job, engineer = await job_on_the_way(client, db, make_user)
    await walk_to(client, job, "reproduce")
    assert (await client.post(f"/visits/{job.id}/unfixed", headers=csrf(client))).status_code in {200, 303}
    fields = {"reason": "Main board on order", "next_step": "revisit", "revisit_date": "2026-11-26"}
    assert (await step(client, job, "unresolved", **fields)).status_code == 303
    assert (await customer_signs(client, job, "signature")).status_code == 303
    assert (await step(client, job, "cleanup", site_clean="on", tools_collected="on")).status_code == 303
    clerk = await make_user("clerk")
    await sign_in(client, clerk)
    unit = (await db.exec(select(PartUnit).where(PartUnit.job_id == job.id))).one()
    assert (await take_back(client, unit.code, "unused", job_id=str(job.id), sealed="on")).status_code == 303
    assert (await post(client, f"/parts/jobs/{job.id}/confirm")).status_code == 303
    job = await reload(db, job.id)
    assert job.state == "PARTS_CONFIRMED" and job.outcome == "revisit"
    return job, engineer, clerk, unit


async def test_it_refuses_to_complete_a_job_whose_revisit_is_due(client, db, make_user):
    job, *_ = await _not_fixed_and_parts_confirmed(client, db, make_user)
    await sign_in(client, await make_user("coordinator"))
    response = await post(client, f"/jobs/{job.id}/complete", version=str(job.version))
    assert response.status_code == 422 and "schedule the revisit" in response.text
    assert (await reload(db, job.id)).state == "PARTS_CONFIRMED"


async def test_it_schedules_the_revisit_on_the_same_job_and_keeps_the_first_visit(client, db, make_user):
    job, *_ = await _not_fixed_and_parts_confirmed(client, db, make_user)
    first_report = await db.get(ServiceReport, job.id)
    await sign_in(client, await make_user("coordinator"))
    page = (await client.get(f"/jobs/{job.id}")).text
    assert 'data-testid="revisit-form"' in page and 'value="2026-11-26"' in page  # the agreed date, offered
    response = await post(
        client, f"/jobs/{job.id}/revisit", appointment_date="2026-11-26", version=str(job.version), **WINDOW
    )
    assert response.status_code == 303, response.text[:1500]
    job = await reload(db, job.id)
    assert job.state == "SCHEDULED" and job.report_signed_at is None and job.outcome == ""
    assert job.appointment_start.isoformat().startswith("2026-11-26T02:00")  # 10:00 in Shanghai
    earlier = (await db.exec(select(EarlierVisit).where(EarlierVisit.job_id == job.id))).one()
    assert earlier.number == 1 and earlier.report_sha256 == first_report.sha256 and earlier.revisit_date == "2026-11-26"
    assert earlier.signer_name == "Mrs. Zhao Lan" and len(earlier.photos) >= 2
    assert await db.get(VisitChecklist, job.id) is None  # the next visit starts a fresh checklist
    page = (await client.get(f"/jobs/{job.id}")).text
    assert 'data-testid="earlier-visits"' in page and "Visit 1" in page


async def test_the_engineer_walks_the_revisit_and_the_job_completes_not_as_a_first_time_fix(
    client, db, make_user, clock
):
    job, engineer, clerk, unit = await _not_fixed_and_parts_confirmed(client, db, make_user)
    coordinator = await make_user("coordinator")
    await sign_in(client, coordinator)
    await post(client, f"/jobs/{job.id}/revisit", appointment_date="2026-11-26", version=str(job.version), **WINDOW)
    await sign_in(client, clerk)
    assert (await lend(client, engineer, job, unit.code)).status_code == 303
    clock.advance(days=3)
    await sign_in(client, engineer)
    await walk_to(client, job, "cleanup")
    await sign_in(client, clerk)  # the faulty part the new one replaced comes back with its fault tag
    fault = {
        "job_id": str(job.id),
        "fault": "No output",
        "device_serial": job.device_serial,
        "removed_serial": "PSU-00001",
    }
    response = await take_back(client, unit.code, "faulty", **fault)
    assert response.status_code == 303, response.text[:1500]
    assert (await post(client, f"/parts/jobs/{job.id}/confirm")).status_code == 303
    await sign_in(client, coordinator)
    response = await post(client, f"/jobs/{job.id}/complete", version=str((await reload(db, job.id)).version))
    assert response.status_code == 303, response.text[:2000]
    job = await reload(db, job.id)
    assert job.state == "COMPLETED" and (await db.get(ServiceReport, job.id)) is not None
    assert len((await db.exec(select(EarlierVisit).where(EarlierVisit.job_id == job.id))).all()) == 1
    await sign_in(client, await make_user("manager"))
    text = (await client.get("/reports/", params={"period": "2026-11"})).text
    assert 'data-kpi="ftf">0.0%' in text  # revisited: not a first-time fix (INV-9)


async def test_the_unfinished_flag_survives_a_reschedule_until_completion(client, db, make_user, clock):
    job, *_ = await _not_fixed_and_parts_confirmed(client, db, make_user)
    await sign_in(client, await make_user("coordinator"))
    await post(client, f"/jobs/{job.id}/revisit", appointment_date="2026-11-26", version=str(job.version), **WINDOW)
    clock.advance(days=3, hours=2)  # 26 November has ended in Shanghai: the visit did not happen
    job = await reload(db, job.id)
    assert job.unfinished_after < clock()
    response = await post(
        client,
        f"/jobs/{job.id}/reschedule",
        appointment_date="2026-11-30",
        reason="Customer away",
        negotiated_reason="Customer's choice",
        version=str(job.version),
        **WINDOW,
    )
    assert response.status_code == 303, response.text[:1500]
    rescheduled = await reload(db, job.id)
    assert rescheduled.unfinished_after == job.unfinished_after < clock()  # still red
    board = (await client.get("/board")).text
    assert f"job-{job.id}" in board
    assert (await db.exec(select(Job).where(Job.id == job.id, Job.unfinished_after < clock()))).one()
