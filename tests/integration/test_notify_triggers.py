"""Each trigger of the manuals writes its message with the change, and the scheduler delivers it: read back from a
real local SMTP server and a local HTTP receiver standing in for the SMS provider."""

import pytest
from sqlmodel import select

from app.notify.models import Notification
from tests.helpers.after import completed_job, ready_for_pickup
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import VISIT, dispatched_job, post, reload, take_request
from tests.helpers.notify import notify_settings, scheduler_for, with_phone

CONTACT_PHONE = "13800138000"  # the intake form's contact phone (jobs_helpers.intake_form)
CUSTOMER_EMAIL = "wu@acme-hospital.test"


@pytest.fixture
def settings(settings, mail, sms):
    return notify_settings(settings, mail, sms)


@pytest.fixture
async def scheduler(engine, settings, clock):
    async with scheduler_for(engine, settings, clock) as scheduler:
        yield scheduler


async def scheduled_job(client, db, make_user, **overrides):
    job, engineer = await dispatched_job(client, db, make_user, customer_email=CUSTOMER_EMAIL, **overrides)
    response = await post(client, f"/jobs/{job.id}/contact", outcome="reached", contact_person="Dr. Wu", **VISIT)
    assert response.status_code == 303, response.text[-2000:]
    return await reload(db, job.id), engineer


async def test_it_confirms_the_agreed_window_to_the_customer_by_email_and_sms(
    client, db, make_user, scheduler, mail, sms
):
    job, _engineer = await scheduled_job(client, db, make_user)
    await scheduler.tick()
    [email] = mail.to(CUSTOMER_EMAIL)
    assert email["Subject"] == f"Visit booked: {job.number}"
    assert email["From"] == "office@onsite.test"
    assert "is booked for" in email.get_content() and "XR-200 SN-1001" in email.get_content()
    [text] = sms.texts_to(CONTACT_PHONE)
    assert text.startswith(f"Visit booked: {job.number}")
    assert sms.received[0]["authorization"] == "Bearer test-key"


async def test_it_writes_to_a_chinese_customer_in_chinese(client, db, make_user, scheduler, mail):
    job, _engineer = await scheduled_job(client, db, make_user, customer_locale="zh_Hans")
    await scheduler.tick()
    [email] = mail.to(CUSTOMER_EMAIL)
    assert job.number in email["Subject"] and "Visit booked" not in email["Subject"]
    assert "预约" in email["Subject"]


async def test_it_confirms_a_reschedule(client, db, make_user, scheduler, mail):
    job, _engineer = await scheduled_job(client, db, make_user)
    moved = {**VISIT, "appointment_from": "14:00", "appointment_to": "16:00"}
    response = await post(
        client, f"/jobs/{job.id}/reschedule", reason="Customer asked", version=str(job.version), **moved
    )
    assert response.status_code == 303, response.text[-2000:]
    await scheduler.tick()
    assert mail.subjects() == [f"Visit booked: {job.number}", f"Visit moved: {job.number}"]
    assert "has been moved to" in mail.to(CUSTOMER_EMAIL)[1].get_content()


async def test_it_tells_the_customer_the_engineer_is_on_the_way(client, db, make_user, scheduler, sms):
    job, engineer = await scheduled_job(client, db, make_user)
    await sign_in(client, engineer)
    assert (await post(client, f"/jobs/{job.id}/travel")).status_code == 303
    await scheduler.tick()
    texts = sms.texts_to(CONTACT_PHONE)
    assert texts[-1].startswith(f"Engineer on the way: {job.number}") and engineer.display_name in texts[-1]


async def test_it_tells_a_carry_in_customer_the_device_is_ready_and_reminds_them_later(
    client, db, make_user, clock, scheduler, sms
):
    job, _order = await ready_for_pickup(client, db, make_user, clock)
    await scheduler.tick()
    customer_phone = "13900139000"  # the carry-in form's contact phone
    assert [text.split("\n")[0] for text in sms.texts_to(customer_phone)] == [f"Ready for pickup: {job.number}"]
    clock.advance(days=6)  # past the promised pickup date, and ready for more than a day
    await scheduler.tick()
    await scheduler.tick()
    texts = sms.texts_to(customer_phone)
    assert len(texts) == 2 and texts[1].startswith(f"Reminder: please collect {job.number}")


async def test_it_tells_the_manager_of_an_l1_escalation_at_once(client, db, make_user, scheduler, sms):
    manager = await with_phone(db, await make_user("manager"), "13700000001")
    job, _engineer = await scheduled_job(client, db, make_user)
    data = {"level": "L1", "symptoms": "Smoke from the power supply", "actions_taken": "Switched off"}
    response = await client.post(f"/jobs/{job.id}/escalate", data=data, headers=csrf(client), follow_redirects=False)
    assert response.status_code == 303
    await scheduler.tick()
    [text] = sms.texts_to(manager.phone)
    assert text.startswith(f"L1 escalation: {job.number}") and "Smoke from the power supply" in text


async def test_it_does_not_call_the_manager_for_an_l3_escalation(client, db, make_user, scheduler, sms):
    manager = await with_phone(db, await make_user("manager"), "13700000001")
    job, _engineer = await scheduled_job(client, db, make_user)
    data = {"level": "L3", "symptoms": "Slow start", "actions_taken": "Observed"}
    await client.post(f"/jobs/{job.id}/escalate", data=data, headers=csrf(client), follow_redirects=False)
    await scheduler.tick()
    assert sms.texts_to(manager.phone) == []


async def test_it_sends_an_urgent_request_to_the_coordinators_on_duty(client, db, make_user, scheduler, sms):
    on_duty = await with_phone(db, await make_user("coordinator"), "13600000002")
    await sign_in(client, on_duty)
    job = await take_request(client, db, priority="urgent")
    await scheduler.tick()
    [text] = sms.texts_to(on_duty.phone)
    assert text.startswith(f"Urgent request: {job.number}") and "Acme Hospital" in text
    chosen = await with_phone(db, await make_user("engineer"), "13600000003")
    job = await reload(db, job.id)
    response = await post(client, f"/jobs/{job.id}/assign", engineer_id=str(chosen.id), version=str(job.version))
    assert response.status_code == 303
    await scheduler.tick()
    [text] = sms.texts_to(chosen.phone)
    assert text.startswith(f"Urgent job for you: {job.number}") and "Acme Hospital" in text


async def test_it_schedules_the_follow_up_call_with_the_caller(client, db, world, make_user, scheduler, sms):
    caller = await with_phone(db, await make_user("follow_up"), "13500000003")
    job = await completed_job(client, world, await make_user("coordinator"))
    await scheduler.tick()
    [text] = sms.texts_to(caller.phone)
    assert text.startswith(f"Follow-up call due: {job.number}")
    await sign_in(client, caller)
    assert (await post(client, f"/follow-ups/{job.id}/calls", outcome="not_reached")).status_code == 303
    await scheduler.tick()
    assert sms.texts_to(caller.phone)[1].startswith(f"Call again: {job.number}")


async def test_it_sends_one_message_for_a_replayed_action(client, db, make_user, scheduler, mail):
    job, _engineer = await dispatched_job(client, db, make_user, customer_email=CUSTOMER_EMAIL)
    data = {"outcome": "reached", "contact_person": "Dr. Wu", "version": str(job.version), **VISIT}
    headers = {**csrf(client), "Idempotency-Key": "contact-0001"}
    for _delivery in range(2):
        response = await client.post(f"/jobs/{job.id}/contact", data=data, headers=headers, follow_redirects=False)
        assert response.status_code == 303
    await scheduler.tick()
    assert mail.subjects() == [f"Visit booked: {job.number}"]
    rows = (await db.exec(select(Notification).where(Notification.channel == "email"))).all()
    assert len(rows) == 1
