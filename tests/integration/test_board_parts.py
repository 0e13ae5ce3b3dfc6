"""The board and My jobs drawn in parts (app/core/kept_parts.py): a write redraws the rows it changes and no
other, and what a change shows (a job turning late, a reassignment) is on the next page at once."""

import re
from datetime import timedelta

from app.core.database import transaction
from tests.helpers.clients import browser_of, sign_in
from tests.helpers.jobs import dispatched_job, post, reload, take_request


def drawing(client) -> list[str]:
    """The parts ``client``'s app draws from now on (those it serves kept are not listed)."""
    parts, drawn = client.app.state.kept_parts, []
    draw = parts.draw
    parts.draw = lambda key, render: draw(key, lambda: drawn.append(render()) or drawn[-1])
    return drawn


def rows_of(parts: list[str]) -> list[str]:
    return [match for part in parts for match in re.findall(r'<li id="job-([0-9a-f-]+)"', part)]


def card_of(page: str, number: str) -> str:
    return re.search(rf'<li class="job-card[^"]*" data-job="{number}">', page)[0]


async def test_a_change_to_one_job_redraws_its_row_and_keeps_the_others(client, db, make_user):
    coordinator, engineer = await make_user("coordinator"), await make_user("engineer", display_name="Wang Wu")
    await sign_in(client, coordinator)
    jobs = [await take_request(client, db, device_serial=f"K-{n}") for n in range(3)]
    await client.get("/board")
    drawn = drawing(client)
    await post(client, f"/jobs/{jobs[1].id}/assign", engineer_id=str(engineer.id), version=str(jobs[1].version))
    board = (await client.get("/board")).text
    assert rows_of(drawn) == [str(jobs[1].id)]  # the other two rows were kept
    row = re.search(rf'<li id="job-{jobs[1].id}".*?</li>', board, re.S)[0]
    assert "Wang Wu" in row and 'data-state="ASSIGNED"' in row
    assert all(f'id="job-{job.id}"' in board for job in jobs)


async def test_a_job_turning_late_is_shown_at_once_though_nothing_was_written(client, db, clock, make_user):
    job, engineer = await dispatched_job(client, db, make_user)
    board = (await client.get("/board")).text
    assert "is-late" not in board
    clock.now = job.next_due_at  # the deadline's own minute: not late yet
    assert "is-late" not in (await client.get("/board")).text
    clock.advance(minutes=1)
    late = (await client.get("/board")).text
    assert re.search(rf'<li id="job-{job.id}" class="job-card is-late', late)
    await sign_in(client, engineer)
    assert "is-late" in card_of((await client.get("/jobs/mine")).text, job.number)


async def test_my_jobs_is_kept_while_another_engineer_works_and_a_reassignment_shows_at_once(
    client, db, settings, clock, make_user
):
    job, first = await dispatched_job(client, db, make_user, device_serial="K-1")
    second = await make_user("engineer")
    await sign_in(client, first)
    await client.get("/jobs/mine")  # the page after signing in carries its one-time message: not kept
    assert job.number in (await client.get("/jobs/mine")).text
    pages = client.app.state.kept_pages
    keep = pages.keep
    framed = []
    pages.keep = lambda frame, seen, part, draw: keep(frame, seen, part, lambda: framed.append(1) or draw())
    async with browser_of(await make_user("coordinator"), settings, clock) as desk:  # another app process
        other = await take_request(desk, db, device_serial="K-2")
        await post(desk, f"/jobs/{other.id}/assign", engineer_id=str(second.id), version=str(other.version))
        mine = (await client.get("/jobs/mine")).text
        assert job.number in mine and other.number not in mine
        assert framed == []  # the same list: the page kept, not drawn and compressed again
        job = await reload(db, job.id)
        await post(desk, f"/jobs/{job.id}/assign", engineer_id=str(second.id), version=str(job.version), reason="Sick")
    assert job.number not in (await client.get("/jobs/mine")).text and framed == [1]
    await sign_in(client, second)
    assert {job.number, other.number} <= set(re.findall(r'data-job="([^"]+)"', (await client.get("/jobs/mine")).text))


def engineer_panel(board: str, user_id) -> str:
    return re.search(rf'data-engineer="{user_id}".*?</li>', board, re.S)[0]


async def test_the_engineers_panel_adds_up_each_engineers_open_jobs_and_visits_today(client, db, clock, make_user):
    first, engineer = await dispatched_job(client, db, make_user, device_serial="K-1")
    second = await take_request(client, db, device_serial="K-2")
    await post(client, f"/jobs/{second.id}/assign", engineer_id=str(engineer.id), version=str(second.version))
    cancelled = await take_request(client, db, device_serial="K-3")
    await post(client, f"/jobs/{cancelled.id}/assign", engineer_id=str(engineer.id), version=str(cancelled.version))
    cancelled = await reload(db, cancelled.id)
    informed = {"reason": "Duplicate", "customer_informed": "on", "version": str(cancelled.version)}
    await post(client, f"/jobs/{cancelled.id}/cancel", **informed)
    idle = await make_user("engineer", display_name="Idle One")
    async with transaction(db):  # a visit agreed for later today
        first = await reload(db, first.id)
        first.appointment_start, first.appointment_end = clock() + timedelta(hours=2), clock() + timedelta(hours=3)
        db.add(first)
    board = (await client.get("/board")).text
    assert not (await reload(db, cancelled.id)).is_open
    busy = engineer_panel(board, engineer.id)
    assert "1 visit today" in busy and "2 open jobs" in busy  # the cancelled job is not counted
    assert "0 visits today" in engineer_panel(board, idle.id) and "0 open jobs" in engineer_panel(board, idle.id)
    assert board.index(f'data-engineer="{engineer.id}"') < board.index(f'data-engineer="{idle.id}"')  # busiest first


async def test_the_engineers_panel_names_thirty_and_counts_the_other_active_engineers(client, db, make_user):
    await sign_in(client, await make_user("coordinator"))
    for number in range(32):
        await make_user("engineer", display_name=f"Engineer {number:02}")
    gone = await make_user("engineer", display_name="Engineer 00 Gone")
    gone.is_active = False
    await db.commit()
    board = (await client.get("/board")).text
    assert board.count('data-engineer="') == 30 and f'data-engineer="{gone.id}"' not in board
    assert "and 2 more engineers" in board
    assert f'<option value="{gone.id}" >Engineer 00 Gone</option>' in board  # the filter offers every engineer
