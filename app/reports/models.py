"""The management reports' own records: a period's report as the branch manager approved it."""

import uuid
from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel


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
