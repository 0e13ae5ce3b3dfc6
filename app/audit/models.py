"""The audit log of exports and of views of customers' personal data (domain.md §12.1, F59)."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel


class AuditEntry(SQLModel, table=True):
    """Who did what, when, to which record, from which device."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_office_at", "office_id", "at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    at: datetime
    actor_id: uuid.UUID = Field(foreign_key="user_account.id")
    actor_role: str = Field(max_length=20)
    action: str = Field(max_length=40)
    record_type: str = Field(max_length=40)
    record_id: str = Field(default="", max_length=80)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    device: str = Field(default="", max_length=200)
