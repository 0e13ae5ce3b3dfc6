"""The clocks of domain.md §4 added on top of the job deadlines: return-to-factory repair (S29), the major case told
to the system-integration lead (S31), the start-of-day panel (S9), the idle engineer (S32) and the reception's
live stock sheet (S20)."""

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from app.accounts.models import Office
from app.carryin.models import CarryInOrder
from app.core.database import transaction
from app.jobs.models import Escalation, JobDeadline, JobTeamMember
from app.notify.models import Notification
from tests.helpers.after import take_in
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import VISIT, post, reload, take_request
from tests.helpers.notify import scheduler_for
from tests.helpers.offices import second_office, user_of
from tests.helpers.parts import add_units

# The fake clock starts on Monday 23 November 2026, 17:00 in Shanghai (09:00 UTC): 30 minutes before closing.


@pytest.fixture
async def scheduler(engine, settings, clock):
    async with scheduler_for(engine, settings, clock) as scheduler:
        yield scheduler


async def deadlines(db, job) -> dict[str, JobDeadline]:
    query = select(JobDeadline).where(JobDeadline.job_id == job.id).execution_options(populate_existing=True)
    return {deadline.rule: deadline for deadline in (await db.exec(query)).all()}


async def messages(db, user, trigger: str) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id, Notification.trigger == trigger)
    return list((await db.exec(query.execution_options(populate_existing=True))).all())


async def order_of(db, job) -> CarryInOrder:
    query = select(CarryInOrder).where(CarryInOrder.job_id == job.id).execution_options(populate_existing=True)
    return (await db.exec(query)).one()


async def in_repair(client, db, make_user):
    """A carry-in device taken in by reception and under repair by an in-station engineer."""
    reception = await make_user("reception")
    engineer = await make_user("engineer")
    await sign_in(client, reception)
    job, _order = await take_in(client, db)
    assert (await post(client, f"/carry-in/{job.id}/steps/store")).status_code == 303
    await sign_in(client, engineer)
    assert (await post(client, f"/carry-in/{job.id}/steps/start_repair", serial="lx-0001")).status_code == 303
    return await reload(db, job.id), reception, engineer


def section(page: str, marker: str) -> str:
    start = page.index(marker)
    return page[start : page.index("</section>", start)]


async def test_a_device_sent_to_the_factory_is_due_back_in_ten_working_days_and_its_person_is_told(
    client, db, make_user, clock, scheduler
):
    job, reception, engineer = await in_repair(client, db, make_user)
    named = await make_user("coordinator", display_name="Factory Liu")
    assert "Send to the factory" in (await client.get(f"/carry-in/{job.id}")).text
    response = await post(
        client, f"/carry-in/{job.id}/factory/send", factory_responsible_id=str(named.id), factory_note="Main board"
    )
    assert response.status_code == 303
    clocks = await deadlines(db, job)
    assert clocks["S12"].met_at == clock()  # the station's 3 days stop: the factory's clock runs
    assert clocks["S29"].due_at == datetime(2026, 12, 7, 9, 30, tzinfo=UTC)  # 10 working days, end of day
    assert clocks["S29"].met_at is None
    order = await order_of(db, job)
    assert order.factory_responsible_id == named.id and order.factory_note == "Main board" and order.at_factory
    refused = await post(client, f"/carry-in/{job.id}/steps/repaired")
    assert refused.status_code == 422 and "still at the factory" in refused.text
    assert (
        await post(client, f"/carry-in/{job.id}/factory/send", factory_responsible_id=str(named.id))
    ).status_code == 422
    await sign_in(client, reception)
    counter = (await client.get("/carry-in/")).text
    assert 'data-flag="at-factory"' in counter and 'data-flag="factory-overdue"' not in counter
    clock.advance(days=14)  # Monday 7 December, 17:00 in Shanghai: not yet
    await scheduler.tick()
    assert await messages(db, named, "overdue") == []
    clock.advance(hours=1)
    counter = (await client.get("/carry-in/")).text
    assert 'data-flag="factory-overdue"' in counter
    page = (await client.get(f"/carry-in/{job.id}")).text
    assert 'data-flag="factory-overdue"' in page and "Factory Liu" in page
    await scheduler.tick()
    await scheduler.tick()
    [told] = await messages(db, named, "overdue")
    assert "Back from the factory" in told.body and job.number in told.body
    assert await messages(db, reception, "overdue") == [] and await messages(db, engineer, "overdue") == []
    assert (await post(client, f"/carry-in/{job.id}/factory/back")).status_code == 303
    assert (await deadlines(db, job))["S29"].met_at == clock()
    counter = (await client.get("/carry-in/")).text
    assert 'data-flag="at-factory"' not in counter and 'data-flag="factory-overdue"' not in counter
    history = (await client.get(f"/jobs/{job.id}")).text
    assert "Sent to the factory" in history and "Back from the factory" in history
    await sign_in(client, engineer)
    assert (await post(client, f"/carry-in/{job.id}/steps/repaired")).status_code == 303


async def test_a_new_factory_date_needs_a_reason_and_moves_the_deadline(client, db, make_user, clock, scheduler):
    job, reception, _engineer = await in_repair(client, db, make_user)
    await sign_in(client, reception)
    url = f"/carry-in/{job.id}/factory"
    assert (await post(client, f"{url}/new-date", factory_date="2026-12-10", factory_reason="x")).status_code == 422
    assert (await post(client, f"{url}/send", factory_responsible_id=str(reception.id))).status_code == 303
    for date, reason, message in [
        ("2026-12-10", "", "Reason is required"),
        ("10/12/2026", "Board on back order", "Enter the new date"),
        ("2026-12-12", "Board on back order", "working day after the current date"),  # a Saturday
        ("2026-12-04", "Board on back order", "working day after the current date"),  # before the current date
        ("2028-12-04", "Board on back order", "within a year"),
    ]:
        response = await post(client, f"{url}/new-date", factory_date=date, factory_reason=reason)
        assert response.status_code == 422 and message in response.text, date
    assert (await deadlines(db, job))["S29"].due_at == datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    response = await post(client, f"{url}/new-date", factory_date="2026-12-10", factory_reason="Board on back order")
    assert response.status_code == 303
    rows = (await db.exec(select(JobDeadline).where(JobDeadline.job_id == job.id, JobDeadline.rule == "S29"))).all()
    assert len(rows) == 1
    assert (await deadlines(db, job))["S29"].due_at == datetime(2026, 12, 10, 9, 30, tzinfo=UTC)
    assert (await order_of(db, job)).factory_reason == "Board on back order"
    page = (await client.get(f"/carry-in/{job.id}")).text
    assert "New date agreed: Board on back order" in page
    clock.advance(days=14, hours=1)  # past the first date, before the new one
    await scheduler.tick()
    assert await messages(db, reception, "overdue") == []
    assert 'data-flag="factory-overdue"' not in (await client.get("/carry-in/")).text
    clock.advance(days=3)
    await scheduler.tick()
    assert len(await messages(db, reception, "overdue")) == 1
    assert "New factory return date agreed" in (await client.get(f"/jobs/{job.id}")).text


async def test_it_refuses_a_factory_return_without_a_person_of_the_office(client, db, make_user, clock):
    job, reception, _engineer = await in_repair(client, db, make_user)
    regional = await make_user("regional")
    stranger = await user_of(db, await second_office(db), "coordinator", clock)
    await sign_in(client, reception)
    url = f"/carry-in/{job.id}/factory/send"
    for person, message in [
        ("", "Name the person responsible"),
        ("not-a-user", "Choose a person from the list"),
        ("00000000-0000-4000-8000-000000000000", "Choose a person from the list"),
        (str(regional.id), "Choose a person from the list"),
        (str(stranger.id), "Choose a person from the list"),
    ]:
        response = await post(client, url, factory_responsible_id=person, factory_note="x" * 10)
        assert response.status_code == 422 and message in response.text, person
    too_long = await post(client, url, factory_responsible_id=str(reception.id), factory_note="x" * 501)
    assert too_long.status_code == 422
    assert (await post(client, f"/carry-in/{job.id}/factory/back")).status_code == 422
    assert (await post(client, f"/carry-in/{job.id}/factory/elsewhere")).status_code == 422
    assert not (await order_of(db, job)).factory_sent_at and "S29" not in await deadlines(db, job)
    assert (await reload(db, job.id)).state == "IN_REPAIR"


async def set_lead(client, lead_id: str):
    data = {"name": "Main office", "integration_lead_id": lead_id}
    files = {"logo": ("", b"", "application/octet-stream")}
    return await client.post("/office", data=data, files=files, headers=csrf(client), follow_redirects=False)


async def test_only_a_coordinator_or_manager_of_the_office_can_be_the_lead(client, db, make_user, clock, office):
    manager = await make_user("manager")
    engineer = await make_user("engineer")
    lead = await make_user("coordinator", display_name="Lead Zhang")
    stranger = await user_of(db, await second_office(db), "coordinator", clock)
    await sign_in(client, manager)
    assert "Lead Zhang" in (await client.get("/office")).text
    for refused in [str(engineer.id), str(stranger.id), "nobody"]:
        response = await set_lead(client, refused)
        assert response.status_code == 422 and "Choose a coordinator or manager" in response.text
    assert (await db.get(Office, office.id, populate_existing=True)).integration_lead_id is None
    assert (await set_lead(client, str(lead.id))).status_code == 303
    assert (await db.get(Office, office.id, populate_existing=True)).integration_lead_id == lead.id
    assert (await set_lead(client, "")).status_code == 303
    assert (await db.get(Office, office.id, populate_existing=True)).integration_lead_id is None


async def test_a_major_case_tells_the_integration_lead_at_once_and_waits_for_the_lead(
    client, db, make_user, clock, scheduler
):
    manager = await make_user("manager")
    lead = await make_user("coordinator", display_name="Lead Zhang")
    coordinator = await make_user("coordinator")
    await sign_in(client, manager)
    assert (await set_lead(client, str(lead.id))).status_code == 303
    await sign_in(client, coordinator)
    job = await take_request(client, db)
    minor = {"level": "L2", "symptoms": "Noise", "actions_taken": "Listened"}
    assert (await client.post(f"/jobs/{job.id}/escalate", data=minor, headers=csrf(client))).status_code == 200
    assert "S31" not in await deadlines(db, job) and await messages(db, lead, "major_case") == []
    major = {"level": "L1", "symptoms": "Network down at the hospital", "actions_taken": "Restarted"}
    assert (await client.post(f"/jobs/{job.id}/escalate", data=major, headers=csrf(client))).status_code == 200
    [told] = await messages(db, lead, "major_case")  # at once, through the outbox
    assert "Network down at the hospital" in told.body and job.number in told.body
    s31 = (await deadlines(db, job))["S31"]
    assert s31.due_at == datetime(2026, 11, 23, 9, 30, tzinfo=UTC) and s31.met_at is None  # 30 working minutes
    escalation = (await db.exec(select(Escalation).where(Escalation.level == "L1"))).one()
    page = (await client.get(f"/jobs/{job.id}")).text
    assert "Seen by the system-integration lead" not in page  # offered to the lead only
    refused = await post(client, f"/escalations/{escalation.id}/lead-acknowledge")
    assert refused.status_code == 403
    clock.advance(hours=1)
    await scheduler.tick()
    await scheduler.tick()
    overdue = [m for m in await messages(db, lead, "overdue") if "system-integration lead" in m.body]
    assert len(overdue) == 1
    await sign_in(client, lead)
    assert "Seen by the system-integration lead" in (await client.get(f"/jobs/{job.id}")).text
    assert (await post(client, f"/escalations/{escalation.id}/lead-acknowledge")).status_code == 303
    assert (await deadlines(db, job))["S31"].met_at == clock()
    escalation = await db.get(Escalation, escalation.id, populate_existing=True)
    assert escalation.lead_acknowledged_at == clock() and escalation.acknowledged_at is None
    page = (await client.get(f"/jobs/{job.id}")).text
    assert "/lead-acknowledge" not in page and "· seen by the system-integration lead" in page


async def test_the_board_lists_recent_unassigned_requests_still_within_their_promise(client, db, make_user, clock):
    await sign_in(client, await make_user("coordinator"))
    engineer = await make_user("engineer")
    recent = await take_request(client, db, device_serial="SOD-1")
    far = await take_request(client, db, device_serial="SOD-2", zone="BEYOND_80KM")
    thursday = await take_request(client, db, device_serial="SOD-3", requested_at="2026-11-19T09:00")
    wednesday = await take_request(
        client, db, device_serial="SOD-4", zone="WITHIN_80KM", requested_at="2026-11-18T10:00"
    )
    assigned = await take_request(client, db, device_serial="SOD-5")
    assert (await post(client, f"/jobs/{assigned.id}/assign", engineer_id=str(engineer.id))).status_code == 303
    panel = section((await client.get("/board")).text, 'data-testid="start-of-day"')
    for job in (recent, far, thursday):
        assert job.number in panel, job.number
    assert wednesday.number not in panel and assigned.number not in panel  # too old; has an engineer
    assert '<span class="badge warn">3</span>' in panel
    assert 'data-testid="start-of-day"' not in (await client.get("/board", params={"zone": "IN_AREA"})).text
    clock.advance(hours=1)  # Thursday's request is now past its 2 working days (S5): red on the board instead
    panel = section((await client.get("/board")).text, 'data-testid="start-of-day"')
    assert thursday.number not in panel and recent.number in panel and far.number in panel


async def test_the_start_of_day_panel_lists_the_oldest_thirty_and_counts_them_all(client, db, make_user):
    await sign_in(client, await make_user("coordinator"))
    jobs = [await take_request(client, db, device_serial=f"SOD-{n}") for n in range(32)]
    panel = section((await client.get("/board")).text, 'data-testid="start-of-day"')
    assert '<span class="badge warn">32</span>' in panel
    listed = [job for job in jobs if f'data-job="{job.number}"' in panel]
    assert listed == jobs[:30]  # the oldest first


async def test_the_board_flags_an_engineer_with_no_job_in_hand_for_30_minutes(client, db, make_user, clock):
    coordinator = await make_user("coordinator")
    idle = await make_user("engineer", display_name="Idle Wang")
    busy = await make_user("engineer", display_name="Busy Li")
    team = await make_user("engineer", display_name="Team Zhao")  # in the lead's team on the same job
    await sign_in(client, coordinator)
    job = await take_request(client, db)
    assert (await post(client, f"/jobs/{job.id}/assign", engineer_id=str(busy.id))).status_code == 303
    async with transaction(db):
        db.add(JobTeamMember(job_id=job.id, user_id=team.id))
    await sign_in(client, busy)
    response = await post(client, f"/jobs/{job.id}/contact", outcome="reached", contact_person="Wu", **VISIT)
    assert response.status_code == 303  # the engineer's own action, just now

    async def flagged() -> set[str]:
        await sign_in(client, coordinator)
        panel = section((await client.get("/board")).text, 'id="board-engineers"')
        return {name for name, user in (("idle", idle), ("busy", busy), ("team", team)) if _flag_of(panel, user.id)}

    assert await flagged() == {"idle", "team"}  # nothing since the working day began at 08:30
    clock.advance(minutes=20)
    assert await flagged() == {"idle", "team"}
    clock.advance(minutes=30)  # 17:50 in Shanghai: after hours nobody is flagged
    assert await flagged() == set()
    clock.advance(hours=15, minutes=10)  # Tuesday 09:00: 30 working minutes since the day began
    assert await flagged() == {"idle", "busy", "team"}
    await sign_in(client, busy)
    assert (await post(client, f"/jobs/{job.id}/travel")).status_code == 303  # on the way: a job in hand
    assert await flagged() == {"idle"}  # the team's too


def _flag_of(panel: str, user_id) -> bool:
    start = panel.index(f'data-engineer="{user_id}"')
    return 'data-flag="idle"' in panel[start : panel.index("</li>", start)]


async def test_reception_reads_the_live_stock_sheet_from_the_counter(client, db, make_user, office, clock):
    units = await add_units(db, office, clock, count=3, number="PSU-200")
    units[0].status = "OUT"
    db.add(units[0])
    await db.commit()
    await sign_in(client, await make_user("reception"))
    assert 'href="/parts/stock"' in (await client.get("/carry-in/")).text
    sheet = await client.get("/parts/stock")
    assert sheet.status_code == 200 and "PSU-200" in sheet.text and "Station 1: 2" in sheet.text
    assert "refreshed at" in sheet.text
    await sign_in(client, await make_user("engineer"))
    assert (await client.get("/parts/stock")).status_code == 403
