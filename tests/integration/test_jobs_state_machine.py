"""Random sequences of dispatch, visit, parts and completion actions never break the spec's invariants
(property-based). Sequences are built around the way to completion, so that INV-2 is tested on completed jobs;
a planted bug shows that the property finds a completion without a signature."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from litestar.exceptions import HTTPException
from sqlalchemy import delete, func
from sqlmodel import SQLModel, select

from app.accounts import service as accounts
from app.accounts.acting import Context
from app.accounts.models import User
from app.core.calendar import WorkingCalendar
from app.core.database import make_engine, make_sessionmaker
from app.core.errors import DomainError
from app.core.security import hash_password
from app.core.settings import Settings
from app.core.validation import FieldError
from app.desk import completion
from app.jobs import dispatch, escalations, intake
from app.jobs.models import Job, JobDeadline, JobEvent
from app.jobs.states import CLOSED_STATES, find_transition
from app.parts.models import PartUnit
from app.visits import signing
from app.visits.engine import ChecklistRefused
from app.visits.models import StepResult
from tests.helpers.visits import lend_unit
from tests.helpers.world import KEYS, World

CALENDAR = WorkingCalendar()
START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 office time
PASSWORD_HASH = hash_password("long-password")

ACTION = st.one_of(
    st.tuples(st.just("assign"), st.integers(0, 2), st.booleans()),
    st.tuples(st.just("contact"), st.booleans(), st.integers(-1, 6)),
    st.tuples(st.just("reschedule"), st.integers(0, 4), st.sampled_from(["09:00", "14:00"])),
    st.tuples(st.just("cancel"), st.booleans()),
    st.tuples(st.just("travel")),
    st.tuples(st.just("visit"), st.sampled_from(["enter", "evaluation", "signature", "cleanup"])),
    st.tuples(st.just("parts_back")),
    st.tuples(st.just("complete")),
    st.tuples(st.just("escalate"), st.sampled_from(["L1", "L2", "L3", "L4"])),
    st.tuples(st.just("wait"), st.integers(1, 60 * 30)),
    st.tuples(st.just("stale_cancel")),
)
AFTER_COMPLETION = {"S16", "ESC_ACK", "ESC_RESOLVE", "S11"}
# The way to completion: assigned, contacted, on the way, visited and signed, parts back, completed (T1–T18).
TO_COMPLETION = [
    ("assign", 0, False),
    ("contact", True, 1),
    ("travel",),
    ("visit", "cleanup"),
    ("parts_back",),
    ("complete",),
]


@st.composite
def actions(draw):
    """A prefix of the way to completion (often all of it) with random actions slipped in anywhere."""
    steps = TO_COMPLETION[: draw(st.sampled_from([len(TO_COMPLETION)] * 2 + list(range(len(TO_COMPLETION)))))]
    for extra in draw(st.lists(ACTION, max_size=6)):
        steps.insert(draw(st.integers(0, len(steps))), extra)
    return steps or [draw(ACTION)]


def visit(now: datetime, day_offset: int, start: str = "10:00") -> dict[str, str]:
    day = CALENDAR.local_date(now) + timedelta(days=day_offset)
    end = "12:00" if start == "10:00" else ("11:00" if start == "09:00" else "16:00")
    return {"appointment_date": day.isoformat(), "appointment_from": start, "appointment_to": end}


async def run(settings: Settings, steps) -> None:
    """Plays ``steps`` on one job; returns whether it reached completion."""
    engine = make_engine(settings.database_url)
    completed = False
    try:
        async with make_sessionmaker(engine)() as db:
            office = await accounts.default_office(db)
            users = [
                User(
                    office_id=office.id,
                    username=f"{role}{n}",
                    display_name=f"{role} {n}",
                    role=role,
                    certified=True,
                    password_hash=PASSWORD_HASH,
                    created_at=START,
                    updated_at=START,
                )
                for n, role in enumerate(["coordinator", "engineer", "engineer", "engineer", "clerk"])
            ]
            db.add_all(users)
            await db.commit()
            db.expunge_all()  # the actors live outside the session, as request.user does in the app
            coordinator, engineers, clerk = users[0], users[1:4], users[4]
            now = START
            ctx = Context(coordinator, now, CALENDAR)
            form = intake.parse_intake_form(
                {
                    "job_type": "ONSITE",
                    "channel": "phone",
                    "priority": "normal",
                    "customer_name": "C",
                    "customer_phone": "13800138000",
                    "site_address": "A",
                    "zone": "IN_AREA",
                    "contact_name": "W",
                    "contact_phone": "13800138000",
                    "device_model": "M",
                    "device_serial": "S1",
                    "warranty_status": "in_warranty",
                    "warranty_basis": "card",
                    "fault_description": "F",
                    "fault_judgement": "hardware",
                },
                CALENDAR.tz,
            )
            job_id = (await intake.create_job(db, form, ctx, office_code="MAIN")).id
            for step in steps:
                kind = step[0]
                if kind == "wait":
                    now += timedelta(minutes=step[1])
                    continue
                actor = engineers[0] if kind in {"travel"} else coordinator
                ctx = Context(actor, now, CALENDAR)
                world = World(db, settings, lambda now=now: now, make_user=None)
                before = (await db.exec(select(Job.version).where(Job.id == job_id))).one()
                try:
                    if kind == "assign":
                        data = {"engineer_id": str(engineers[step[1]].id), "reason": "swap" if step[2] else ""}
                        await dispatch.assign(db, job_id, data, ctx, version=None)
                    elif kind == "contact":
                        data = {
                            "outcome": "reached" if step[1] else "not_reached",
                            "contact_person": "W",
                            **visit(now, step[2]),
                        }
                        await dispatch.record_contact(db, job_id, data, ctx, version=None)
                    elif kind == "reschedule":
                        await dispatch.reschedule(
                            db, job_id, {"reason": "r", **visit(now, step[1], step[2])}, ctx, version=None
                        )
                    elif kind == "cancel":
                        data = {"reason": "r", "customer_informed": "on" if step[1] else ""}
                        await dispatch.cancel(db, job_id, data, ctx, version=None)
                    elif kind == "travel":
                        await dispatch.start_travel(db, job_id, {}, ctx, version=None)
                    elif kind == "visit":
                        await walk(db, world, job_id, step[1])
                    elif kind == "parts_back":
                        await world.parts_back(await db.get(Job, job_id), clerk)
                    elif kind == "complete":
                        await completion.complete(db, job_id, {}, ctx, version=None)
                    elif kind == "escalate":
                        await escalations.escalate(
                            db, job_id, {"level": step[1], "symptoms": "s", "actions_taken": "a"}, ctx
                        )
                    elif kind == "stale_cancel":
                        await dispatch.cancel(
                            db, job_id, {"reason": "r", "customer_informed": "on"}, ctx, version=before - 1
                        )
                except (DomainError, FieldError, HTTPException, ChecklistRefused):
                    after = (await db.exec(select(Job.version).where(Job.id == job_id))).one()
                    assert after == before, f"a refused {kind} changed the job"
                await check_invariants(db, job_id, now)
                completed = completed or (await db.get(Job, job_id)).state == "COMPLETED"
    finally:
        async with engine.begin() as conn:
            for table in reversed(SQLModel.metadata.sorted_tables):
                await conn.execute(delete(table))
        await engine.dispose()
    return completed


async def walk(db, world: World, job_id, last: str) -> None:
    """The visit, from where the checklist stands up to ``last``, with a part lent for its repair step."""
    job = (await db.exec(select(Job).where(Job.id == job_id).execution_options(populate_existing=True))).one()
    if job.engineer_id is None:  # nobody to walk it
        return
    done = set((await db.exec(select(StepResult.step_key).where(StepResult.job_id == job_id))).all())
    first = next((key for key in KEYS if key not in done), None)
    if first is None or KEYS.index(last) < KEYS.index(first):
        return
    if not (await db.exec(select(PartUnit).where(PartUnit.job_id == job_id))).first():
        await lend_unit(db, job, await db.get(User, job.engineer_id), "PSU-77812")
        await db.commit()
    await world.visit(job, last, first=first)


async def check_invariants(db, job_id, now) -> None:
    job = (await db.exec(select(Job).where(Job.id == job_id).execution_options(populate_existing=True))).one()
    events = (await db.exec(select(JobEvent).where(JobEvent.job_id == job_id).order_by(JobEvent.version))).all()
    assert job.is_open == (job.state not in CLOSED_STATES)
    assert [e.version for e in events] == list(range(1, job.version + 1)), "one event per version, no gaps"
    for event in events:
        if event.from_state and event.to_state:
            assert find_transition(job.job_type, event.from_state, event.to_state), (event.from_state, event.to_state)
    assert job.state != "COMPLETED" or job.report_signed_at is not None, "INV-2: no completion without signature"
    if job.state == "SCHEDULED":
        assert job.appointment_start and job.first_contact_at and job.engineer_id
    open_due = await db.scalar(
        select(func.min(JobDeadline.due_at)).where(JobDeadline.job_id == job_id, JobDeadline.met_at.is_(None))
    )
    assert job.next_due_at == open_due, "the board's next deadline is the nearest open one"
    if not job.is_open:  # a closed job runs no clock of its own; completion leaves the follow-up call (S16) and
        assert job.unfinished_after is None  # an escalation's own clocks running (completing it meets only S15)
        assert job.next_due_at is None or (job.state == "COMPLETED" and job.next_due_rule in AFTER_COMPLETION)


def keeps_the_invariants(examples: int, **options):
    """The property over ``examples`` generated sequences, as a function of the app's settings and a list that
    collects whether each sequence reached completion."""

    @hypothesis_settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), **options)
    @given(steps=actions())
    def prop(settings_, reached, steps):
        reached.append(asyncio.run(run(settings_, steps)))

    return prop


def test_it_keeps_the_invariants_over_random_action_sequences(settings):
    reached = []
    keeps_the_invariants(25)(settings, reached)
    assert any(reached), "some generated sequences reach completion, where INV-2 matters"


def test_the_property_finds_a_completion_without_a_signature(settings, monkeypatch):
    """A planted bug: completion forgets the signature gate, and sign-off forgets to stamp the job as signed."""
    real_gates, real_freeze = completion.open_gates, signing.freeze_report

    async def gates_without_the_signature(db, job):
        return [gate for gate in await real_gates(db, job) if "signature" not in gate]

    async def unstamped_freeze(db, state, signature, ctx):
        await real_freeze(db, state, signature, ctx)
        state.job.report_signed_at = None

    monkeypatch.setattr(completion, "open_gates", gates_without_the_signature)
    monkeypatch.setattr(signing, "freeze_report", unstamped_freeze)
    with pytest.raises(AssertionError, match="INV-2"):
        keeps_the_invariants(25, phases=[Phase.explicit, Phase.generate], derandomize=True)(settings, [])
