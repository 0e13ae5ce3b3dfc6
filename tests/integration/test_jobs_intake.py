"""Taking a repair request (F01–F03)."""

import re
from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import select

from app.jobs.models import Job, JobDeadline, JobEvent
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import intake_form, post, reload, take_request


async def test_it_takes_a_request_and_hands_it_to_dispatch_with_its_clocks(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db)
    assert re.fullmatch(r"MAIN-\d{4}-0001", job.number)
    assert job.state == "QUEUED_FOR_DISPATCH" and job.is_open
    rules = set((await db.exec(select(JobDeadline.rule).where(JobDeadline.job_id == job.id))).all())
    assert rules == {"S3", "S4", "S5"}
    page = await client.get(f"/jobs/{job.id}")
    assert job.number in page.text and "Waiting for dispatch" in page.text
    assert "Hand-over to dispatch" in page.text and "First customer contact" in page.text


async def test_it_numbers_jobs_in_sequence(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    first = await take_request(client, db, device_serial="A-1")
    second = await take_request(client, db, device_serial="A-2")
    assert int(second.number[-4:]) == int(first.number[-4:]) + 1


async def test_it_refuses_a_request_with_a_blank_mandatory_field_and_writes_nothing(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    for field, message in [
        ("site_address", "Site address is required."),
        ("contact_phone", "Contact phone is"),
        ("fault_description", "Fault description is required."),
        ("device_serial", "Device serial is required."),
    ]:
        response = await client.post("/jobs/", data=intake_form(**{field: ""}), headers=csrf(client))
        assert response.status_code == 422
        assert message in response.text
    assert await db.scalar(select(func.count()).select_from(Job)) == 0


async def test_it_refuses_bad_input_with_clear_messages(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    cases = [
        ({"contact_phone": "not a phone"}, "not a valid phone number"),
        ({"zone": "MARS"}, "Choose a valid service zone"),
        ({"warranty_status": "in_warranty", "warranty_basis": "none"}, "based on"),
        ({"warranty_status": "out_of_warranty", "warranty_basis": "invoice"}, "paid service"),
        ({"requested_at": "yesterday"}, "not a valid date and time"),
        ({"customer_id": "not-a-uuid"}, "Choose the customer again"),
        ({"customer_id": "00000000-0000-0000-0000-000000000000"}, "Choose the customer again"),
    ]
    for overrides, message in cases:
        response = await client.post("/jobs/", data=intake_form(**overrides), headers=csrf(client))
        assert response.status_code == 422, overrides
        assert message in response.text, overrides
    assert await db.scalar(select(func.count()).select_from(Job)) == 0


async def test_it_shows_an_open_job_for_the_same_serial_before_creating_a_second(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    first = await take_request(client, db)
    response = await client.post("/jobs/", data=intake_form(), headers=csrf(client))
    assert response.status_code == 422
    assert first.number in response.text and "create another job anyway" in response.text
    fragment = await client.get("/jobs/duplicates", params={"device_serial": "sn-1001"})
    assert first.number in fragment.text
    response = await client.post("/jobs/", data=intake_form(confirm_duplicate="on"), headers=csrf(client))
    assert "belongs to another customer" in response.text  # a new customer cannot take over the device
    second = await take_request(client, db, confirm_duplicate="on", customer_id=str(first.customer_id))
    assert second.id != first.id and second.customer_id == first.customer_id


async def test_it_finds_customers_by_name_phone_or_device_serial(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db)
    for query in ["acme", "6552", "SN-1001"]:
        response = await client.get("/jobs/customers", params={"q": query})
        assert "Acme Hospital" in response.text, query
    second = await take_request(
        client, db, customer_id=str(job.customer_id), customer_name="", customer_phone="", device_serial="SN-2002"
    )
    assert second.customer_id == job.customer_id


async def test_it_keeps_the_request_time_for_the_clocks(client, make_user, db, clock):
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db, requested_at="2026-11-23T16:00")  # 16:00 office time, Monday
    assert job.requested_at.hour == 8  # 16:00 in Asia/Shanghai is 08:00 UTC
    s3 = await _s3(db, job)
    assert s3.due_at == datetime(2026, 11, 23, 8, 30, tzinfo=UTC) and s3.met_at is None  # 30 working minutes
    clock.advance(minutes=10)
    await _assign(client, db, make_user, job)
    s3 = await _s3(db, job)
    assert s3.met_at == clock.now and s3.met_at > s3.due_at  # dispatched 40 minutes late


async def test_the_dispatch_clock_runs_from_the_request_until_an_engineer_is_assigned(client, make_user, db, clock):
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db)  # requested now: 17:00 office time, Monday
    assert (await _s3(db, job)).met_at is None  # taking the request does not meet it
    page = await client.get(f"/jobs/{job.id}")
    assert 'data-rule="S3"' in page.text and "met " not in page.text.split('data-rule="S3"')[1].split("</li>")[0]
    clock.advance(minutes=20)
    await _assign(client, db, make_user, job)
    s3 = await _s3(db, job)
    assert s3.met_at == clock.now and s3.met_at <= s3.due_at


async def _s3(db, job) -> JobDeadline:
    query = select(JobDeadline).where(JobDeadline.job_id == job.id, JobDeadline.rule == "S3")
    return (await db.exec(query.execution_options(populate_existing=True))).one()


async def _assign(client, db, make_user, job) -> None:
    engineer = await make_user("engineer")
    job = await reload(db, job.id)
    response = await post(client, f"/jobs/{job.id}/assign", engineer_id=str(engineer.id), version=str(job.version))
    assert response.status_code == 303, response.text[-2000:]


async def test_it_audits_who_took_the_request_and_from_which_device(client, make_user, db):
    user = await make_user("coordinator")
    await sign_in(client, user)
    job = await take_request(client, db)
    events = (await db.exec(select(JobEvent).where(JobEvent.job_id == job.id).order_by(JobEvent.version))).all()
    assert [e.kind for e in events] == ["created", "handed_to_dispatch"]
    assert all(e.actor_id == user.id and e.actor_role == "coordinator" for e in events)
    assert events[-1].version == job.version


async def test_it_keeps_engineers_and_clerks_from_taking_requests(client, make_user, db):
    await sign_in(client, await make_user("engineer"))
    response = await client.post("/jobs/", data=intake_form(), headers=csrf(client))
    assert response.status_code == 403
    assert await db.scalar(select(func.count()).select_from(Job)) == 0


async def test_it_lets_a_manager_keep_the_holidays_that_stop_the_clocks(client, make_user, db):
    await sign_in(client, await make_user("manager"))
    response = await client.post(
        "/calendar", data={"day": "2026-11-24", "name": "Office move"}, headers=csrf(client), follow_redirects=False
    )
    assert response.status_code == 303
    assert "Office move" in (await client.get("/calendar")).text
    job = await take_request(client, db, requested_at="2026-11-23T10:00")
    s5 = (await db.exec(select(JobDeadline).where(JobDeadline.job_id == job.id, JobDeadline.rule == "S5"))).one()
    assert s5.due_at.date().isoformat() == "2026-11-26"  # Tuesday skipped: Monday + 2 working days = Thursday
    bad = await client.post("/calendar", data={"day": "tomorrow", "name": ""}, headers=csrf(client))
    assert bad.status_code == 422 and "not a valid date" in bad.text and "Name of the day is required." in bad.text
    assert "2 fields need your attention" in bad.text


async def test_it_stores_names_and_addresses_without_bidi_controls(client, make_user, db):
    from app.jobs.models import Customer

    await sign_in(client, await make_user("coordinator"))
    job = await take_request(
        client,
        db,
        customer_name="Acme \u202eHospital\u202c",
        site_address="\u2067Room 5\u2069, 1 Chang'an Ave\u200f",
        contact_name="Dr.\u061c Wu",
    )
    customer = await db.get(Customer, job.customer_id)
    assert (customer.name, job.site_address, job.contact_name) == (
        "Acme Hospital",
        "Room 5, 1 Chang'an Ave",
        "Dr. Wu",
    )


async def test_it_names_every_blank_mandatory_field_at_once_and_writes_nothing(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    blank = {name: "" for name in ["customer_name", "customer_phone", "site_address", "contact_name"]}
    blank |= {"contact_phone": "", "device_model": "", "device_serial": "", "fault_description": ""}
    response = await client.post("/jobs/", data=intake_form(**blank), headers=csrf(client))
    assert response.status_code == 422
    summary = response.text.split('data-testid="error-summary"')[1].split("</div>")[0]
    for message in ["Customer name is required.", "Site address is required.", "Contact person is required."]:
        assert message in summary
    assert "8 fields need your attention" in summary and 'href="#f-device_serial"' in summary
    assert response.text.count('aria-invalid="true"') == 8
    assert await db.scalar(select(func.count()).select_from(Job)) == 0


async def test_it_records_the_onsite_period_status_with_its_basis_and_shows_it(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    refused = await client.post(
        "/jobs/",
        data=intake_form(onsite_period="in_period", warranty_status="unknown", warranty_basis="none"),
        headers=csrf(client),
    )
    assert refused.status_code == 422 and "onsite-period status is based on" in refused.text
    assert await db.scalar(select(func.count()).select_from(Job)) == 0
    job = await take_request(client, db, onsite_period="out_of_period", warranty_basis="serial_lookup")
    assert job.onsite_period == "out_of_period" and job.warranty_basis == "serial_lookup"
    page = await client.get(f"/jobs/{job.id}")
    assert "Past the onsite-service period" in page.text
    default = await take_request(client, db, device_serial="SN-3003")
    assert default.onsite_period == "unknown"


async def test_the_job_page_lists_earlier_jobs_for_the_same_device(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    first = await take_request(client, db, fault_description="Fan noise")
    second = await take_request(
        client, db, customer_id=str(first.customer_id), confirm_duplicate="on", fault_description="No image"
    )
    page = (await client.get(f"/jobs/{second.id}")).text
    earlier = page.split("Earlier jobs for this device or customer")[1].split("</section>")[0]
    assert first.number in earlier and "Fan noise" in earlier and second.number not in earlier
