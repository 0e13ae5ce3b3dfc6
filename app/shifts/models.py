"""Staff readiness and the duty rota (domain.md §4 S19, S23): each user's check-in for an office day, and the
person on duty (the 24-hour duty mobile, 值班手机) for each date of the office."""

import uuid
from datetime import date, datetime

from sqlmodel import Field, SQLModel

from app.accounts.daily import DailyRecord


class ShiftCheckIn(DailyRecord, table=True):
    """A member of staff was ready (到岗) on an office day: once per user and day. ``at`` is the server's time;
    ``device_at`` the phone's, when the check-in waited in its outbox."""

    __tablename__ = "shift_check_in"


class DutyDay(SQLModel, table=True):
    """Who carries the office's duty mobile on a date (S23); ``user_id`` None: nobody named (cleared)."""

    __tablename__ = "duty_day"

    office_id: uuid.UUID = Field(foreign_key="office.id", primary_key=True)
    day: date = Field(primary_key=True)
    user_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    version: int = Field(default=1)
    updated_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    updated_at: datetime
