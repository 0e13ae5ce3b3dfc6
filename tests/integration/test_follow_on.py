"""Follow-on jobs (``follow_on.open_follow_on``): a converted case, a device taken back and a repeat repair each get
a job that takes over the request, links to the job it comes from, opens its history the same way and starts the
clocks an intake of its type starts."""

import re

import pytest
from sqlmodel import select

from app.core.database import transaction
from app.jobs import escalations, sla
from app.jobs.follow_on import CONVERTED_CASE, REPEAT_REPAIR, SAME_REQUEST, TAKEN_BACK, open_follow_on
from app.jobs.models import Job, JobDeadline, JobEvent
from tests.helpers.clients import sign_in
from tests.helpers.jobs import reload, take_request


def _expected_clocks(calendar, job_type: str, start, zone: str) -> dict:
    """The deadlines ``intake.create_job`` gives a new job of ``job_type`` whose clocks start at ``start``."""
    if job_type == "ONSITE":
        dues = [sla.dispatch(calendar, start), sla.first_contact(calendar, start), sla.arrival(calendar, start, zone)]
    else:
        dues = [sla.carry_in_repair(calendar, start)]
    return {due.rule: due.due_at for due in dues if due}


@pytest.mark.parametrize(
    ("kind", "source_type", "job_type", "fault"),
    [
        (CONVERTED_CASE, "CASE", "ONSITE", None),
        (CONVERTED_CASE, "CASE", "CARRY_IN", None),
        (TAKEN_BACK, "ONSITE", "CARRY_IN", None),
        (REPEAT_REPAIR, "ONSITE", "ONSITE", "Fault came back after two days"),
    ],
    ids=["case-to-onsite", "case-to-carry-in", "take-back", "repeat-repair"],
)
async def test_a_follow_on_job_takes_over_the_request_links_back_and_starts_an_intakes_clocks(
    client, db, make_user, world, clock, kind, source_type, job_type, fault
):
    coordinator = await make_user("coordinator")
    await sign_in(client, coordinator)
    source = await take_request(client, db, job_type=source_type, fault_description="Screen flickers")
    ctx = await world.acting(coordinator)
    await escalations.escalate(
        db, source.id, {"level": "L2", "symptoms": "Flickers", "actions_taken": "Cable reseated"}, ctx
    )
    clock.advance(days=2, hours=1)  # a follow-on comes later: clocks from the request and from now differ
    ctx = await world.acting(coordinator)
    source = await reload(db, source.id)
    async with transaction(db):
        job = await open_follow_on(db, source, ctx, kind=kind, job_type=job_type, fault=fault)

    job = await reload(db, job.id)
    assert job.parent_job_id == source.id and job.job_type == job_type
    assert {name: getattr(job, name) for name in SAME_REQUEST} == {name: getattr(source, name) for name in SAME_REQUEST}
    assert re.fullmatch(r"[A-Z0-9]+-\d{4}-\d{4}", job.number) and job.number != source.number  # an intake's number
    assert job.repeat_repair is (kind is REPEAT_REPAIR)
    if fault is None:  # the same fault goes on: its description and level come along
        assert (job.fault_description, job.fault_level) == ("Screen flickers", "L2")
    else:  # a new fault, not judged yet
        assert (job.fault_description, job.fault_level) == (fault, "")

    events = (await db.exec(select(JobEvent).where(JobEvent.job_id == job.id).order_by(JobEvent.version))).all()
    created = events[0]
    assert created.kind == "created" and created.actor_id == coordinator.id and created.at == clock.now
    assert source.number in created.reason
    assert created.details == {
        "transition": "T1",
        "follow_on": kind.name,
        "from_job": str(source.id),
        "from": source.number,
    }
    if job_type == "ONSITE":  # handed to dispatch as an intake is
        assert [e.kind for e in events] == ["created", "handed_to_dispatch"] and job.state == "QUEUED_FOR_DISPATCH"
    else:
        assert [e.kind for e in events] == ["created"] and job.state == "RECEIVED"

    start = source.requested_at if kind.clocks_from_request else clock.now
    deadlines = (await db.exec(select(JobDeadline).where(JobDeadline.job_id == job.id))).all()
    assert {d.rule: d.due_at for d in deadlines} == _expected_clocks(ctx.calendar, job_type, start, job.zone)
    assert all(d.met_at is None for d in deadlines)


async def test_follow_ons_of_one_job_get_numbers_of_their_own(client, db, make_user, world):
    coordinator = await make_user("coordinator")
    await sign_in(client, coordinator)
    source = await take_request(client, db)
    ctx = await world.acting(coordinator)
    async with transaction(db):
        first = await open_follow_on(db, source, ctx, kind=TAKEN_BACK, job_type="CARRY_IN")
        second = await open_follow_on(db, source, ctx, kind=REPEAT_REPAIR, job_type="ONSITE", fault="Again")
    assert len({source.number, first.number, second.number}) == 3
    children = (await db.exec(select(Job.id).where(Job.parent_job_id == source.id))).all()
    assert set(children) == {first.id, second.id}
