"""Random sequences of dispatch actions never break the spec's invariants (property-based)."""

import asyncio
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
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
from app.core.validation import FieldError
from app.desk import completion
from app.jobs import dispatch, escalations, intake
from app.jobs.models import Job, JobDeadline, JobEvent
from app.jobs.states import CLOSED_STATES, find_transition

CALENDAR = WorkingCalendar()
START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 office time
PASSWORD_HASH = hash_password("long-password")

actions = st.lists(
    st.one_of(
        st.tuples(st.just("assign"), st.integers(0, 2), st.booleans()),
        st.tuples(st.just("contact"), st.booleans(), st.integers(-1, 6)),
        st.tuples(st.just("reschedule"), st.integers(0, 4), st.sampled_from(["09:00", "14:00"])),
        st.tuples(st.just("cancel"), st.booleans()),
        st.tuples(st.just("travel")),
        st.tuples(st.just("complete")),
        st.tuples(st.just("escalate"), st.sampled_from(["L1", "L2", "L3", "L4"])),
        st.tuples(st.just("wait"), st.integers(1, 60 * 30)),
        st.tuples(st.just("stale_cancel")),
    ),
    min_size=1,
    max_size=12,
)


def visit(now: datetime, day_offset: int, start: str = "10:00") -> dict[str, str]:
    day = CALENDAR.local_date(now) + timedelta(days=day_offset)
    end = "12:00" if start == "10:00" else ("11:00" if start == "09:00" else "16:00")
    return {"appointment_date": day.isoformat(), "appointment_from": start, "appointment_to": end}


async def run(database_url: str, steps) -> None:
    engine = make_engine(database_url)
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
                for n, role in enumerate(["coordinator", "engineer", "engineer", "engineer"])
            ]
            db.add_all(users)
            await db.commit()
            db.expunge_all()  # the actors live outside the session, as request.user does in the app
            coordinator, engineers = users[0], users[1:]
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
                except (DomainError, FieldError, HTTPException):
                    after = (await db.exec(select(Job.version).where(Job.id == job_id))).one()
                    assert after == before, f"a refused {kind} changed the job"
                await check_invariants(db, job_id, now)
    finally:
        async with engine.begin() as conn:
            for table in reversed(SQLModel.metadata.sorted_tables):
                await conn.execute(delete(table))
        await engine.dispose()


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
    if not job.is_open:
        assert job.next_due_at is None and job.unfinished_after is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=actions)
def test_it_keeps_the_invariants_over_random_action_sequences(database_url, steps):
    asyncio.run(run(database_url, steps))
