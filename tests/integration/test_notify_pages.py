"""The bell, the notifications page and a job's messages: what each member of staff sees and may do; the customer's
e-mail address checked at entry."""

from sqlmodel import select

from app.jobs.models import Customer
from app.notify.models import Notification
from tests.helpers.clients import sign_in
from tests.helpers.jobs import VISIT, dispatched_job, intake_form, post, take_request


async def test_it_rings_the_bell_and_marks_notifications_read(client, db, make_user):
    coordinator = await make_user("coordinator")
    other = await make_user("coordinator")
    await sign_in(client, coordinator)
    job = await take_request(client, db, priority="urgent")
    bell = await client.get("/notifications/bell")
    assert 'data-testid="bell-count"' in bell.text and ">1<" in bell.text and "1 unread notification" in bell.text
    page = await client.get("/notifications")
    assert f"Urgent request: {job.number}" in page.text
    mine = (await db.exec(select(Notification).where(Notification.user_id == coordinator.id))).one()
    for _twice in range(2):  # marking again is harmless (a retried tap)
        assert (await post(client, f"/notifications/{mine.id}/read")).status_code == 303
    assert "bell-count" not in (await client.get("/notifications/bell")).text
    theirs = (await db.exec(select(Notification).where(Notification.user_id == other.id))).one()
    assert (await post(client, f"/notifications/{theirs.id}/read")).status_code == 404
    await sign_in(client, other)
    assert (await post(client, "/notifications/read")).status_code == 303
    assert "0 unread notifications" in (await client.get("/notifications/bell")).text


async def test_it_lists_a_jobs_messages_for_coordinators_only(client, db, make_user):
    job, engineer = await dispatched_job(client, db, make_user, customer_email="wu@acme.test")
    await post(client, f"/jobs/{job.id}/contact", outcome="reached", contact_person="Wu", **VISIT)
    page = await client.get(f"/jobs/{job.id}/messages")
    assert page.status_code == 200 and f"Visit booked: {job.number}" in page.text and "wu@acme.test" in page.text
    assert "Waiting to be sent" in page.text
    await sign_in(client, engineer)
    assert (await client.get(f"/jobs/{job.id}/messages")).status_code == 403


async def test_it_says_at_entry_that_an_email_address_is_malformed(client, db, make_user):
    await sign_in(client, await make_user("coordinator"))
    for bad in ["wu@", "wu at acme.test", "wu@acme", "<wu@acme.test>", "wu@acme..test"]:
        response = await client.post(
            "/jobs/", data=intake_form(customer_email=bad), headers={"x-csrftoken": client.cookies["csrftoken"]}
        )
        assert response.status_code == 422 and "Customer e-mail is not a valid e-mail address." in response.text
    bad_phone = await post(client, "/jobs/", **intake_form(contact_phone="call me"))
    assert bad_phone.status_code == 422 and "Contact phone is not a valid phone number." in bad_phone.text
    assert (await db.exec(select(Customer))).all() == []
    await take_request(client, db, customer_email="wu@acme-hospital.test")
    assert (await db.exec(select(Customer.email))).one() == "wu@acme-hospital.test"
