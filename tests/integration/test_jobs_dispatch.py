"""Dispatch: assigning, customer contact, rescheduling, cancelling, and who may do it (F05–F07, F59)."""

from datetime import timedelta

from sqlmodel import select

from app.jobs.models import JobDeadline, JobEvent
from tests.helpers.clients import sign_in
from tests.helpers.jobs import VISIT, dispatched_job, post, reload, take_request


async def test_it_assigns_a_certified_engineer(client, make_user, db):
    job, engineer = await dispatched_job(client, db, make_user)
    assert job.state == "ASSIGNED" and job.engineer_id == engineer.id


async def test_it_refuses_a_deactivated_or_uncertified_engineer(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db)
    gone = await make_user("engineer")
    gone.is_active = False
    db.add(gone)
    await db.commit()
    rookie = await make_user("engineer", certified=False)
    for engineer, message in [(gone, "is deactivated"), (rookie, "is not certified")]:
        response = await post(client, f"/jobs/{job.id}/assign", engineer_id=str(engineer.id))
        assert response.status_code == 422 and message in response.text
    forged = await post(client, f"/jobs/{job.id}/assign", engineer_id="not-an-id")
    assert forged.status_code == 422 and "Choose an onsite engineer" in forged.text
    assert (await reload(db, job.id)).state == "QUEUED_FOR_DISPATCH"


async def test_it_asks_for_a_reason_to_reassign(client, make_user, db):
    job, _engineer = await dispatched_job(client, db, make_user)
    other = await make_user("engineer")
    response = await post(client, f"/jobs/{job.id}/assign", engineer_id=str(other.id))
    assert response.status_code == 422 and "reason for the reassignment" in response.text
    response = await post(client, f"/jobs/{job.id}/assign", engineer_id=str(other.id), reason="Li is ill")
    assert response.status_code == 303
    assert (await reload(db, job.id)).engineer_id == other.id


async def test_it_schedules_the_visit_when_the_customer_is_reached(client, make_user, db, clock):
    job, _engineer = await dispatched_job(client, db, make_user)
    clock.advance(minutes=20)
    response = await post(client, f"/jobs/{job.id}/contact", outcome="reached", contact_person="Dr. Wu", **VISIT)
    assert response.status_code == 303, response.text[-2000:]
    job = await reload(db, job.id)
    assert job.state == "SCHEDULED" and job.first_contact_at == clock.now
    s4 = (await db.exec(select(JobDeadline).where(JobDeadline.job_id == job.id, JobDeadline.rule == "S4"))).one()
    assert s4.met_at == clock.now and s4.met_at <= s4.due_at


async def test_it_logs_an_unanswered_call_without_scheduling(client, make_user, db):
    job, _engineer = await dispatched_job(client, db, make_user)
    response = await post(client, f"/jobs/{job.id}/contact", outcome="not_reached", note="voicemail")
    assert response.status_code == 303
    job = await reload(db, job.id)
    assert job.state == "ASSIGNED" and job.first_contact_at is None


async def test_it_refuses_an_appointment_in_the_past_or_beyond_the_zone_limit(client, make_user, db):
    job, _engineer = await dispatched_job(client, db, make_user)
    cases = [
        ({**VISIT, "appointment_date": "2026-11-20"}, "in the past"),
        ({**VISIT, "appointment_date": "2026-11-30"}, "latest date for this zone is 2026-11-25"),
        ({**VISIT, "appointment_to": "09:00"}, "must end after it starts"),
        ({**VISIT, "appointment_date": "someday"}, "Give the appointment"),
    ]
    for visit, message in cases:
        response = await post(client, f"/jobs/{job.id}/contact", outcome="reached", contact_person="Wu", **visit)
        assert response.status_code == 422 and message in response.text, visit
    assert (await reload(db, job.id)).state == "ASSIGNED"
    agreed = await post(
        client,
        f"/jobs/{job.id}/contact",
        outcome="reached",
        contact_person="Wu",
        negotiated_reason="Customer away until Monday",
        **{**VISIT, "appointment_date": "2026-11-30"},
    )
    assert agreed.status_code == 303


async def test_it_flags_a_reschedule_with_less_than_a_days_notice(client, make_user, db, clock):
    job, _engineer = await dispatched_job(client, db, make_user)
    await post(
        client,
        f"/jobs/{job.id}/contact",
        outcome="reached",
        contact_person="Wu",
        **{**VISIT, "appointment_date": "2026-11-25"},
    )  # 41 hours ahead
    early = await post(
        client,
        f"/jobs/{job.id}/reschedule",
        reason="Customer asked",
        **{**VISIT, "appointment_date": "2026-11-25", "appointment_from": "09:00"},
    )
    assert early.status_code == 303
    assert not (await reload(db, job.id)).late_change
    clock.advance(days=1)  # now less than a day before the appointment
    late = await post(
        client,
        f"/jobs/{job.id}/reschedule",
        reason="Engineer delayed",
        **{**VISIT, "appointment_date": "2026-11-25", "appointment_from": "14:00", "appointment_to": "16:00"},
    )
    assert late.status_code == 303
    job = await reload(db, job.id)
    assert job.late_change
    page = await client.get(f"/jobs/{job.id}")
    assert "Late change" in page.text


async def test_it_cancels_only_with_a_reason_and_the_customer_told(client, make_user, db):
    job, _engineer = await dispatched_job(client, db, make_user)
    response = await post(client, f"/jobs/{job.id}/cancel", reason="Fixed itself")
    assert response.status_code == 422 and "Tell the customer first" in response.text
    response = await post(client, f"/jobs/{job.id}/cancel", reason="Fixed itself", customer_informed="on")
    assert response.status_code == 303
    job = await reload(db, job.id)
    assert job.state == "CANCELLED" and not job.is_open and job.next_due_at is None


async def test_it_refuses_a_stale_form_and_says_what_changed(client, make_user, db):
    job, _engineer = await dispatched_job(client, db, make_user)
    stale_version = job.version - 1
    response = await post(
        client, f"/jobs/{job.id}/cancel", reason="x", customer_informed="on", version=str(stale_version)
    )
    assert response.status_code == 409
    assert "This job changed while you were looking at it" in response.text and "Assigned" in response.text
    assert (await reload(db, job.id)).state == "ASSIGNED"


async def test_it_hides_another_engineers_job_even_with_its_id(client, make_user, db, settings, clock):
    from litestar.testing import AsyncTestClient

    from app.main import create_app

    job, owner = await dispatched_job(client, db, make_user)
    intruder = await make_user("engineer")
    async with AsyncTestClient(app=create_app(settings, clock)) as phone:
        await phone.get("/login")
        await sign_in(phone, intruder)
        assert (await phone.get(f"/jobs/{job.id}")).status_code == 404
        response = await post(phone, f"/jobs/{job.id}/contact", outcome="not_reached")
        assert response.status_code == 404
        assert job.number not in (await phone.get("/jobs/mine")).text
        await sign_in(phone, owner)
        assert job.number in (await phone.get("/jobs/mine")).text
    events = (await db.exec(select(JobEvent).where(JobEvent.job_id == job.id))).all()
    assert all(e.actor_id != intruder.id for e in events)


async def test_it_lets_the_engineer_record_contact_and_set_off(client, make_user, db, settings, clock):
    from litestar.testing import AsyncTestClient

    from app.main import create_app

    job, engineer = await dispatched_job(client, db, make_user)
    async with AsyncTestClient(app=create_app(settings, clock)) as phone:
        await phone.get("/login")
        await sign_in(phone, engineer)
        device_time = (clock.now - timedelta(minutes=2)).isoformat()
        response = await phone.post(
            f"/jobs/{job.id}/contact",
            data={"outcome": "reached", "contact_person": "Wu", **VISIT},
            headers={"x-csrftoken": phone.cookies["csrftoken"], "x-device-time": device_time},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert (await post(phone, f"/jobs/{job.id}/travel")).status_code == 303
    job = await reload(db, job.id)
    assert job.state == "EN_ROUTE"
    contact = (
        await db.exec(select(JobEvent).where(JobEvent.job_id == job.id, JobEvent.kind == "customer_contacted"))
    ).one()
    assert contact.device_at.isoformat() == device_time and contact.actor_role == "engineer"


async def test_it_refuses_completion_and_names_the_open_gates(client, make_user, db):
    job, _engineer = await dispatched_job(client, db, make_user)
    response = await post(client, f"/jobs/{job.id}/complete")
    assert response.status_code == 422
    assert "Waiting for the customer&#39;s signature on the service report." in response.text
    assert (await reload(db, job.id)).state == "ASSIGNED"


async def test_it_offers_on_my_way_only_on_a_scheduled_visit_and_first_on_the_page(
    client, make_user, db, settings, clock
):
    from litestar.testing import AsyncTestClient

    from app.main import create_app

    job, engineer = await dispatched_job(client, db, make_user)
    async with AsyncTestClient(app=create_app(settings, clock)) as phone:
        await phone.get("/login")
        await sign_in(phone, engineer)
        page = (await phone.get(f"/jobs/{job.id}")).text
        assert "I&#39;m on my way" not in page and "I'm on my way" not in page  # assigned: contact first
        refused = await post(phone, f"/jobs/{job.id}/travel")
        assert refused.status_code == 422 and "scheduled visit of your own" in refused.text
        assert (await reload(db, job.id)).state == "ASSIGNED"
        await post(phone, f"/jobs/{job.id}/contact", outcome="reached", contact_person="Wu", **VISIT)
        page = (await phone.get(f"/jobs/{job.id}")).text
        travel = page.index('data-testid="travel"')
        assert travel < page.index('data-testid="open-checklist"') < page.index('id="order-title"')
        assert (await post(phone, f"/jobs/{job.id}/travel")).status_code == 303
        assert 'data-testid="travel"' not in (await phone.get(f"/jobs/{job.id}")).text
