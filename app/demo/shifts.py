"""Demo duty rota (S23) for the coming days and the morning's first check-ins (S19)."""

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context, load_calendar
from app.accounts.models import Office, User
from app.shifts import readiness, rota, service

ROTA_DAYS = 8
ON_DUTY = ("engineer", "engineer2", "coordinator")  # in turn, day by day


async def load_demo_shifts(db: AsyncSession, office: Office, users: dict[str, User], now: datetime, settings) -> None:
    calendar = await load_calendar(db, office.id, settings)
    today = calendar.local_date(now)
    coordinator = Context(actor=users["coordinator"], now=now, calendar=calendar)
    for offset in range(ROTA_DAYS):
        person = users[ON_DUTY[offset % len(ON_DUTY)]]
        day = today + timedelta(days=offset)
        await rota.assign(db, {"day": day.isoformat(), "user_id": str(person.id), "version": "0"}, coordinator)
    # The coordinator ready on time; the clerk 5 minutes after the opening, late by 15 (S19).
    for username, from_opening in (("coordinator", timedelta(minutes=-25)), ("clerk", timedelta(minutes=5))):
        limit = readiness.ready_by(calendar, today, users[username].role)
        if limit is None:
            return  # a day off: nobody checks in
        opening = limit + readiness.READY_BEFORE.get(users[username].role_enum, readiness.STAFF_LIMIT)
        at = min(now, opening + from_opening)  # never later than the demo's loading
        await service.check_in(
            db, {"day": today.isoformat()}, Context(actor=users[username], now=at, calendar=calendar)
        )
