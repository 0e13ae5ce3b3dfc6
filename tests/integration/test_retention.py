"""Retention: stored answers, expired sessions and failed sign-ins are deleted after their keep time."""

from dataclasses import replace
from datetime import timedelta

import pytest
from litestar.testing import AsyncTestClient
from sqlalchemy import func
from sqlmodel import select

from app.accounts.models import LoginAttempt, UserSession
from app.main import create_app
from app.retention import prune
from app.sync.models import IdempotencyRecord
from tests.helpers.servers import run_cli
from tests.helpers.waiting import wait_until


async def count(db, model) -> int:
    return await db.scalar(select(func.count()).select_from(model))


async def old_and_new_rows(db, user, now) -> None:
    """One row of each kind past its keep time (30 days, 7 days after expiry, 7 days) and one within it."""
    for age, key in [(timedelta(days=31), "old"), (timedelta(days=29), "new")]:
        db.add(IdempotencyRecord(user_id=user.id, key=key, fingerprint="f", created_at=now - age, body=b"x" * 1000))
    for expired_ago, token in [
        (timedelta(days=8), "a" * 64),
        (timedelta(days=6), "b" * 64),
        (-timedelta(days=1), "c" * 64),
    ]:
        db.add(
            UserSession(
                token_hash=token, user_id=user.id, created_at=now - timedelta(days=40), expires_at=now - expired_ago
            )
        )
    for age in [timedelta(days=8), timedelta(hours=1)]:
        db.add(LoginAttempt(username="someone", ip="192.0.2.1", at=now - age))
    await db.commit()


async def test_it_deletes_only_what_is_past_its_keep_time(db, make_user, settings, clock):
    user = await make_user("engineer")
    await old_and_new_rows(db, user, clock())
    deleted = await prune(db, settings, clock())
    assert deleted == {"idempotency_records": 1, "expired_sessions": 1, "sign_in_attempts": 1}
    assert (await db.exec(select(IdempotencyRecord.key))).all() == ["new"]
    assert sorted((await db.exec(select(UserSession.token_hash))).all()) == ["b" * 64, "c" * 64]
    assert await count(db, LoginAttempt) == 1


async def test_it_keeps_failed_sign_ins_while_they_still_count_towards_a_wait(db, make_user, settings, clock):
    db.add(LoginAttempt(username="someone", ip="192.0.2.1", at=clock() - timedelta(hours=2)))
    await db.commit()
    await prune(db, replace(settings, keep_sign_in_attempts_days=0, login_window_minutes=180), clock())
    assert await count(db, LoginAttempt) == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_it_prunes_from_the_command_line(database_url, db, make_user, tmp_path, clock):
    from datetime import UTC, datetime

    user = await make_user("engineer")
    await old_and_new_rows(db, user, datetime.now(UTC))
    result = run_cli(database_url, "prune", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "idempotency_records: 1 deleted" in result.stdout and "expired_sessions: 1 deleted" in result.stdout
    assert await count(db, IdempotencyRecord) == 1


async def test_it_prunes_every_so_often_while_the_server_runs(engine, db, make_user, settings, clock):
    user = await make_user("engineer")
    await old_and_new_rows(db, user, clock())
    app = create_app(replace(settings, prune_every_minutes=0.001, scheduler_in_server=True), clock)
    async with AsyncTestClient(app=app):

        async def pruned() -> bool:
            await db.rollback()  # a fresh snapshot on each read
            return await count(db, IdempotencyRecord) == 1

        await wait_until(pruned, what="the server's pruning", timeout=20)
    assert await count(db, LoginAttempt) == 1
