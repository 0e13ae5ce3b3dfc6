"""What a user does once an office day (the conduct card read, the shift check-in): one row per user and day,
with the server's time and the phone's when the action waited in its outbox."""

import uuid
from datetime import date, datetime
from typing import TypeVar

from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core.database import insert_if_missing, transaction


class DailyRecord(SQLModel):
    """The columns of a once-a-day record; a table class adds its name."""

    user_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)
    day: date = Field(primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id", index=True)
    at: datetime
    device_at: datetime | None = None


Record = TypeVar("Record", bound=DailyRecord)


async def record_once(db: AsyncSession, model: type[Record], day: date, ctx: Context) -> Record:
    """The acting user's record of ``day``, added unless it exists: sent again, or twice at once, it is one row
    with the time of the first."""
    values = {"user_id": ctx.actor.id, "day": day, "office_id": ctx.actor.office_id, "at": ctx.now}
    async with transaction(db):
        await insert_if_missing(db, model, {**values, "device_at": ctx.device_at}, ["user_id", "day"])
    return await db.get(model, (ctx.actor.id, day), populate_existing=True)
