"""S2 call-backs, on SQLite and PostgreSQL: the hotline records one while the caller is on the line (one tap,
safe to send twice), it is due within 30 working minutes, red on the board and the call-back page once late and
told to the coordinators once by the scheduler; closed as answered, tried again, or by the consultation case it
opens; every change audited, and nothing reached across offices, roles or without the form's token."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from app.audit.models import AuditEntry
from app.callbacks.models import CallBack
from app.jobs.models import Job, JobType
from app.notify.models import Notification
from app.reports import kpis
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import intake_form, post, take_request
from tests.helpers.notify import notify_settings, scheduler_for
from tests.helpers.offices import second_office, user_of

TEN_AM = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Beijing, inside working hours
DUE = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)  # 10:30: 30 working minutes later


@pytest.fixture
def settings(settings, mail, sms):
    return notify_settings(settings, mail, sms)


def call_form(**overrides) -> dict[str, str]:
    return {
        "id": str(uuid.uuid4()),
        "customer_name": "Dr. Wu",
        "phone": "13800138000",
        "subject": "Error E42 on the XR-200 after the update",
        **overrides,
    }


async def stored(db) -> list[CallBack]:
    return list((await db.exec(select(CallBack).execution_options(populate_existing=True))).all())


async def record(client, **overrides):
    return await client.post("/callbacks", data=call_form(**overrides), headers=csrf(client), follow_redirects=False)


def card(page: str, name: str) -> str:
    start = page.index(f'data-call-back="{name}"')
    return page[start : page.index("</li>", start)]


async def test_the_hotline_records_a_call_back_due_in_30_working_minutes_once_however_often_it_is_sent(
    client, db, make_user, clock
):
    clock.now = TEN_AM
    coordinator = await make_user("coordinator")
    await sign_in(client, coordinator)
    page = (await client.get("/callbacks")).text
    assert 'data-testid="record-call-back"' in page and 'name="id" value="' in page and "_csrf_token" in page
    assert 'href="/callbacks"' in (await client.get("/jobs/new")).text  # offered where requests are taken
    form = call_form()
    for _ in range(2):  # a double tap: one call-back
        answer = await client.post("/callbacks", data=form, headers=csrf(client), follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/callbacks"
    [row] = await stored(db)
    assert (row.state, row.due_at, row.called_at, row.taken_by_id) == ("open", DUE, TEN_AM, coordinator.id)
    assert row.job_id is None and row.version == 1
    reused = await client.post("/callbacks", data={**form, "subject": "Other"}, headers=csrf(client))
    assert reused.status_code == 422 and "different content" in reused.text  # the same id, another meaning
    [entry] = (await db.exec(select(AuditEntry).where(AuditEntry.action == "call_back_recorded"))).all()
    assert entry.record_id == str(row.id) and entry.actor_id == coordinator.id

    board = (await client.get("/board")).text
    assert 'data-testid="board-call-backs"' in board and "data-overdue" not in card(board, "Dr. Wu")
    assert "10:30" in card(board, "Dr. Wu")

    case = await take_request(client, db, job_type="CASE", device_serial="SN-7")  # linked to a case by its number
    assert (await record(client, job_number=case.number.lower(), customer_name="Ms. Li")).status_code == 303
    linked = next(row for row in await stored(db) if row.customer_name == "Ms. Li")
    assert linked.job_id == case.id
    assert f"/callbacks?job={case.number}" in (await client.get("/jobs/cases")).text


async def test_a_late_call_back_turns_red_and_the_coordinators_are_told_once(
    client, db, make_user, clock, engine, settings
):
    clock.now = TEN_AM
    coordinator = await make_user("coordinator")
    other = await make_user("coordinator")
    await make_user("engineer")
    await sign_in(client, coordinator)
    assert (await record(client)).status_code == 303
    async with scheduler_for(engine, settings, clock) as scheduler:
        await scheduler.tick()  # 10:00: not due yet
        assert (await db.exec(select(Notification).where(Notification.trigger == "call_back_overdue"))).all() == []
        clock.advance(minutes=31)  # 10:31
        await scheduler.tick()
        await scheduler.tick()  # a second tick tells nobody again
    told = (await db.exec(select(Notification).where(Notification.trigger == "call_back_overdue"))).all()
    assert sorted((row.user_id, row.channel) for row in told) == sorted([(coordinator.id, "app"), (other.id, "app")])
    assert "Dr. Wu" in told[0].subject and "13800138000" in told[0].body
    board = (await client.get("/board")).text
    assert "data-overdue" in card(board, "Dr. Wu")
    assert "data-overdue" in card((await client.get("/callbacks")).text, "Dr. Wu")


async def test_called_back_closes_as_answered_keeps_a_try_open_or_opens_a_consultation_case(
    client, db, make_user, clock
):
    clock.now = TEN_AM
    await sign_in(client, await make_user("coordinator"))
    assert (await record(client)).status_code == 303
    [row] = await stored(db)
    page = (await client.get(f"/callbacks/{row.id}")).text
    assert 'data-testid="called-back"' in page and 'name="version" value="1"' in page
    url = f"/callbacks/{row.id}/called"
    for _ in range(2):  # nobody answered; the same form sent twice counts one try
        answer = await post(client, url, outcome="no_answer", note="No answer, try after lunch", version="1")
        assert answer.status_code == 303 and answer.headers["location"] == f"/callbacks/{row.id}"
    [row] = await stored(db)
    assert (row.state, row.tries, row.version, row.note) == ("open", 1, 2, "No answer, try after lunch")
    stale = await post(client, url, outcome="answered", note="Told him to restart", version="1")
    assert stale.status_code == 409  # made from the page before the try
    assert (await post(client, url, outcome="answered", note="", version="2")).status_code == 422  # a note is needed
    answered = await post(client, url, outcome="answered", note="Firmware rollback explained", version="2")
    assert answered.status_code == 303 and answered.headers["location"] == "/callbacks"
    [row] = await stored(db)
    assert (row.state, row.note, row.closed_at, row.version) == ("answered", "Firmware rollback explained", TEN_AM, 3)
    assert (await post(client, url, outcome="no_answer", note="again", version="3")).status_code == 422  # closed
    listed = (await client.get("/callbacks")).text
    assert 'data-testid="call-backs-closed"' in listed and "Called back: answered" in listed
    actions = [entry.action for entry in (await db.exec(select(AuditEntry).order_by(AuditEntry.at))).all()]
    assert actions.count("call_back_no_answer") == 1 and "call_back_answered" in actions

    assert (await record(client, customer_name="Ms. Li", phone="+86 10 6552 9999")).status_code == 303
    second = next(row for row in await stored(db) if row.customer_name == "Ms. Li")
    form = (await client.get(f"/jobs/new?callback={second.id}")).text
    assert f'name="callback_id" value="{second.id}"' in form and 'value="+86 10 6552 9999"' in form
    case_form = intake_form(job_type="CASE", customer_name="Ms. Li", device_serial="SN-5", callback_id=str(second.id))
    opened = await client.post("/jobs/", data=case_form, headers=csrf(client), follow_redirects=False)
    assert opened.status_code == 303
    case = (await db.exec(select(Job).where(Job.device_serial == "SN-5"))).one()
    second = next(row for row in await stored(db) if row.customer_name == "Ms. Li")
    assert case.job_type == JobType.CASE and (second.state, second.case_id) == ("case", case.id)
    again = await client.post("/jobs/", data={**case_form, "device_serial": "SN-6"}, headers=csrf(client))
    assert again.status_code == 422 and "no longer open" in again.text  # the call-back is closed: no second case
    assert (await db.exec(select(Job).where(Job.device_serial == "SN-6"))).first() is None


async def test_call_backs_refuse_forged_ids_other_offices_bad_phones_missing_tokens_and_other_roles(
    client, db, make_user, clock
):
    clock.now = TEN_AM
    east = await second_office(db)
    stranger = await user_of(db, east, "coordinator", clock)
    await sign_in(client, stranger)
    assert (await record(client, customer_name="East caller")).status_code == 303
    theirs = (await stored(db))[0]
    east_case = await take_request(client, db, job_type="CASE", device_serial="SN-E1")

    await sign_in(client, await make_user("coordinator"))
    assert (await client.get(f"/callbacks/{theirs.id}")).status_code == 404
    forged = await post(client, f"/callbacks/{theirs.id}/called", outcome="answered", note="x", version="1")
    assert forged.status_code == 404
    assert (await post(client, f"/callbacks/{uuid.uuid4()}/called", outcome="answered", note="x")).status_code == 404
    assert "East caller" not in (await client.get("/callbacks")).text
    assert "East caller" not in (await client.get("/board")).text
    assert (await client.get(f"/jobs/new?callback={theirs.id}")).status_code == 422
    taken = await client.post(
        "/jobs/", data=intake_form(job_type="CASE", callback_id=str(theirs.id)), headers=csrf(client)
    )
    assert taken.status_code == 422 and (await db.get(CallBack, theirs.id)).state == "open"

    bad_phone = await record(client, phone="call me")
    assert bad_phone.status_code == 422 and "not a valid phone number" in bad_phone.text
    assert (await record(client, job_number=east_case.number)).status_code == 422  # another office's case
    assert (await record(client, id="not-an-id")).status_code == 422
    bad_outcome = await post(client, f"/callbacks/{theirs.id}/called", outcome="hung_up", note="x", version="1")
    assert bad_outcome.status_code == 404  # a bad form about another office's call-back: still not found
    no_token = await client.post("/callbacks", data=call_form(), follow_redirects=False)
    assert no_token.status_code == 403
    assert len(await stored(db)) == 1
    assert (await record(client, customer_name="Own caller")).status_code == 303
    own = next(row for row in await stored(db) if row.customer_name == "Own caller")
    bad_outcome = await post(client, f"/callbacks/{own.id}/called", outcome="hung_up", note="x", version="1")
    assert bad_outcome.status_code == 422 and "valid outcome" in bad_outcome.text
    no_token = await client.post(
        f"/callbacks/{own.id}/called", data={"outcome": "answered", "note": "x", "version": "1"}
    )
    assert no_token.status_code == 403 and (await db.get(CallBack, own.id)).state == "open"

    for role in ("engineer", "specialist", "reception", "follow_up"):
        await sign_in(client, await make_user(role))
        assert (await client.get("/callbacks")).status_code == 403
        assert (await record(client)).status_code == 403
        assert (await post(client, f"/callbacks/{own.id}/called", outcome="answered", note="x")).status_code == 403
    assert len(await stored(db)) == 2 and (await db.get(CallBack, own.id)).state == "open"


async def test_the_monthly_time_rules_count_call_backs_on_time_late_and_open(client, db, make_user, clock, office):
    clock.now = TEN_AM
    await sign_in(client, await make_user("coordinator"))
    for name in ("On time", "Late", "Still open", "Not due yet"):
        if name == "Not due yet":
            clock.advance(minutes=30)  # 11:00, due 11:30
        assert (await record(client, customer_name=name)).status_code == 303
    rows = {row.customer_name: row for row in await stored(db)}
    clock.now = TEN_AM + timedelta(minutes=10)
    on_time = await post(
        client, f"/callbacks/{rows['On time'].id}/called", outcome="answered", note="Done", version="1"
    )
    assert on_time.status_code == 303
    clock.now = TEN_AM + timedelta(minutes=50)  # 10:50: two late, one not due
    late = await post(client, f"/callbacks/{rows['Late'].id}/called", outcome="answered", note="Sorry", version="1")
    assert late.status_code == 303
    month = kpis.Scope(office.id, datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC), clock())
    [s2] = [row for row in await kpis.sla_compliance(db, month) if row.rule == "S2"]
    assert (s2.total, s2.on_time, round(s2.p90_delay_s)) == (3, 1, 20 * 60)  # the open one 20 minutes late so far
    narrowed = kpis.Scope(office.id, month.start, month.end, month.now, zone="IN_AREA")
    assert all(row.rule != "S2" for row in await kpis.sla_compliance(db, narrowed))  # a call has no zone


async def test_the_demo_has_one_call_back_waiting(client, db, clock, monkeypatch, tmp_path):
    from app.demo.load import load_demo_data

    monkeypatch.setenv("ONSITE_VAR_DIR", str(tmp_path))
    assert await load_demo_data(db, clock())
    [row] = await stored(db)
    assert row.state == "open" and row.customer_name == "Ms. Guo Hong" and row.due_at > clock()
