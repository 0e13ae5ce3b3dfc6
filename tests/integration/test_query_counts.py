"""The board, My jobs, the job page and the parts pages send as many SQL statements for many rows as for few:
no query per row (an N+1 shows as a count that grows with the data)."""

from tests.helpers.clients import sign_in
from tests.helpers.parts import add_units, assigned_job, lend


async def jobs_for(client, db, make_user, engineer, count: int) -> list:
    return [await assigned_job(client, db, make_user, engineer) for _ in range(count)]


async def test_the_board_and_my_jobs_send_the_same_statements_for_two_jobs_as_for_five(
    client, db, make_user, statements
):
    engineer = await make_user("engineer")
    coordinator = await make_user("coordinator")
    counts = {}
    for total in (2, 5):
        jobs = await jobs_for(client, db, make_user, engineer, total - len(counts) * 2)
        await sign_in(client, coordinator)
        board_count, board = await statements.count(client.get("/board"))
        assert board.status_code == 200 and jobs[-1].number in board.text
        await sign_in(client, engineer)
        mine_count, mine = await statements.count(client.get("/jobs/mine"))
        assert mine.status_code == 200 and jobs[-1].number in mine.text
        counts[total] = (board_count, mine_count)
    assert counts[5] == counts[2]


async def test_the_job_page_sends_the_same_statements_for_one_part_as_for_four(
    client, db, make_user, office, clock, statements
):
    engineer = await make_user("engineer")
    clerk = await make_user("clerk")
    job = await assigned_job(client, db, make_user, engineer)
    units = await add_units(db, office, clock, count=4)
    counts = {}
    for lent in (units[:1], units[1:]):
        await sign_in(client, clerk)
        assert (await lend(client, engineer, job, *(unit.code for unit in lent))).status_code == 303
        await sign_in(client, engineer)
        count, page = await statements.count(client.get(f"/jobs/{job.id}"))
        assert page.status_code == 200 and lent[-1].code in page.text
        counts[len(counts)] = count
    assert counts[1] == counts[0]


async def test_the_parts_pages_send_the_same_statements_for_two_parts_as_for_six(
    client, db, make_user, office, clock, statements
):
    await sign_in(client, await make_user("clerk"))
    counts, parts = {}, []
    for total in (2, 6):
        parts += [await add_units(db, office, clock, count=3, number=f"P-{n}") for n in range(len(parts), total)]
        pages = {
            "labels": "/parts/labels?bulk=true",
            "catalogue": "/parts/catalogue",
            "unit": f"/u/{parts[-1][0].code}",
        }
        for name, url in pages.items():
            count, page = await statements.count(client.get(url))
            assert page.status_code == 200, url
            counts.setdefault(name, []).append(count)
        assert parts[-1][-1].serial in page.text or parts[-1][0].code in page.text
    assert {name: len(set(found)) for name, found in counts.items()} == {name: 1 for name in counts}, counts
