"""Follow-up calls and the complaints they open (domain.md §11.1, §11.2; F47, F48)."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel


class FollowUpCall(SQLModel, table=True):
    """One call attempt: 'reached' with the script's answers, or 'not reached' with the next try."""

    __tablename__ = "follow_up_call"
    __table_args__ = (Index("ix_follow_up_call_office_at", "office_id", "called_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    job_id: uuid.UUID = Field(foreign_key="job.id", index=True)
    caller_id: uuid.UUID = Field(foreign_key="user_account.id")
    called_at: datetime
    attempt: int = Field(default=1)
    reached: bool = Field(default=False)
    satisfied: bool | None = None
    score: int | None = None  # 1–5 (Default)
    fault_gone: bool | None = None
    conduct_ok: bool | None = None
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    complaint_areas: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    reason: str = Field(default="", max_length=1000)
    suggestions: str = Field(default="", max_length=1000)
    retry_at: datetime | None = None


class Complaint(SQLModel, table=True):
    """A complaint item for the branch manager, living on separately from the job (T21)."""

    __tablename__ = "complaint"
    __table_args__ = (Index("ix_complaint_office_opened", "office_id", "opened_at"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    job_id: uuid.UUID = Field(foreign_key="job.id", index=True)
    follow_up_call_id: uuid.UUID | None = Field(default=None, foreign_key="follow_up_call.id")
    opened_at: datetime
    opened_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    area: str = Field(max_length=20)
    description: str = Field(max_length=2000)
    attributable: bool | None = None
    escalation_id: uuid.UUID | None = Field(default=None, foreign_key="escalation.id")
    repeat_job_id: uuid.UUID | None = Field(default=None, foreign_key="job.id")
    root_cause: str = Field(default="", max_length=2000)
    corrective_action: str = Field(default="", max_length=2000)
    closed_at: datetime | None = None
