"""Fixtures' helpers for the notification tests: settings pointing at the local receivers, and staff with phones."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

from app.core.database import make_sessionmaker
from app.notify.scheduler import Scheduler


def notify_settings(settings, mail, sms, **overrides):
    return replace(
        settings,
        smtp_host="127.0.0.1",
        smtp_port=mail.port,
        smtp_from="office@onsite.test",
        sms_url=sms.url,
        sms_key="test-key",
        **overrides,
    )


@asynccontextmanager
async def scheduler_for(engine, settings, clock) -> AsyncIterator[Scheduler]:
    """A scheduler the test ticks by hand; on PostgreSQL it gives its lock connection back at the end."""
    scheduler = Scheduler(engine, make_sessionmaker(engine), settings, clock)
    try:
        yield scheduler
    finally:
        await scheduler.leadership.release()


async def with_phone(db, user, phone: str):
    user.phone = phone
    db.add(user)
    await db.commit()
    return user
