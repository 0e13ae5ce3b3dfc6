"""A whole repair visit through HTTP: every step, the states T8–T16, and the frozen, hashed report."""

from sqlmodel import select

from app.visits.models import ServiceReport
from tests.helpers.clients import csrf, sign_in
from tests.helpers.jobs import reload
from tests.helpers.visits import job_on_the_way, photo, step, walk_to


async def test_it_walks_a_whole_repair_visit_to_awaiting_parts_return(client, db, make_user):
    job, _engineer = await job_on_the_way(client, db, make_user)
    page = await client.get(f"/visits/{job.id}")
    assert page.status_code == 200 and "Step 1 of" in page.text and "Arrival" in page.text

    await walk_to(client, job, "arrive")
    assert (await reload(db, job.id)).state == "ON_SITE"
    await walk_to(client, job, "cleanup", first="enter")
    job = await reload(db, job.id)
    assert job.state == "AWAITING_PARTS_RETURN" and job.report_signed_at is not None
    report = (await db.exec(select(ServiceReport).where(ServiceReport.job_id == job.id))).one()
    assert len(report.sha256) == 64 and "PSU-77812" in report.content

    page = await client.get(f"/visits/{job.id}/report")
    assert "Signature valid" in page.text and "Mrs. Zhao Lan" in page.text
    assert "Checklist finished" in (await client.get(f"/visits/{job.id}")).text


async def test_it_shows_the_visit_progress_on_the_job_page(client, db, make_user):
    job, _engineer = await job_on_the_way(client, db, make_user)
    await walk_to(client, job, "enter")
    page = await client.get(f"/jobs/{job.id}")
    assert "Visit: step 3 of" in page.text and "Warranty card and packing list" in page.text


async def test_it_refuses_a_step_out_of_order_naming_the_missing_step(client, db, make_user):
    job, _engineer = await job_on_the_way(client, db, make_user)
    await walk_to(client, job, "enter")
    response = await step(client, job, "repair", work_done="Fixed it")
    assert response.status_code == 422
    assert "Do the step “Warranty card and packing list” first, before “Repair”." in response.text


async def test_coordinators_see_the_visit_progress_on_the_board(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    await walk_to(client, job, "warranty")
    await client.post("/logout", headers=csrf(client))
    await sign_in(client, await make_user("coordinator"))
    board = await client.get("/board")
    assert "Visit: step 4 of" in board.text and "Repair order" in board.text and "1 photo" in board.text
    row = await client.get(f"/board/rows/{job.id}")
    assert "Visit: step 4 of" in row.text


async def test_a_coordinator_follows_the_current_steps_photos_read_only(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    await walk_to(client, job, "enter")
    assert (await photo(client, job, "warranty")).status_code == 201
    await client.post("/logout", headers=csrf(client))
    await sign_in(client, await make_user("coordinator"))
    page = await client.get(f"/visits/{job.id}")
    assert page.text.count("/thumb") == 1 and "data-photo-input" not in page.text and "step-done" not in page.text
