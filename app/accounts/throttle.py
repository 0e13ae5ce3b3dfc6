"""Sign-in throttling: growing waits after failures, per username and address and per address alone.

A username is never locked by failures from other addresses, so strangers cannot shut a user out; an
office behind one address gets many free failures before its address is slowed down.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import LoginAttempt


@dataclass(frozen=True)
class SignInLimits:
    free_failures: int = 3  # per username and address before the first wait
    address_free_failures: int = 20  # per address, whatever the names tried
    first_delay_seconds: int = 2  # doubled after each further failure
    max_delay_seconds: int = 900
    window_minutes: int = 60  # failures older than this are forgotten

    @classmethod
    def from_settings(cls, settings) -> "SignInLimits":
        return cls(
            free_failures=settings.login_free_failures,
            address_free_failures=settings.login_address_free_failures,
            first_delay_seconds=settings.login_first_delay_seconds,
            max_delay_seconds=settings.login_max_delay_seconds,
            window_minutes=settings.login_window_minutes,
        )


def wait_after(failures: int, free: int, limits: SignInLimits) -> int:
    """Seconds to wait after the last of ``failures``: none while free, then doubling up to the cap."""
    if failures < free:
        return 0
    return min(limits.max_delay_seconds, limits.first_delay_seconds * 2 ** min(failures - free, 30))


async def seconds_to_wait(db: AsyncSession, username: str, ip: str, now: datetime, limits: SignInLimits) -> int:
    """How long this username and address must still wait before a sign-in is checked (0: go ahead)."""
    since = now - timedelta(minutes=limits.window_minutes)
    waits = []
    for where, free in (
        ((LoginAttempt.username == username) & (LoginAttempt.ip == ip), limits.free_failures),
        (LoginAttempt.ip == ip, limits.address_free_failures),
    ):
        count, last = (
            await db.exec(select(func.count(), func.max(LoginAttempt.at)).where(where, LoginAttempt.at > since))
        ).one()
        if wait := wait_after(count, free, limits):
            waits.append(_aware(last, now) + timedelta(seconds=wait) - now)
    return max((int(-(-left.total_seconds() // 1)) for left in waits), default=0) if waits else 0


def _aware(moment: datetime, now: datetime) -> datetime:
    """SQLite gives naive UTC datetimes back."""
    return moment.replace(tzinfo=now.tzinfo) if moment.tzinfo is None else moment
