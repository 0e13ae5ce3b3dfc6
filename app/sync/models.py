"""Idempotency records (a replayed request gets the stored response instead of being applied twice) and what
each engineer's phone last reported."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary
from sqlmodel import Field, SQLModel

from app.core.change_scope import detail_rows


class IdempotencyRecord(SQLModel, table=True):
    """Written in the same transaction as the change it guards; the response is added once it is sent."""

    __tablename__ = "idempotency_record"

    user_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)
    key: str = Field(max_length=100, primary_key=True)
    fingerprint: str = Field(max_length=64)
    created_at: datetime = Field(index=True)
    status_code: int | None = None
    headers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    body: bytes = Field(default=b"", sa_column=Column(LargeBinary, nullable=False))


class PhoneStatus(SQLModel, table=True):
    """What an engineer's phone last reported: when it synced and how many changes it still holds, per job.
    (The table keeps its first name, ``device_status``; a device is the customer's equipment.)"""

    __tablename__ = "device_status"

    user_id: uuid.UUID = Field(foreign_key="user_account.id", primary_key=True)
    last_sync_at: datetime | None = None
    pending_changes: int = Field(default=0)
    pending_by_job: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))
    reported_at: datetime | None = None


detail_rows(IdempotencyRecord, shown=False)
detail_rows(PhoneStatus)  # the boards' engineers panel shows it: app.sync.status notes what changes there
