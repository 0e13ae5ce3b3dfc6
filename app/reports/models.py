"""The audit log of exports and of views of customers' personal data (domain.md §12.1, F59)."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
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


class ReportApproval(SQLModel, table=True):
    """A period's service report as the branch manager approved it (F50): the document is frozen as rendered, so
    later corrections to the jobs never change an approved report."""

    __tablename__ = "report_approval"
    __table_args__ = (Index("ix_report_approval_office_period", "office_id", "period", unique=True),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    period: str = Field(max_length=8)
    body: str = Field(sa_column=Column(Text, nullable=False))
    approved_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    approved_at: datetime
