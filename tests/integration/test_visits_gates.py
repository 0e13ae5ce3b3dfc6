"""Every gate of the visit checklist refuses with a sentence that names what is missing."""

import uuid
from datetime import timedelta

from sqlmodel import select

from app.visits.models import StepResult
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import reload
from tests.helpers.visits import job_on_the_way, photo, step


async def test_it_refuses_the_repair_before_consent_to_open(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "explain")
    response = await step(client, job, "repair", work_done="Swapped the board")
    assert response.status_code == 422
    assert "Do the step “Consent to open the device” first, before “Repair”." in response.text
    assert (await reload(db, job.id)).state == "DIAGNOSING"


async def test_it_refuses_sign_off_before_verification(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "new_problem")
    response = await client.post(f"/visits/{job.id}/steps/signature/handover", headers=csrf(client))
    assert response.status_code == 422
    assert "Do the step “Verify with the customer” first, before “Customer signature”." in response.text


async def test_it_refuses_verification_without_a_photo_and_the_customer_present(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "new_problem")
    checks = {"fault_gone": "on", "parts_working": "on", "cables_sound": "on", "starts_runs": "on"}
    response = await step(client, job, "verify", **checks)
    assert "Confirm “Customer present” to finish “Verify with the customer”." in response.text
    response = await step(client, job, "verify", **checks, customer_present="on")
    assert "“Verify with the customer” needs at least 1 photo." in response.text


async def test_it_refuses_a_step_with_a_blank_required_field(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "arrive")
    response = await step(client, job, "enter", consent_to_enter="on", shoe_covers="on")
    assert response.status_code == 422
    assert "“Who admitted you” is required to finish “Enter the site”." in response.text


async def test_it_accepts_the_serial_lookups_result_with_a_reason_instead_of_the_photo(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "enter")
    response = await step(client, job, "warranty")
    assert "needs at least 1 photo" in response.text
    response = await step(client, job, "warranty", lookup_reason="Card lost")  # free text alone waives nothing (F15)
    assert "needs at least 1 photo" in response.text
    response = await step(client, job, "warranty", lookup_result="in_warranty")
    assert "“Why there is no card” is required" in response.text
    response = await step(client, job, "warranty", lookup_result="in_warranty", lookup_reason="Card lost")
    assert response.status_code == 303


async def test_it_refuses_a_customer_signed_step_through_the_engineer_form(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "evaluation")
    response = await step(client, job, "signature", signer_name="Mrs. Zhao")
    assert "is signed by the customer: hand the phone over first" in response.text


async def test_it_refuses_a_malformed_part_serial(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "authenticity")
    response = await step(client, job, "repair", work_done="New PSU", fitted_serial="??")
    assert response.status_code == 422 and "is not a valid part serial" in response.text


async def test_it_times_the_observation_by_the_server_and_the_phone(client, db, make_user, clock, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "repair_order")
    assert (await photo(client, job, "reproduce")).status_code == 201
    assert (await step(client, job, "reproduce", outcome="not_reproduced")).status_code == 303
    response = await step(client, job, "observe", observation="Ran all morning")
    assert "Start the 30-minute observation timer first." in response.text
    started = clock.now
    await client.post(
        f"/visits/{job.id}/steps/observe/timer", headers={**csrf(client), "x-device-time": started.isoformat()}
    )
    clock.advance(minutes=10)
    response = await step(client, job, "observe", observation="Ran all morning")
    assert "The observation period is not over: 20 more minutes of the 30 required." in response.text
    clock.advance(minutes=21)
    phone_now = (started + timedelta(minutes=5)).isoformat()
    response = await client.post(
        f"/visits/{job.id}/steps/observe",
        data={"id": str(uuid.uuid4()), "observation": "x"},
        headers={**csrf(client), "x-device-time": phone_now},
    )
    assert "The phone&#39;s clock shows less than 30 minutes of observation." in response.text
    response = await step(client, job, "observe", observation="Ran all morning")
    assert response.status_code == 303


async def test_an_observation_timed_on_a_phone_with_no_signal_counts_from_the_phones_start(
    client, db, make_user, clock, world
):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "repair_order")
    assert (await photo(client, job, "reproduce")).status_code == 201
    assert (await step(client, job, "reproduce", outcome="not_reproduced")).status_code == 303
    started_on_phone = clock.now
    clock.advance(minutes=31)  # the outbox delivers the start and the finished step together
    await client.post(
        f"/visits/{job.id}/steps/observe/timer", headers={**csrf(client), "x-device-time": started_on_phone.isoformat()}
    )
    response = await client.post(
        f"/visits/{job.id}/steps/observe",
        data={"id": str(uuid.uuid4()), "observation": "x"},
        headers={**csrf(client), "x-device-time": (started_on_phone + timedelta(minutes=30, seconds=5)).isoformat()},
        follow_redirects=False,
    )
    assert response.status_code == 303


async def test_it_replays_the_same_step_once_and_refuses_a_different_payload_with_the_same_id(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    result_id = str(uuid.uuid4())
    first = await step(client, job, "arrive", id=result_id, badge_shown="on")
    again = await step(client, job, "arrive", id=result_id, badge_shown="on")
    assert first.status_code == again.status_code == 303
    rows = (await db.exec(select(StepResult).where(StepResult.job_id == job.id))).all()
    assert len(rows) == 1
    different = await step(client, job, "arrive", id=result_id, badge_shown="")
    assert different.status_code == 422 and "already sent with different content" in different.text


async def test_it_hides_the_visit_from_another_engineer_and_refuses_coordinators_walking_it(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    other = await make_user("engineer")
    await client.post("/logout", headers=csrf(client))
    await sign_in(client, other)
    assert (await client.get(f"/visits/{job.id}")).status_code == 404
    assert (await step(client, job, "arrive", badge_shown="on")).status_code == 404
    coordinator = await make_user("coordinator")
    await client.post("/logout", headers=csrf(client))
    await sign_in(client, coordinator)
    assert (await client.get(f"/visits/{job.id}")).status_code == 200
    assert (await step(client, job, "arrive", badge_shown="on")).status_code == 403


async def test_it_refuses_completion_while_the_report_is_unsigned(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "verify")
    page = await client.get(f"/jobs/{job.id}")
    assert "Waiting for the customer&#39;s signature on the service report." in page.text
    response = await client.post(f"/visits/{job.id}/steps/signature/handover", headers=csrf(client))
    assert "Do the step “Customer&#39;s evaluation” first" in response.text


async def test_data_at_risk_needs_the_customers_signature_before_the_repair(client, db, make_user, world):
    job, _ = await job_on_the_way(client, db, make_user)
    await world.visit(job, "consent_open")
    response = await step(client, job, "data_risk", at_risk="yes")
    assert "needs one of: Backup done, stored at / Customer waives the backup" in response.text
    assert (await step(client, job, "data_risk", at_risk="yes", backup_location="USB stick")).status_code == 303
    response = await step(client, job, "authenticity", barcodes_checked="on")
    assert "Do the step “Customer&#39;s data-risk consent” first" in response.text
