"""Consultation cases (F10, §3.5): the technical specialist's queue and S11 clock, answer, resolve, close, cancel,
and conversion into an onsite or carry-in job that keeps the case's request time and notes; every refusal
changes nothing."""

import uuid
from datetime import UTC, datetime

from sqlmodel import select

from app.jobs.models import Job, JobDeadline, JobEvent
from tests.helpers.clients import sign_in
from tests.helpers.jobs import post, reload, take_request


async def _case(client, db, make_user, **overrides) -> Job:
    await sign_in(client, await make_user("coordinator"))
    return await take_request(client, db, job_type="CASE", **overrides)


async def _s11(db, job) -> JobDeadline:
    query = select(JobDeadline).where(JobDeadline.job_id == job.id, JobDeadline.rule == "S11")
    return (await db.exec(query.execution_options(populate_existing=True))).one()


async def _act(client, db, job, action: str, **data):
    job = await reload(db, job.id)
    return await post(client, f"/jobs/{job.id}/{action}", version=str(job.version), **data)


async def _events(db, job) -> list[str]:
    rows = await db.exec(select(JobEvent.kind).where(JobEvent.job_id == job.id).order_by(JobEvent.version))
    return list(rows.all())


async def test_a_case_waits_in_the_specialists_queue_with_its_working_day_clock_red_when_overdue(
    client, db, make_user, clock
):
    case = await _case(client, db, make_user)  # 17:00 office time, Monday
    assert case.state == "OPEN"
    s11 = await _s11(db, case)
    assert s11.due_at == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # 9 working hours: Tuesday 17:00
    await sign_in(client, await make_user("specialist"))
    home = await client.get("/", follow_redirects=False)
    assert home.headers["location"] == "/jobs/cases"
    queue = await client.get("/jobs/cases")
    assert case.number in queue.text and "data-overdue" not in queue.text
    clock.advance(days=1, minutes=1)
    queue = await client.get("/jobs/cases")
    assert "data-overdue" in queue.text and "Overdue" in queue.text


async def test_the_specialist_answers_then_resolves_and_the_coordinator_closes(client, db, make_user, clock):
    case = await _case(client, db, make_user)
    specialist = await make_user("specialist")
    await sign_in(client, specialist)
    clock.advance(minutes=30)
    response = await _act(client, db, case, "answer", note="Recalibrate from the service menu, code 4411.")
    assert response.status_code == 303
    case = await reload(db, case.id)
    assert case.state == "IN_PROGRESS"
    assert (await _s11(db, case)).met_at == clock.now
    assert (await _act(client, db, case, "answer", note="Customer will try tomorrow.")).status_code == 303
    assert (await _act(client, db, case, "resolve", note="Calibration held overnight.")).status_code == 303
    case = await reload(db, case.id)
    assert case.state == "RESOLVED" and case.is_open
    page = await client.get(f"/jobs/{case.id}")
    assert "Recalibrate from the service menu" in page.text and "Calibration held overnight." in page.text
    await sign_in(client, await make_user("coordinator"))
    refused = await _act(client, db, case, "close")
    assert refused.status_code == 422 and "tick the box" in refused.text
    assert (await reload(db, case.id)).state == "RESOLVED"
    assert (await _act(client, db, case, "close", confirmed="on")).status_code == 303
    case = await reload(db, case.id)
    assert case.state == "CLOSED" and not case.is_open
    assert await _events(db, case) == ["created", "case_answered", "case_note", "case_resolved", "case_closed"]


async def test_a_case_is_cancelled_only_with_a_reason(client, db, make_user):
    case = await _case(client, db, make_user)
    await sign_in(client, await make_user("specialist"))
    refused = await _act(client, db, case, "cancel-case", reason="")
    assert refused.status_code == 422 and "Reason is required." in refused.text
    assert (await reload(db, case.id)).state == "OPEN"
    assert (await _act(client, db, case, "cancel-case", reason="Customer found the manual.")).status_code == 303
    case = await reload(db, case.id)
    assert case.state == "CANCELLED" and not case.is_open
    assert (await _s11(db, case)).met_at is not None  # no clock runs on a cancelled case


async def test_a_converted_case_becomes_a_linked_onsite_job_with_its_request_time_and_notes(
    client, db, make_user, clock
):
    case = await _case(client, db, make_user)
    await sign_in(client, await make_user("specialist"))
    await _act(client, db, case, "answer", note="Tried a reset by phone: the fault stays.")
    clock.advance(hours=1)
    response = await _act(client, db, case, "convert", job_type="ONSITE", note="Board fault: needs a visit.")
    assert response.status_code == 303
    job = await reload(db, uuid.UUID(response.headers["location"].rsplit("/", 1)[-1]))
    assert job.job_type == "ONSITE" and job.state == "QUEUED_FOR_DISPATCH"
    assert job.parent_job_id == case.id and job.requested_at == case.requested_at
    assert job.customer_id == case.customer_id and job.device_id == case.device_id
    case = await reload(db, case.id)
    assert case.state == "CLOSED" and not case.is_open
    rules = set((await db.exec(select(JobDeadline.rule).where(JobDeadline.job_id == job.id))).all())
    assert rules == {"S3", "S4", "S5"}
    await sign_in(client, await make_user("coordinator"))
    page = await client.get(f"/jobs/{job.id}")
    assert "Consultation notes" in page.text and "Tried a reset by phone" in page.text
    assert "Board fault: needs a visit." in page.text and case.number in page.text
    case_page = await client.get(f"/jobs/{case.id}")
    assert job.number in case_page.text


async def test_a_case_converts_into_a_carry_in_job_with_its_repair_clock(client, db, make_user):
    case = await _case(client, db, make_user)
    response = await _act(client, db, case, "convert", job_type="CARRY_IN", note="Customer will bring it in.")
    job = await reload(db, uuid.UUID(response.headers["location"].rsplit("/", 1)[-1]))
    assert job.job_type == "CARRY_IN" and job.state == "RECEIVED" and job.parent_job_id == case.id
    rules = set((await db.exec(select(JobDeadline.rule).where(JobDeadline.job_id == job.id))).all())
    assert rules == {"S12"}


async def test_it_refuses_what_the_case_or_the_role_does_not_allow_and_changes_nothing(client, db, make_user):
    case = await _case(client, db, make_user)
    onsite = await take_request(client, db, device_serial="SN-2002")
    version = (await reload(db, case.id)).version
    for action, data, message in [
        ("answer", {"note": ""}, "Answer is required."),
        ("resolve", {"note": ""}, "How it was resolved is required."),
        ("convert", {"job_type": "INSTALL", "note": "x"}, "job type"),
        ("convert", {"job_type": "ONSITE", "note": ""}, "Why a visit or a carry-in repair is required."),
        ("close", {"confirmed": "on"}, "Resolve the case before closing it."),
    ]:
        response = await _act(client, db, case, action, **data)
        assert response.status_code == 422 and message in response.text, (action, response.text[-1500:])
    assert (await reload(db, case.id)).version == version
    assert len((await db.exec(select(Job))).all()) == 2  # nothing converted
    refused = await _act(client, db, onsite, "resolve", note="Not a case.")
    assert refused.status_code == 422 and "Only a consultation case" in refused.text
    await _act(client, db, case, "cancel-case", reason="Duplicate of another call.")
    late = await _act(client, db, case, "answer", note="Too late.")
    assert late.status_code == 422 and "no longer open" in late.text
    for role in ("engineer", "clerk", "reception", "follow_up"):
        await sign_in(client, await make_user(role))
        assert (await _act(client, db, case, "answer", note="x")).status_code == 403
    await sign_in(client, await make_user("specialist"))
    assert (await client.get(f"/jobs/{onsite.id}")).status_code == 404  # not a case, not made from one
    assert (await client.get(f"/jobs/{case.id}")).status_code == 200
