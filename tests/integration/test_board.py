"""The coordinators' board: counts, filters, sorting, paging, flags and the engineers' panel (F04, F08, F09)."""

from tests.helpers.clients import sign_in
from tests.helpers.jobs import post, reload, take_request


async def test_it_shows_open_jobs_with_counts_per_state_and_filters(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    engineer = await make_user("engineer")
    first = await take_request(client, db, device_serial="B-1")
    second = await take_request(client, db, device_serial="B-2", zone="WITHIN_80KM")
    await post(client, f"/jobs/{first.id}/assign", engineer_id=str(engineer.id))
    board = await client.get("/board")
    assert first.number in board.text and second.number in board.text
    assert 'data-count="ASSIGNED">1<' in board.text and 'data-count="QUEUED_FOR_DISPATCH">1<' in board.text
    only_assigned = await client.get("/board", params={"state": "ASSIGNED"})
    assert first.number in only_assigned.text and second.number not in only_assigned.text
    by_engineer = await client.get("/board", params={"engineer": str(engineer.id)})
    assert first.number in by_engineer.text and second.number not in by_engineer.text
    by_zone = await client.get("/board", params={"zone": "WITHIN_80KM"})
    assert second.number in by_zone.text and first.number not in by_zone.text
    junk = await client.get("/board", params={"state": "DROP TABLE", "engineer": "x", "sort": "evil", "page": "0"})
    assert junk.status_code == 200 and first.number in junk.text


async def test_it_flags_overdue_and_unfinished_jobs_in_red(client, make_user, db, clock):
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db)
    assert 'data-flag="overdue"' not in (await client.get("/board")).text
    clock.advance(days=1)  # the two-hour contact promise has passed
    board = await client.get("/board", params={"overdue": "1"})
    assert job.number in board.text and 'data-flag="overdue"' in board.text and "is-late" in board.text
    assert 'data-count="overdue">1<' in board.text
    engineer = await make_user("engineer")
    await post(client, f"/jobs/{job.id}/assign", engineer_id=str(engineer.id))
    await post(
        client,
        f"/jobs/{job.id}/contact",
        outcome="reached",
        contact_person="Wu",
        appointment_date="2026-11-25",
        appointment_from="10:00",
        appointment_to="12:00",
    )
    job = await reload(db, job.id)
    clock.advance(days=2)  # past the end of the committed day, not completed: unfinished (INV-8)
    page = await client.get(f"/jobs/{job.id}")
    assert 'data-flag="unfinished"' in page.text


async def test_it_pages_the_board(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    for n in range(27):
        await take_request(client, db, device_serial=f"P-{n}")
    first_page = await client.get("/board", params={"sort": "number"})
    assert first_page.text.count('<li id="job-') == 25 and "page=2" in first_page.text
    second_page = await client.get("/board", params={"sort": "number", "page": "2"})
    assert second_page.text.count('<li id="job-') == 2


async def test_it_renders_one_row_alone_for_the_live_update(client, make_user, db):
    await sign_in(client, await make_user("coordinator"))
    job = await take_request(client, db)
    row = await client.get(f"/board/rows/{job.id}", headers={"hx-request": "true"})
    assert row.text.strip().startswith(f'<li id="job-{job.id}"') and "<html" not in row.text
    counts = await client.get("/board/counts")
    assert 'id="board-counts"' in counts.text


async def test_it_keeps_engineers_and_clerks_off_the_board(client, make_user):
    await sign_in(client, await make_user("engineer"))
    for path in ["/board", "/board/counts", "/board/events"]:
        assert (await client.get(path)).status_code == 403
