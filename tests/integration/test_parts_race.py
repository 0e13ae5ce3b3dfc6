"""Concurrent check-outs of one unit: exactly one wins, the others get a clear refusal."""

import asyncio
import uuid

from app.accounts.acting import Context, load_calendar
from app.core.database import make_sessionmaker
from app.core.errors import DomainError
from app.parts import ledger
from app.parts.idempotency import MovementKey
from tests.helpers.parts import add_units, assigned_job, movements, unit


async def _attempt(engine, settings, clock, clerk, engineer, job, code: str):
    async with make_sessionmaker(engine)() as session:
        ctx = Context(actor=clerk, now=clock(), calendar=await load_calendar(session, clerk.office_id, settings))
        values = {"codes": code, "attempt": uuid.uuid4().hex}
        try:
            await ledger.check_out(
                session,
                ctx,
                MovementKey(uuid.uuid4(), "CHECK_OUT", values),
                engineer_id=engineer.id,
                job_id=job.id,
                codes=[code],
                sealed=True,
            )
            return "won"
        except DomainError as error:
            return error.message


async def test_it_lets_exactly_one_of_twenty_concurrent_check_outs_win(
    client, db, engine, settings, make_user, office, clock
):
    engineer = await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    clerk = await make_user("clerk")
    target = (await add_units(db, office, clock, count=1))[0]
    results = await asyncio.gather(
        *(_attempt(engine, settings, clock, clerk, engineer, job, target.code) for _i in range(20))
    )
    assert results.count("won") == 1, results
    assert all(f"Unit {target.code} is already lent to {engineer.display_name}." == r for r in results if r != "won")
    rows = await movements(db)
    assert len(rows) == 1 and rows[0].kind == "CHECK_OUT"
    assert (await unit(db, target.id)).holder_id == engineer.id


async def test_it_answers_concurrent_replays_of_one_movement_id_alike_and_writes_once(
    client, db, engine, settings, make_user, office, clock
):
    engineer = await make_user("engineer")
    job = await assigned_job(client, db, make_user, engineer)
    clerk = await make_user("clerk")
    target = (await add_units(db, office, clock, count=1))[0]
    key = uuid.uuid4()

    async def replay():
        async with make_sessionmaker(engine)() as session:
            ctx = Context(actor=clerk, now=clock(), calendar=await load_calendar(session, clerk.office_id, settings))
            rows = await ledger.check_out(
                session,
                ctx,
                MovementKey(key, "CHECK_OUT", {"codes": target.code}),
                engineer_id=engineer.id,
                job_id=job.id,
                codes=[target.code],
                sealed=True,
            )
            return [row.id for row in rows]

    results = await asyncio.gather(*(replay() for _i in range(10)))
    assert results == [[key]] * 10
    assert len(await movements(db)) == 1
