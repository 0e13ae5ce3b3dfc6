"""Undoing a step that finished itself: the step opens again for as long as the visit allows it."""

import uuid

from sqlmodel import select

from app.jobs.models import JobEvent
from app.visits.models import StepResult
from tests.helpers.clients import csrf
from tests.helpers.jobs import reload
from tests.helpers.visits import job_on_the_way, step, walk_to


async def reopen(client, job, key: str, result) -> object:
    data = {"result": str(result)}
    return await client.post(
        f"/visits/{job.id}/steps/{key}/reopen", data=data, headers=csrf(client), follow_redirects=False
    )


async def result_of(db, job, key: str) -> StepResult | None:
    query = select(StepResult).where(StepResult.job_id == job.id, StepResult.step_key == key)
    return (await db.exec(query.execution_options(populate_existing=True))).first()


async def test_it_reopens_the_last_step_and_takes_the_new_answer(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    await walk_to(client, job, "data_risk")
    first = await result_of(db, job, "data_risk")
    assert (await reopen(client, job, "data_risk", first.id)).status_code == 303
    assert await result_of(db, job, "data_risk") is None
    again = await reopen(client, job, "data_risk", first.id)  # the outbox sent it twice: nothing more happens
    assert again.status_code == 303
    assert (await step(client, job, "data_risk", at_risk="yes", waiver="on")).status_code == 303
    assert (await result_of(db, job, "data_risk")).values["at_risk"] == "yes"
    events = (await db.exec(select(JobEvent).where(JobEvent.job_id == job.id, JobEvent.kind == "step_reopened"))).all()
    assert [event.details for event in events] == [{"step": "data_risk", "values": first.values}]


async def test_a_stale_undo_never_removes_a_newer_answer(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    await walk_to(client, job, "data_risk")
    first = await result_of(db, job, "data_risk")
    await reopen(client, job, "data_risk", first.id)
    await step(client, job, "data_risk", at_risk="yes", waiver="on")
    response = await reopen(client, job, "data_risk", first.id)
    assert response.status_code == 422
    assert "“Data risk” was changed since: nothing was undone." in response.text
    assert (await result_of(db, job, "data_risk")).values["at_risk"] == "yes"


async def test_it_refuses_to_reopen_a_step_once_a_later_one_is_done(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    await walk_to(client, job, "authenticity")
    response = await reopen(client, job, "data_risk", (await result_of(db, job, "data_risk")).id)
    assert response.status_code == 422
    assert "“Data risk” can no longer be reopened." in response.text


async def test_it_refuses_to_reopen_a_step_that_moved_the_job_on(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    await walk_to(client, job, "arrive")
    response = await reopen(client, job, "arrive", (await result_of(db, job, "arrive")).id)
    assert response.status_code == 422
    assert (await reload(db, job.id)).state == "ON_SITE"
    assert await result_of(db, job, "arrive") is not None


async def test_it_refuses_to_reopen_once_the_job_has_left_the_visit(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    await walk_to(client, job, "data_risk")
    job.state = "SIGNED_OFF"  # as after the customer's signature
    db.add(job)
    await db.commit()
    response = await reopen(client, job, "data_risk", (await result_of(db, job, "data_risk")).id)
    assert response.status_code == 422
    assert "The visit has moved on" in response.text
    assert await result_of(db, job, "data_risk") is not None


async def test_an_undo_without_the_version_it_reopens_is_refused(client, db, make_user):
    job, _ = await job_on_the_way(client, db, make_user)
    await walk_to(client, job, "data_risk")
    response = await reopen(client, job, "data_risk", uuid.uuid4())
    assert response.status_code == 422
    assert await result_of(db, job, "data_risk") is not None
