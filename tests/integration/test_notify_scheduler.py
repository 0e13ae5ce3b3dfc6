"""The scheduler: overdue clocks told to the person responsible and then the manager, unacknowledged escalations
passed up the chain (F53), each clock handled once even after downtime; unreachable channels retried with backoff
and finally marked failed for the coordinator, without blocking the job; rolled-back changes tell nobody."""

from dataclasses import replace
from datetime import timedelta

import anyio
import pytest
from litestar.testing import AsyncTestClient
from sqlmodel import select

from app.accounts.acting import Context, load_calendar
from app.core.database import make_sessionmaker, transaction
from app.core.page_cache import OfficeVersion
from app.core.settings import Settings
from app.jobs.lifecycle import record
from app.jobs.models import Escalation, Job
from app.main import create_app
from app.notify.models import Notification, NotificationAttempt
from app.notify.outbox import staff
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import VISIT, dispatched_job, post, reload, take_request
from tests.helpers.notify import notify_settings, scheduler_for, with_phone
from tests.helpers.servers import free_port


@pytest.fixture
def settings(settings, mail, sms):
    return notify_settings(settings, mail, sms, notify_max_attempts=3, notify_first_retry_seconds=30)


@pytest.fixture
async def scheduler(engine, settings, clock):
    async with scheduler_for(engine, settings, clock) as scheduler:
        yield scheduler


async def messages(db, **where) -> list[Notification]:
    query = select(Notification).execution_options(populate_existing=True).order_by(Notification.created_at)
    for name, value in where.items():
        query = query.where(getattr(Notification, name) == value)
    return list((await db.exec(query)).all())


async def test_it_tells_the_coordinator_of_an_overdue_clock_once_then_the_manager(
    client, db, make_user, clock, scheduler, sms
):
    coordinator = await with_phone(db, await make_user("coordinator"), "13600000002")
    manager = await with_phone(db, await make_user("manager"), "13700000001")
    await sign_in(client, coordinator)
    job = await take_request(client, db)  # Monday 17:00 in Shanghai: S4 is due Tuesday 10:00

    def contact_texts(phone: str) -> list[str]:  # S3 (dispatch) runs out too, earlier: its messages are apart
        return [text for text in sms.texts_to(phone) if "First customer contact" in text]

    clock.advance(hours=18)  # the server was down overnight; it comes back after S4 ran out
    await scheduler.tick()
    await scheduler.tick()
    [text] = contact_texts(coordinator.phone)
    assert text.startswith(f"Overdue: First customer contact, {job.number}")
    assert contact_texts(manager.phone) == []
    clock.advance(hours=4)
    await scheduler.tick()
    await scheduler.tick()
    [text] = contact_texts(manager.phone)
    assert text.startswith(f"Still overdue: First customer contact, {job.number}") and "Test coordinator" in text
    assert len(contact_texts(coordinator.phone)) == 1


async def test_it_passes_an_unacknowledged_escalation_up_the_chain(client, db, make_user, clock, scheduler):
    manager = await make_user("manager")
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db)
    data = {"level": "L1", "symptoms": "No image", "actions_taken": "Restarted"}
    assert (await client.post(f"/jobs/{job.id}/escalate", data=data, headers=csrf(client))).status_code == 200
    clock.advance(hours=1)  # past the 30 working minutes to acknowledge
    await scheduler.tick()
    await scheduler.tick()
    escalation = (await db.exec(select(Escalation).execution_options(populate_existing=True))).one()
    assert escalation.tier == "department_manager"
    told = await messages(db, user_id=manager.id, trigger="escalation_moved")
    assert len(told) == 1 and "passed to the Department manager" in told[0].body
    clock.advance(hours=16)  # the new tier's clock ran out the next working morning
    await scheduler.tick()
    escalation = (await db.exec(select(Escalation).execution_options(populate_existing=True))).one()
    assert escalation.tier == "vp_in_charge"
    response = await client.get(f"/jobs/{job.id}")
    assert "passed up the chain automatically" in response.text


async def test_it_stops_passing_up_once_acknowledged(client, db, make_user, clock, scheduler):
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db)
    data = {"level": "L2", "symptoms": "Noise", "actions_taken": "Listened"}
    await client.post(f"/jobs/{job.id}/escalate", data=data, headers=csrf(client))
    escalation = (await db.exec(select(Escalation))).one()
    assert (await post(client, f"/escalations/{escalation.id}/acknowledge")).status_code in {200, 303}
    clock.advance(days=2)
    await scheduler.tick()
    assert (await db.exec(select(Escalation).execution_options(populate_existing=True))).one().tier == (
        "technical_specialist"
    )


async def test_a_change_that_rolls_back_tells_nobody(client, db, make_user, clock, settings):
    await make_user("manager")
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db)
    before = len(await messages(db))
    actor = (await staff(db, job.office_id, "coordinator"))[0]
    ctx = Context(actor=actor, now=clock(), calendar=await load_calendar(db, job.office_id, settings))
    async with make_sessionmaker(db.bind)() as other:
        with pytest.raises(RuntimeError):
            async with transaction(other):
                record(other, await other.get(Job, job.id), ctx, "escalated", details={"level": "L1"})
                raise RuntimeError("the change failed")
        async with transaction(other):  # the next change on that session does not pick it up either
            record(other, await other.get(Job, job.id), ctx, "note")
    assert len(await messages(db)) == before


async def test_an_unreachable_channel_is_retried_then_marked_failed_for_the_coordinator(
    client, db, make_user, clock, engine, settings, sms
):
    settings = replace(settings, smtp_port=free_port())  # no SMTP server listens there
    coordinator = await make_user("coordinator")
    job, _engineer = await dispatched_job(client, db, make_user, customer_email="wu@acme.test")
    sms.failing = True
    response = await post(client, f"/jobs/{job.id}/contact", outcome="reached", contact_person="Wu", **VISIT)
    assert response.status_code == 303  # the job moves on whatever the channels do
    assert (await reload(db, job.id)).state == "SCHEDULED"
    async with scheduler_for(engine, settings, clock) as scheduler:
        await scheduler.tick()
        [email] = await messages(db, channel="email")
        assert (email.status, email.attempts) == ("pending", 1)
        assert email.next_attempt_at == clock.now + timedelta(seconds=30)
        await scheduler.tick()  # not due yet: no new attempt
        assert (await messages(db, channel="email"))[0].attempts == 1
        sms.failing = False  # the SMS provider is back
        clock.advance(seconds=30)
        await scheduler.tick()
        clock.advance(seconds=60)
        await scheduler.tick()
    [email] = await messages(db, channel="email")
    [text] = await messages(db, channel="sms")
    assert (email.status, email.attempts, text.status, text.attempts) == ("failed", 3, "sent", 2)
    attempts = (await db.exec(select(NotificationAttempt).where(NotificationAttempt.notification_id == email.id))).all()
    assert [attempt.ok for attempt in attempts] == [False, False, False]
    assert "ConnectionRefusedError" in email.last_error
    [notice] = await messages(db, user_id=coordinator.id, trigger="delivery_failed")
    assert "could not be sent after 3 attempts" in notice.body
    page = await client.get(f"/jobs/{job.id}/messages")
    assert page.status_code == 200 and 'data-status="failed"' in page.text and "not delivered" in page.text


async def test_the_server_runs_the_scheduler_itself(database_url, tmp_path, clock, engine, make_user, db, mail):
    """A server process runs the scheduler itself (the other tests tick it by hand)."""
    settings = Settings(
        database_url=database_url,
        secret_key="s" * 40,
        var_dir=tmp_path,
        log_requests=False,
        smtp_host="127.0.0.1",
        smtp_port=mail.port,
        scheduler_in_server=True,
        scheduler_seconds=0.05,
    )
    coordinator = await make_user("coordinator")
    async with AsyncTestClient(app=create_app(settings, clock)) as client:
        await client.get("/login")
        await sign_in(client, coordinator)
        job, _engineer = await dispatched_job(client, db, make_user, customer_email="wu@acme.test")
        await post(client, f"/jobs/{job.id}/contact", outcome="reached", contact_person="Wu", **VISIT)
        for _wait in range(200):
            if mail.messages:
                break
            await anyio.sleep(0.05)
    assert mail.subjects() == [f"Visit booked: {job.number}"]


async def test_it_tells_the_specialists_of_a_consultation_left_unanswered_for_a_working_day(
    client, db, make_user, clock, scheduler, sms
):
    specialist = await with_phone(db, await make_user("specialist"), "13600000011")
    coordinator = await with_phone(db, await make_user("coordinator"), "13600000012")
    await sign_in(client, coordinator)
    case = await take_request(client, db, job_type="CASE")  # Monday 17:00: S11 is due Tuesday 17:00
    clock.advance(hours=23)
    await scheduler.tick()
    assert sms.texts_to(specialist.phone) == []
    clock.advance(hours=2)
    await scheduler.tick()
    await scheduler.tick()
    [text] = sms.texts_to(specialist.phone)
    assert text.startswith(f"Overdue: Answer to hard question, {case.number}")
    assert sms.texts_to(coordinator.phone) == []


async def test_delivering_a_message_leaves_every_offices_version(db, clock, office, scheduler, mail):
    """No kept page shows a message's delivery (the bell is fetched on its own): the sender's transactions do not
    make every board of every office draw itself again (app/core/change_scope.py)."""
    async with transaction(db):
        db.add(
            Notification(
                office_id=office.id,
                dedupe_key="delivery-test",
                trigger="test",
                channel="email",
                address="lin@example.com",
                locale="en",
                subject="A test",
                body="Delivered",
                status="pending",
                next_attempt_at=clock(),
                created_at=clock(),
            )
        )
    before = await office_versions(db)
    await scheduler.tick()
    (sent,) = await messages(db, dedupe_key="delivery-test")
    assert sent.status == "sent" and await office_versions(db) == before


async def office_versions(db) -> dict:
    rows = await db.exec(select(OfficeVersion).execution_options(populate_existing=True))
    return {row.office_id: row.value for row in rows}
