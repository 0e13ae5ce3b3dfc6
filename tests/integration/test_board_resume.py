"""A board never misses a change: keep-alives leave the stream alone, and a board that reconnects gets what it
missed (by event id), or one "refresh" when that is no longer kept."""

import json
import uuid
from contextlib import AsyncExitStack
from datetime import timedelta

import pytest

from app.core.database import make_sessionmaker
from app.jobs import board_log
from app.jobs.brokers import RESYNC
from app.jobs.events import BoardFeed
from tests.helpers.board import BoardStream, coordinator_clients, open_board, take_request
from tests.helpers.clients import browser_of, csrf, sign_in
from tests.helpers.jobs import post
from tests.helpers.jobs import take_request as take_request_in_process
from tests.helpers.servers import LiveServer


@pytest.fixture
async def live(database_url, make_user, tmp_path):
    """A real server with keep-alives every 0.2 s, and a signed-in coordinator."""
    coordinator = await make_user("coordinator")
    server = LiveServer(tmp_path, database_url=database_url, demo=False, ONSITE_BOARD_KEEPALIVE_SECONDS="0.2").start()
    async with AsyncExitStack() as stack:
        (client,) = await coordinator_clients(server.url, username=coordinator.username)
        stack.push_async_callback(client.aclose)
        try:
            yield client, stack
        finally:
            server.stop()


async def test_it_keeps_a_stream_through_several_keepalives_and_then_delivers_a_change(live):
    client, stack = live
    board = await open_board(client, stack)
    await board.until_keepalives(5)  # a second of keep-alives: the first used to cancel the subscription
    job_id = await take_request(client, "KA-1")
    event = await board.next("board", timeout=2)
    assert event.data == job_id and event.id.isdigit()
    assert [e.name for e in board.seen[-2:]] == [f"job-{job_id}", "board"]


async def test_it_sends_a_reconnected_board_the_change_made_while_it_was_away(live):
    client, stack = live
    async with AsyncExitStack() as first_connection:
        board = await open_board(client, first_connection)
        first = await take_request(client, "GAP-1")
        seen = await board.next("board")
        assert seen.data == first
    second = await take_request(client, "GAP-2")  # no board is listening
    board = await open_board(client, stack, last_event_id=seen.id)
    missed = await board.next("board")
    assert missed.data == second and int(missed.id) == int(seen.id) + 1
    assert f"job-{first}" not in [e.name for e in board.seen]  # nothing it had already seen
    third = await take_request(client, "GAP-3")  # then live, on the same connection
    assert (await board.next("board")).data == third


async def test_it_starts_from_the_number_in_the_page_when_the_browser_sends_no_id(live):
    client, stack = live
    page = await client.get("/board")
    after = page.text.split('sse-connect="/board/events?after=', 1)[1].split('"', 1)[0]
    job_id = await take_request(client, "PAGE-1")  # after the page was drawn, before its stream opened
    response = await stack.enter_async_context(client.stream("GET", f"/board/events?after={after}"))
    board = BoardStream(response.aiter_lines())
    assert (await board.next("board")).data == job_id


async def test_it_asks_a_board_to_redraw_when_what_it_missed_was_pruned(db, office, clock):
    for hours in range(3):
        board_log.note(db, office.id, board_log.JOB, uuid.uuid4(), clock() + timedelta(hours=hours))
        await board_log.write_pending(db, keep=timedelta(hours=1))
        await db.commit()
    assert [e.seq for e in (await board_log.events_after(db, office.id, 1)).events] == [2, 3]
    pruned = await board_log.events_after(db, office.id, 0)
    assert pruned.refresh and pruned.top == 3 and pruned.events == []
    assert not (await board_log.events_after(db, office.id, 3)).refresh
    assert (await board_log.events_after(db, office.id, 99)).refresh  # a number this office never gave out


async def add_events(db, office, clock, count: int) -> list[uuid.UUID]:
    jobs = [uuid.uuid4() for _ in range(count)]
    for job in jobs:
        board_log.note(db, office.id, board_log.JOB, job, clock())
        await board_log.write_pending(db, keep=None)
        await db.commit()
    return jobs


def sent(messages) -> list[tuple[int, str]]:
    return [(message.id, message.event) for message in messages]


async def test_it_sends_each_event_once_between_the_catch_up_and_the_live_messages(engine, db, office, clock):
    jobs = await add_events(db, office, clock, 3)
    feed = BoardFeed(make_sessionmaker(engine), office.id, last=1)
    assert sent(await feed.catch_up()) == [(2, f"job-{jobs[1]}"), (2, "board"), (3, f"job-{jobs[2]}"), (3, "board")]
    live = json.dumps({"office": str(office.id), "events": [[3, "job", str(jobs[2])]]})
    assert await feed.receive(live) == []  # published before the catch-up read it: already sent
    more = await add_events(db, office, clock, 2)
    overtaking = json.dumps({"office": str(office.id), "events": [[5, "job", str(more[1])]]})
    assert sent(await feed.receive(overtaking)) == [
        (4, f"job-{more[0]}"),
        (4, "board"),
        (5, f"job-{more[1]}"),
        (5, "board"),
    ]
    late = json.dumps({"office": str(office.id), "events": [[4, "job", str(more[0])]]})
    assert await feed.receive(late) == []
    assert sent(await feed.receive(RESYNC)) == []  # the broker came back: nothing new in the log
    other_office = json.dumps({"office": str(uuid.uuid4()), "events": [[6, "job", str(uuid.uuid4())]]})
    assert await feed.receive(other_office) == []


async def test_it_sends_only_the_newest_event_of_a_job_that_changed_many_times_while_away(engine, db, office, clock):
    job = uuid.uuid4()
    for _ in range(3):
        board_log.note(db, office.id, board_log.JOB, job, clock())
        await board_log.write_pending(db, keep=None)
        await db.commit()
    feed = BoardFeed(make_sessionmaker(engine), office.id, last=0)
    assert sent(await feed.catch_up()) == [(3, f"job-{job}"), (3, "board")]


async def test_it_logs_a_phones_report_for_the_engineers_panel_only_when_it_changes_what_boards_show(
    client, make_user, db, settings, clock, office
):
    engineer = await make_user("engineer")
    await sign_in(client, await make_user("coordinator"))
    job = await take_request_in_process(client, db)
    assigned = await post(client, f"/jobs/{job.id}/assign", engineer_id=str(engineer.id), version=str(job.version))
    assert assigned.status_code < 400
    start = await board_log.last_seq(db, office.id)
    report = {"pending": 2, "jobs": {str(job.id): 2}, "last_sync_at": clock().isoformat()}
    async with browser_of(engineer, settings, clock) as phone:
        assert (await phone.post("/sync/status", json=report, headers=csrf(phone))).status_code == 200
        missed = await board_log.events_after(db, office.id, start)
        assert [(e.kind, e.job_id) for e in missed.events] == [("phone", None), ("job", job.id)]
        assert (await phone.post("/sync/status", json=report, headers=csrf(phone))).status_code == 200
        assert await board_log.last_seq(db, office.id) == missed.top  # the same report again: nothing to redraw
    panel = await client.get("/board/engineers")
    assert "2 changes waiting" in panel.text and 'hx-trigger="sse:engineers' in panel.text
