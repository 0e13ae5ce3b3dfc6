"""Idempotency records: a replayed request gets the stored response instead of being applied twice."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary
from sqlmodel import Field, SQLModel


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


class JobConflict(SQLModel, table=True):
    """Two people changed the same field of a job from the same starting value: both values are kept here
    until a person chooses (architecture.md: "a real clash becomes a visible conflict")."""

    __tablename__ = "job_conflict"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="job.id", index=True)
    field: str = Field(max_length=40)
    kept_value: str = Field(max_length=300)
    other_value: str = Field(max_length=300)
    other_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    other_at: datetime
    resolved_at: datetime | None = None
    resolved_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
