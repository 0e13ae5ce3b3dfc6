"""Follow-up queue, calls and complaints (F47, F48; T20)."""

from sqlmodel import select

from app.followups.models import Complaint, FollowUpCall
from app.jobs.models import Escalation, Job, JobDeadline
from tests.helpers.after import completed_job
from tests.helpers.clients import sign_in
from tests.helpers.jobs import post, reload


def reached(**overrides) -> dict[str, str]:
    return {
        "outcome": "reached",
        "q_reach": "Easy",
        "q_speed": "Fast",
        "fault_gone": "yes",
        "conduct_ok": "yes",
        "satisfied": "yes",
        "score": "5",
        **overrides,
    }


async def test_it_queues_a_completed_job_with_its_3_day_deadline_and_flags_it_overdue_later(
    client, db, make_user, clock, world
):
    job = await completed_job(client, world, await make_user("coordinator"))
    due = (await db.exec(select(JobDeadline).where(JobDeadline.job_id == job.id, JobDeadline.rule == "S16"))).one()
    assert due.due_at == job.completed_at.replace() + (due.due_at - job.completed_at)
    assert (due.due_at - job.completed_at).days == 3
    await sign_in(client, await make_user("follow_up"))
    page = await client.get("/follow-ups/")
    assert page.status_code == 200 and job.number in page.text and "Overdue" not in page.text
    clock.advance(days=3, minutes=1)
    page = await client.get("/follow-ups/")
    assert job.number in page.text and "data-overdue" in page.text


async def test_it_lists_the_oldest_completion_first(client, db, make_user, clock, world):
    coordinator = await make_user("coordinator")
    first = await completed_job(client, world, coordinator, device_serial="OLD-1")
    clock.advance(hours=2)
    second = await completed_job(client, world, coordinator, device_serial="NEW-2")
    await sign_in(client, await make_user("follow_up"))
    text = (await client.get("/follow-ups/")).text
    assert text.index(first.number) < text.index(second.number)


async def test_it_records_a_satisfied_call_and_moves_the_job_to_followed_up(client, db, make_user, clock, world):
    job = await completed_job(client, world, await make_user("coordinator"))
    await sign_in(client, await make_user("follow_up"))
    clock.advance(hours=5)
    form = (await client.get(f"/follow-ups/{job.id}")).text
    assert "Was it easy to reach us?" in form and 'min="1" max="5"' in form
    response = await post(client, f"/follow-ups/{job.id}/calls", **reached())
    assert response.status_code == 303
    job = await reload(db, job.id)
    assert job.state == "FOLLOWED_UP"
    call = (await db.exec(select(FollowUpCall).where(FollowUpCall.job_id == job.id))).one()
    assert call.satisfied and call.score == 5 and call.answers["reach"] == "Easy" and call.fault_gone
    deadline = (await db.exec(select(JobDeadline).where(JobDeadline.job_id == job.id, JobDeadline.rule == "S16"))).one()
    assert deadline.met_at == clock()
    assert job.number not in (await client.get("/follow-ups/")).text


async def test_it_schedules_retries_and_gives_up_after_three_unanswered_attempts(client, db, make_user, clock, world):
    job = await completed_job(client, world, await make_user("coordinator"))
    await sign_in(client, await make_user("follow_up"))
    for attempt in (1, 2):
        response = await post(client, f"/follow-ups/{job.id}/calls", outcome="not_reached")
        assert response.status_code == 303
        assert (await reload(db, job.id)).state == "COMPLETED"
        page = (await client.get("/follow-ups/")).text
        assert f"{attempt} attempt" in page and "Retry" in page
        clock.advance(days=1)
    await post(client, f"/follow-ups/{job.id}/calls", outcome="not_reached")
    assert (await reload(db, job.id)).state == "FOLLOWED_UP"
    calls = (await db.exec(select(FollowUpCall).where(FollowUpCall.job_id == job.id))).all()
    assert len(calls) == 3 and calls[-1].retry_at is None


async def test_it_refuses_a_dissatisfied_answer_without_reason_or_area(client, db, make_user, world):
    job = await completed_job(client, world, await make_user("coordinator"))
    await sign_in(client, await make_user("follow_up"))
    response = await post(client, f"/follow-ups/{job.id}/calls", **reached(satisfied="no", score="2"))
    assert response.status_code == 422 and "Reason for dissatisfaction is required" in response.text
    response = await post(client, f"/follow-ups/{job.id}/calls", **reached(satisfied="no", reason="Slow"))
    assert response.status_code == 422 and "complaint area" in response.text
    response = await post(client, f"/follow-ups/{job.id}/calls", **reached(score="9"))
    assert response.status_code == 422 and "1 to 5" in response.text
    response = await post(
        client, f"/follow-ups/{job.id}/calls", **reached(satisfied="no", score="9", remedy="repeat_repair", level="L9")
    )
    assert response.status_code == 422 and "4 fields need your attention" in response.text
    for message in ["1 to 5", "Reason for dissatisfaction is required", "complaint area", "fault level"]:
        assert message in response.text
    assert 'id="f-level" name="level" aria-invalid="true"' in response.text
    assert (await reload(db, job.id)).state == "COMPLETED"


async def test_it_opens_a_complaint_with_a_repeat_repair_job_and_an_escalation(client, db, make_user, world):
    job = await completed_job(client, world, await make_user("coordinator"))
    await sign_in(client, await make_user("follow_up"))
    response = await post(
        client,
        f"/follow-ups/{job.id}/calls",
        **reached(
            satisfied="no",
            score="1",
            fault_gone="no",
            reason="Still does not power on",
            complaint_areas="quality",
            remedy="repeat_repair",
            level="L2",
        ),
    )
    assert response.status_code == 303, response.text[:1500]
    complaint = (await db.exec(select(Complaint).where(Complaint.job_id == job.id))).one()
    assert complaint.area == "quality" and complaint.repeat_job_id and complaint.escalation_id
    repeat = await reload(db, complaint.repeat_job_id)
    assert repeat.parent_job_id == job.id and repeat.repeat_repair
    assert repeat.requested_at == job.requested_at  # INV-9
    assert repeat.customer_id == job.customer_id and repeat.device_serial == job.device_serial
    escalation = await db.get(Escalation, complaint.escalation_id)
    assert escalation.job_id == repeat.id and escalation.level == "L2"
    assert (await reload(db, job.id)).state == "FOLLOWED_UP"


async def test_it_lets_the_manager_close_a_complaint_with_root_cause(client, db, make_user, world):
    job = await completed_job(client, world, await make_user("coordinator"))
    await sign_in(client, await make_user("follow_up"))
    await post(
        client,
        f"/follow-ups/{job.id}/calls",
        **reached(satisfied="no", score="2", reason="Rude", complaint_areas="courtesy", remedy="none"),
    )
    complaint = (await db.exec(select(Complaint))).one()
    assert complaint.repeat_job_id is None
    assert (await client.get("/complaints/")).status_code == 403
    await sign_in(client, await make_user("manager"))
    assert "Rude" in (await client.get("/complaints/")).text
    response = await post(
        client,
        f"/complaints/{complaint.id}/close",
        attributable="yes",
        root_cause="Tired",
        corrective_action="Training",
    )
    assert response.status_code == 303
    await db.refresh(complaint)
    assert complaint.closed_at and complaint.attributable and complaint.corrective_action == "Training"


async def test_it_admits_only_callers_coordinators_and_managers_to_the_queue(client, db, make_user, world):
    job = await completed_job(client, world, await make_user("coordinator"))
    for role, status in [
        ("engineer", 403),
        ("clerk", 403),
        ("reception", 403),
        ("follow_up", 200),
        ("coordinator", 200),
        ("manager", 200),
    ]:
        await sign_in(client, await make_user(role))
        assert (await client.get("/follow-ups/")).status_code == status, role
        assert (await client.get(f"/follow-ups/{job.id}")).status_code == status, role


async def test_it_hides_jobs_outside_the_queue_from_the_follow_up_caller(client, db, make_user):
    coordinator = await make_user("coordinator")
    await sign_in(client, coordinator)
    from tests.helpers.jobs import take_request

    open_job = await take_request(client, db, device_serial="OPEN-1")
    await sign_in(client, await make_user("follow_up"))
    assert (await client.get(f"/jobs/{open_job.id}")).status_code == 404
    assert (await client.get(f"/follow-ups/{open_job.id}")).status_code == 404
    assert isinstance(open_job, Job)


async def test_it_lands_the_follow_up_caller_and_reception_on_their_home_pages(client, make_user):
    for role, home, label in [
        ("follow_up", "/follow-ups", "Follow-up calls"),
        ("reception", "/carry-in", "Carry-in counter"),
    ]:
        response = await sign_in(client, await make_user(role))
        assert response.headers["location"] == home, role
        page = await client.get(home + "/")
        assert label in page.text and ("Job board" not in page.text), role


async def test_it_flags_the_repeat_repair_and_links_it_to_the_original(client, db, make_user, world):
    job = await completed_job(client, world, await make_user("coordinator"))
    await post(
        client,
        f"/follow-ups/{job.id}/calls",
        **reached(
            satisfied="no",
            score="1",
            reason="Broken again",
            complaint_areas="quality",
            remedy="repeat_repair",
            level="L3",
        ),
    )
    repeat = (await db.exec(select(Job).where(Job.parent_job_id == job.id))).one()
    page = (await client.get(f"/jobs/{repeat.id}")).text
    assert 'data-flag="repeat-repair"' in page and f"/jobs/{job.id}" in page


async def test_it_files_last_months_followed_up_jobs_at_month_end(client, db, make_user, clock, world):
    coordinator = await make_user("coordinator")
    job = await completed_job(client, world, coordinator)
    await post(client, f"/follow-ups/{job.id}/calls", **reached())
    await post(client, "/follow-ups/file")
    assert (await reload(db, job.id)).state == "FOLLOWED_UP"  # completed this month: not yet
    clock.advance(days=10)  # 3 December
    await sign_in(client, await make_user("follow_up"))
    assert (await post(client, "/follow-ups/file")).status_code == 403
    await sign_in(client, coordinator)
    response = await post(client, "/follow-ups/file")
    assert response.status_code == 303
    assert (await reload(db, job.id)).state == "CLOSED"
