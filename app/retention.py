"""Retention: what is past its keep time is deleted, by ``onsite prune`` and by the scheduler (app/notify).

Keep times are settings (README): idempotency records (stored answers, up to 256 KB each) after
``ONSITE_KEEP_IDEMPOTENCY_DAYS``; sign-in sessions that expired more than ``ONSITE_KEEP_EXPIRED_SESSIONS_DAYS``
ago; failed sign-ins after ``ONSITE_KEEP_SIGN_IN_ATTEMPTS_DAYS`` (never before the throttling window is over).
"""

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import LoginAttempt, UserSession
from app.core.settings import Settings
from app.sync.models import IdempotencyRecord


async def prune(db: AsyncSession, settings: Settings, now: datetime) -> dict[str, int]:
    """Deletes what is past its keep time, in one transaction; returns how many rows per kind."""
    attempts_days = max(
        timedelta(days=settings.keep_sign_in_attempts_days), timedelta(minutes=settings.login_window_minutes)
    )
    statements = {
        "idempotency_records": delete(IdempotencyRecord).where(
            IdempotencyRecord.created_at < now - timedelta(days=settings.keep_idempotency_days)
        ),
        "expired_sessions": delete(UserSession).where(
            UserSession.expires_at < now - timedelta(days=settings.keep_expired_sessions_days)
        ),
        "sign_in_attempts": delete(LoginAttempt).where(LoginAttempt.at < now - attempts_days),
    }
    deleted = {}
    try:  # a plain commit: deleting old rows changes nothing a page shows, so no new data version
        for kind, statement in statements.items():
            deleted[kind] = (await db.exec(statement)).rowcount or 0
        await db.commit()
    except BaseException:
        await db.rollback()
        raise
    return deleted
