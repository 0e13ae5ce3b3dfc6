"""S19 staff check-ins and S23 the duty rota, on SQLite and PostgreSQL: one tap a working day from the home page
(retry-safe, through the outbox for engineers), who is late on the coordinator's board, the rota page with its
versions, and out-of-hours urgent requests and L1 escalations reaching the person on duty."""

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from app.audit.models import AuditEntry
from app.core.database import transaction
from app.notify.models import Notification
from app.shifts.models import DutyDay, ShiftCheckIn
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import dispatched_job, post, take_request
from tests.helpers.notify import notify_settings, scheduler_for, with_phone
from tests.helpers.offices import second_office, user_of

TODAY = "2026-11-23"  # Monday in Beijing; the office opens at 08:30
BEFORE_OPENING = datetime(2026, 11, 23, 0, 5, tzinfo=UTC)  # 08:05 in Beijing


@pytest.fixture
def settings(settings, mail, sms):
    return notify_settings(settings, mail, sms)


async def check_ins(db) -> list[ShiftCheckIn]:
    return list((await db.exec(select(ShiftCheckIn).execution_options(populate_existing=True))).all())


def staff_row(page: str, username: str) -> str:
    start = page.index(f'data-user="{username}"')
    return page[start : page.index("</li>", start)]


async def test_each_user_checks_in_once_from_the_home_page_and_the_board_shows_who_is_late(
    client, db, make_user, clock
):
    clock.now = BEFORE_OPENING
    coordinator = await make_user("coordinator", username="coord", display_name="Chen Jing")
    engineer = await make_user("engineer", username="liwei", display_name="Li Wei")
    clerk = await make_user("clerk", username="wang", display_name="Wang Fang")
    await sign_in(client, clerk)
    home = (await client.get("/parts/counter")).text
    assert 'hx-get="/shift/check-in"' in home  # the home page loads the panel
    panel = (await client.get("/shift/check-in")).text
    assert 'data-testid="check-in"' in panel and f'value="{TODAY}"' in panel and "by 08:20" in panel
    assert "data-outbox" not in panel and "_csrf_token" in panel  # a plain online form for the counter
    answer = await post(client, "/shift/check-in", day=TODAY)
    assert answer.status_code == 303 and answer.headers["location"] == "/parts/counter"
    assert (await post(client, "/shift/check-in", day=TODAY)).status_code == 303  # sent again: once
    assert 'data-testid="checked-in"' in (await client.get("/shift/check-in")).text

    await sign_in(client, engineer)
    mine = (await client.get("/jobs/mine")).text
    assert 'data-testid="check-in"' in mine and "data-outbox" in mine  # offline-capable on My jobs
    clock.advance(minutes=20)  # 08:25: past the engineer's 08:20, the phone made it at 08:15 while offline
    device = {"X-Device-Time": "2026-11-23T00:15:00+00:00", "Idempotency-Key": "check-in-li-0001", **csrf(client)}
    for _ in range(2):  # the outbox sends it again after a lost answer: the stored answer, one row
        answer = await client.post("/shift/check-in", data={"day": TODAY}, headers=device, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/jobs/mine"
    rows = {row.user_id: row for row in await check_ins(db)}
    assert set(rows) == {clerk.id, engineer.id}
    assert rows[engineer.id].at == datetime(2026, 11, 23, 0, 25, tzinfo=UTC)  # the server's time
    assert rows[engineer.id].device_at == datetime(2026, 11, 23, 0, 15, tzinfo=UTC)  # and the phone's
    assert 'data-testid="checked-in"' in (await client.get("/jobs/mine")).text

    await sign_in(client, coordinator)
    board = (await client.get("/board")).text
    assert 'data-testid="staff-ready"' in board
    assert 'data-state="missing"' in staff_row(board, "coord")  # due 08:10, nothing at 08:25
    assert 'data-state="on_time"' in staff_row(board, "liwei") and "08:15" in staff_row(board, "liwei")
    assert 'data-state="on_time"' in staff_row(board, "wang")
    assert board.index('data-user="coord"') < board.index('data-user="liwei"')  # the missing first
    assert (await post(client, "/shift/check-in", day=TODAY)).status_code == 303
    board = (await client.get("/board")).text
    assert 'data-state="late"' in staff_row(board, "coord") and "Late: checked in at 08:25" in board

    clock.advance(days=5)  # Saturday: the office does not work, nobody is due
    assert 'data-testid="staff-ready"' not in (await client.get("/board")).text
    assert 'data-testid="check-in"' not in (await client.get("/shift/check-in")).text
    refused = await post(client, "/shift/check-in", day="2026-11-28")
    assert refused.status_code == 422 and "does not work on" in refused.text


async def test_a_large_office_is_counted_on_the_board_and_only_the_first_not_ready_are_named(
    client, db, make_user, clock
):
    clock.now = BEFORE_OPENING
    coordinator = await make_user("coordinator", username="coord", display_name="Chen Jing")
    for number in range(12):
        await make_user("engineer", username=f"eng{number:02}", display_name=f"Engineer {number:02}")
    await sign_in(client, await make_user("engineer", username="early", display_name="Early Bird"))
    assert (await post(client, "/shift/check-in", day=TODAY)).status_code == 303
    clock.advance(minutes=17)  # 08:22: the engineers' 08:20 has passed, and the coordinator's 08:10
    await sign_in(client, coordinator)
    board = (await client.get("/board")).text
    counts = board[board.index('data-testid="staff-counts"') :]
    assert counts.startswith('data-testid="staff-counts">Not checked in: 13 · late: 0 · on time: 1 · not due yet: 0')
    panel = board[board.index('data-testid="staff-ready"') : board.index('data-testid="staff-unlisted"')]
    assert panel.count('data-state="missing"') == 10 and 'data-user="early"' not in panel  # the not ready first
    assert "4 more are not named here." in board


def staff_named(board: str) -> list[str]:
    panel = board[board.index('data-testid="staff-ready"') : board.index('data-testid="staff-unlisted"')]
    return [part.split('"', 1)[0] for part in panel.split('data-user="')[1:]]


def staff_counts(board: str) -> str:
    counts = board[board.index('data-testid="staff-counts">') + len('data-testid="staff-counts">') :]
    return counts[: counts.index("</p>")]


async def test_the_panel_names_the_not_ready_first_then_by_their_limit_and_name_and_counts_everyone(
    client, db, make_user, office, clock
):
    clock.now = datetime(2026, 11, 23, 0, 15, tzinfo=UTC)  # 08:15: past the coordinators' 08:10, not the 08:20
    for username, name, role, check_in in [
        ("zhou", "Zhou Min", "coordinator", None),
        ("bai", "Bai Lu", "coordinator", None),
        ("chen", "Chen Jing", "coordinator", (12, None)),  # late: after 08:10
        ("deng", "Deng Hui", "coordinator", (14, 5)),  # on time by the phone's time, which waited in the outbox
        ("aaron", "Aaron Early", "engineer", (14, None)),
        ("clerk", "Bo Clerk", "clerk", None),
        *((f"eng{n}", f"Engineer {n:02}", "engineer", None) for n in range(1, 9)),
    ]:  # a check-in: the server's minute and the phone's past 00:00 UTC (08:00 in Beijing)
        user = await make_user(role, username=username, display_name=name)
        if check_in:
            server, phone = (datetime(2026, 11, 23, 0, minute, tzinfo=UTC) if minute else None for minute in check_in)
            db.add(
                ShiftCheckIn(user_id=user.id, day=date(2026, 11, 23), office_id=office.id, at=server, device_at=phone)
            )
    gone = await make_user("engineer", username="gone", display_name="Aa Gone")  # inactive: not counted
    gone.is_active = False
    await db.commit()
    await sign_in(client, await make_user("regional", username="region", display_name="Aa Region"))  # no office day

    board = (await client.get("/board")).text
    assert staff_counts(board) == "Not checked in: 2 · late: 1 · on time: 2 · not due yet: 9"
    waiting = ["clerk", *(f"eng{n}" for n in range(1, 7))]  # the same limit: by name
    assert staff_named(board) == ["bai", "zhou", "chen", *waiting]
    assert "4 more are not named here." in board

    clock.advance(minutes=10)  # 08:25: everyone's limit has passed
    board = (await client.get("/board")).text
    assert staff_counts(board) == "Not checked in: 11 · late: 1 · on time: 2 · not due yet: 0"
    assert staff_named(board) == ["bai", "zhou", "clerk", *(f"eng{n}" for n in range(1, 8))]  # the 08:10 first
    assert "4 more are not named here." in board


async def test_the_check_in_refuses_another_day_a_forged_form_and_roles_outside_an_office(client, db, make_user, clock):
    engineer = await make_user("engineer")
    await sign_in(client, engineer)
    for day in ("2026-11-20", "yesterday", "2026-11-24", "", "2026-13-45", "2026-11-23T00:00", "x" * 5000):
        answer = await post(client, "/shift/check-in", day=day)
        assert answer.status_code == 422, day
    assert await check_ins(db) == []
    no_token = await client.post("/shift/check-in", data={"day": TODAY}, follow_redirects=False)
    assert no_token.status_code == 403
    forged = await post(client, "/shift/check-in", day=TODAY, user_id=str(uuid.uuid4()), office_id=str(uuid.uuid4()))
    assert forged.status_code == 303  # extra fields name nobody: the check-in is always the signer's own
    [row] = await check_ins(db)
    assert (row.user_id, row.office_id) == (engineer.id, engineer.office_id)
    assert (await post(client, "/shift/check-in", day="2026-11-22")).status_code == 422  # Sunday, a day off
    east = await second_office(db)
    await sign_in(client, await user_of(db, east, "regional", clock))
    assert (await client.get("/shift/check-in")).status_code == 403
    assert (await post(client, "/shift/check-in", day=TODAY)).status_code == 403


async def test_the_coordinator_keeps_the_duty_rota_with_versions(client, db, make_user, clock):
    coordinator = await make_user("coordinator", display_name="Chen Jing")
    engineer = await with_phone(db, await make_user("engineer", display_name="Li Wei"), "13600000011")
    other = await make_user("engineer", display_name="Zhang Min")
    await sign_in(client, coordinator)
    page = (await client.get("/rota")).text
    assert page.count('name="day"') == 14 and f'value="{TODAY}"' in page and "Day off" in page
    choose = {"day": TODAY, "user_id": str(engineer.id), "version": "0"}
    assert (await post(client, "/rota", **choose)).status_code == 303
    assert (await post(client, "/rota", **choose)).status_code == 303  # sent again: no change
    stale = await post(client, "/rota", **{**choose, "user_id": str(other.id)})
    assert stale.status_code == 409 and "changed the duty on this date meanwhile" in stale.text
    assert (await post(client, "/rota", **{**choose, "user_id": str(other.id), "version": "1"})).status_code == 303
    assert (await post(client, "/rota", **{**choose, "user_id": str(engineer.id), "version": "2"})).status_code == 303
    [row] = (await db.exec(select(DutyDay).execution_options(populate_existing=True))).all()
    assert (row.user_id, row.version) == (engineer.id, 3)
    audit = (await db.exec(select(AuditEntry).where(AuditEntry.action == "duty_assigned"))).all()
    assert len(audit) == 3
    board = (await client.get("/board")).text
    assert "On duty today: Li Wei" in board and 'href="tel:13600000011"' in board
    async with transaction(db):  # a person no longer active is on duty no more
        engineer.is_active = False
        db.add(engineer)
    assert "Nobody on duty today." in (await client.get("/board")).text
    cleared = await post(client, "/rota", day=TODAY, user_id="", version="3")
    assert cleared.status_code == 303 and "Nobody on duty today." in (await client.get("/board")).text


async def test_the_rota_refuses_forged_people_other_offices_bad_dates_and_other_roles(client, db, make_user, clock):
    coordinator = await make_user("coordinator")
    clerk = await make_user("clerk")
    engineer = await make_user("engineer")
    east = await second_office(db)
    stranger = await user_of(db, east, "engineer", clock)
    await sign_in(client, coordinator)
    for person in (str(uuid.uuid4()), str(stranger.id), str(clerk.id), "not-an-id", "' OR 1=1 --"):
        answer = await post(client, "/rota", day=TODAY, user_id=person, version="0")
        assert answer.status_code == 422 and "from the list" in answer.text, person
    for day in ("2026-11-22", "2027-03-01", "2026-02-30", "23/11/2026", "", "\x00"):
        answer = await post(client, "/rota", day=day, user_id=str(engineer.id), version="0")
        assert answer.status_code == 422 and ("Choose a date" in answer.text or day == "\x00"), day
    assert (await post(client, "/rota", day=TODAY, user_id=str(engineer.id), version="x")).status_code == 409
    assert (await db.exec(select(DutyDay))).all() == []
    await sign_in(client, engineer)
    assert (await client.get("/rota")).status_code == 403
    assert (await post(client, "/rota", day=TODAY, user_id=str(engineer.id), version="0")).status_code == 403
    await sign_in(client, await user_of(db, east, "manager", clock))  # the other office's manager: its own rota
    assert (await post(client, "/rota", day=TODAY, user_id=str(engineer.id), version="0")).status_code == 422
    assert (await post(client, "/rota", day=TODAY, user_id=str(stranger.id), version="0")).status_code == 303
    [row] = (await db.exec(select(DutyDay))).all()
    assert row.office_id == east.id


async def test_an_urgent_request_or_l1_escalation_out_of_hours_reaches_the_person_on_duty(
    client, db, make_user, clock, engine, settings, sms
):
    duty = await with_phone(db, await make_user("engineer", display_name="Li Wei"), "13600000021")
    job, _engineer = await dispatched_job(client, db, make_user)  # signed in as its coordinator, 17:00 Monday
    assert (await post(client, "/rota", day=TODAY, user_id=str(duty.id), version="0")).status_code == 303
    await take_request(client, db, priority="urgent", device_serial="SN-2001")  # in working hours
    clock.advance(hours=1)  # 18:00 in Beijing: the office is closed, the duty mobile answers
    late = await take_request(client, db, priority="urgent", device_serial="SN-2002")
    escalation = {"level": "L1", "symptoms": "Smoke from the power supply", "actions_taken": "Unplugged"}
    assert (await post(client, f"/jobs/{job.id}/escalate", **escalation)).status_code == 303
    async with scheduler_for(engine, settings, clock) as scheduler:
        await scheduler.tick()
    told = (await db.exec(select(Notification).where(Notification.user_id == duty.id))).all()
    assert sorted((row.trigger, row.channel, row.job_id == late.id) for row in told) == [
        ("escalated", "app", False),
        ("escalated", "sms", False),
        ("urgent_request", "app", True),
        ("urgent_request", "sms", True),
    ]
    texts = sms.texts_to(duty.phone)
    assert len(texts) == 2 and any(text.startswith(f"Urgent request: {late.number}") for text in texts)
