"""Carry-in at the counter: intake extras, voucher with QR code, workshop steps and pickup (F36–F39)."""

from sqlmodel import select

from app.carryin.models import CarryInOrder
from app.jobs.models import JobDeadline
from tests.helpers.after import carry_in_form, jobs_for_serial, ready_for_pickup, take_in
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import post, reload
from tests.helpers.visits import IMAGE

SIGNATURE = IMAGE  # a real PNG: the server decodes every signature


async def test_it_takes_in_a_device_with_accessories_and_a_promised_pickup_date(client, db, make_user):
    await sign_in(client, await make_user("reception"))
    job, order = await take_in(client, db, accessories_kept=["packaging", "dongle"], customer_items="USB stick")
    assert job.job_type == "CARRY_IN" and job.state == "RECEIVED"
    assert order.accessories_kept == ["packaging", "dongle"] and order.customer_items == "USB stick"
    s12 = (await db.exec(select(JobDeadline).where(JobDeadline.job_id == job.id, JobDeadline.rule == "S12"))).one()
    assert order.promised_pickup_at == s12.due_at
    assert len(order.voucher_code) == 10


async def test_it_prints_three_copies_and_a_qr_code_that_opens_the_job(client, db, make_user):
    await sign_in(client, await make_user("reception"))
    job, order = await take_in(client, db)
    page = await client.get(f"/carry-in/{job.id}/voucher")
    assert page.status_code == 200
    assert page.text.count('class="card order-copy"') == 3 and "<svg" in page.text and order.voucher_code in page.text
    opened = await client.get(f"/carry-in/v/{order.voucher_code}", follow_redirects=False)
    assert opened.headers["location"] == f"/carry-in/{job.id}?code={order.voucher_code}"
    found = await client.get("/carry-in/lookup", params={"code": order.voucher_code.lower()}, follow_redirects=False)
    assert found.headers["location"] == f"/carry-in/{job.id}"
    assert (await client.get("/carry-in/lookup", params={"code": "NOPE"})).status_code == 404


async def test_it_refuses_intake_without_the_signer_or_with_a_staff_name(client, db, make_user):
    reception = await make_user("reception")
    await sign_in(client, reception)
    response = await client.post("/carry-in/", data=carry_in_form(intake_signer_name=""), headers=csrf(client))
    assert response.status_code == 422 and "printed name is required" in response.text
    response = await client.post(
        "/carry-in/", data=carry_in_form(intake_signer_name=reception.display_name), headers=csrf(client)
    )
    assert response.status_code == 422 and "staff account" in response.text
    response = await client.post("/carry-in/", data=carry_in_form(configuration="differs"), headers=csrf(client))
    assert response.status_code == 422 and "Configuration differences is required" in response.text
    assert await jobs_for_serial(db, "LX-0001") == []


async def test_it_hands_over_the_device_with_the_voucher_bench_check_and_signature(client, db, make_user, clock):
    job, order = await ready_for_pickup(client, db, make_user, clock)
    assert job.state == "READY_FOR_PICKUP"
    url = f"/carry-in/{job.id}/pickup"
    base = {
        "collected_by_name": "Wang Ming",
        "bench_verified": "on",
        "pickup_signature": SIGNATURE,
        "voucher_code": order.voucher_code,
    }
    for overrides, message in [
        ({"voucher_code": "WRONG"}, "pickup code does not match"),
        ({"bench_verified": ""}, "Re-verify the device"),
        ({"pickup_signature": ""}, "signature is required"),
    ]:
        response = await post(client, url, **{**base, **overrides})
        assert response.status_code == 422 and message in response.text, overrides
    empty = await post(client, url, voucher_code="", collected_by_name="", bench_verified="", pickup_signature="")
    assert empty.status_code == 422 and "4 fields need your attention" in empty.text
    for message in ["pickup code does not match", "is required", "Re-verify the device", "signature is required"]:
        assert message in empty.text
    assert (await reload(db, job.id)).state == "READY_FOR_PICKUP"
    response = await post(client, url, **base)
    assert response.status_code == 303
    job = await reload(db, job.id)
    await db.refresh(order)
    assert job.state == "COLLECTED" and order.collected_by_name == "Wang Ming" and order.bench_verified
    assert "COLLECTED" in (await client.get(f"/carry-in/{job.id}/voucher")).text
    s16 = (await db.exec(select(JobDeadline).where(JobDeadline.job_id == job.id, JobDeadline.rule == "S16"))).one()
    assert s16.met_at is None  # collected jobs enter the follow-up queue


async def test_it_accepts_an_identity_check_when_the_voucher_is_lost(client, db, make_user, clock):
    job, _order = await ready_for_pickup(client, db, make_user, clock)
    response = await post(
        client,
        f"/carry-in/{job.id}/pickup",
        collected_by_name="Wang Ming",
        bench_verified="on",
        pickup_signature=SIGNATURE,
        identity_check="ID card 1101…",
    )
    assert response.status_code == 303
    assert (await reload(db, job.id)).state == "COLLECTED"


async def test_it_refuses_to_start_a_repair_on_the_wrong_device(client, db, make_user):
    await sign_in(client, await make_user("reception"))
    job, _order = await take_in(client, db)
    await post(client, f"/carry-in/{job.id}/steps/store")
    await sign_in(client, await make_user("engineer"))
    response = await post(client, f"/carry-in/{job.id}/steps/start_repair", serial="OTHER")
    assert response.status_code == 422 and "does not match" in response.text
    assert 'id="f-serial" name="serial"' in response.text and 'aria-invalid="true"' in response.text
    not_offered = await post(client, f"/carry-in/{job.id}/steps/ready")  # still in the storeroom: not offered
    assert not_offered.status_code == 422 and 'data-testid="form-error"' in not_offered.text


async def test_it_flags_overdue_repairs_and_uncollected_devices(client, db, make_user, clock):
    job, order = await ready_for_pickup(client, db, make_user, clock)
    page = (await client.get("/carry-in/")).text
    assert job.number in page and 'data-flag="uncollected"' not in page
    clock.now = order.promised_pickup_at
    clock.advance(minutes=1)
    assert 'data-flag="uncollected"' in (await client.get("/carry-in/")).text
    second, _ = await take_in(client, db, device_serial="LX-0002")
    clock.advance(days=7)
    assert 'data-flag="overdue"' in (await client.get("/carry-in/")).text


async def test_it_admits_only_reception_coordinators_and_managers_to_the_counter(client, db, make_user):
    for role, status in [
        ("engineer", 403),
        ("clerk", 403),
        ("follow_up", 403),
        ("reception", 200),
        ("coordinator", 200),
        ("manager", 200),
    ]:
        await sign_in(client, await make_user(role))
        assert (await client.get("/carry-in/")).status_code == status, role
        assert (await client.get("/carry-in/new")).status_code == status, role


async def test_it_keeps_reception_to_carry_in_jobs(client, db, make_user):
    from tests.helpers.jobs import take_request

    await sign_in(client, await make_user("coordinator"))
    onsite = await take_request(client, db, device_serial="ON-1")
    await sign_in(client, await make_user("reception"))
    assert (await client.get(f"/jobs/{onsite.id}")).status_code == 404


async def test_it_returns_a_device_unrepaired_when_the_customer_declines_the_charge(client, db, make_user):
    reception = await make_user("reception")
    await sign_in(client, reception)
    job, _order = await take_in(client, db)
    await post(client, f"/carry-in/{job.id}/steps/store")
    await sign_in(client, await make_user("engineer"))
    await post(client, f"/carry-in/{job.id}/steps/start_repair", serial="LX-0001")
    response = await post(client, f"/carry-in/{job.id}/steps/ask_customer")
    assert response.status_code == 422 and "Note is required" in response.text
    await post(client, f"/carry-in/{job.id}/steps/ask_customer", note="Liquid damage: paid repair")
    await sign_in(client, reception)
    assert (await post(client, f"/carry-in/{job.id}/steps/declined", note="Too expensive")).status_code == 303
    job = await reload(db, job.id)
    assert job.state == "READY_FOR_PICKUP" and job.outcome == "returned_unrepaired"


async def test_it_times_the_pickup_notice_from_repair_to_ready(client, db, make_user, clock):
    job, _order = await ready_for_pickup(client, db, make_user, clock)
    s13 = (await db.exec(select(JobDeadline).where(JobDeadline.job_id == job.id, JobDeadline.rule == "S13"))).one()
    assert s13.met_at == clock() and s13.met_at <= s13.due_at


async def test_it_takes_in_a_carry_in_job_created_elsewhere_at_the_counter(client, db, make_user):
    from tests.helpers.jobs import intake_form

    await sign_in(client, await make_user("coordinator"))
    response = await client.post(
        "/jobs/",
        data=intake_form(job_type="CARRY_IN", device_serial="TB-1"),
        headers=csrf(client),
        follow_redirects=False,
    )
    assert response.status_code == 303
    [job] = await jobs_for_serial(db, "TB-1")
    await sign_in(client, await make_user("reception"))
    assert f"/carry-in/{job.id}/intake" in (await client.get("/carry-in/")).text
    response = await post(
        client,
        f"/carry-in/{job.id}/intake",
        configuration="matches",
        intake_signer_name="Dr. Wu",
        intake_signature=SIGNATURE,
        accessories_kept="packaging",
    )
    assert response.status_code == 303 and response.headers["location"] == f"/carry-in/{job.id}/voucher"
    order = (await db.exec(select(CarryInOrder).where(CarryInOrder.job_id == job.id))).one()
    assert order.intake_signer_name == "Dr. Wu" and order.accessories_kept == ["packaging"]
    again = await post(
        client,
        f"/carry-in/{job.id}/intake",
        configuration="matches",
        intake_signer_name="Dr. Wu",
        intake_signature=SIGNATURE,
    )
    assert again.status_code == 422 and "does not need a carry-in intake" in again.text
