"""Call-backs (domain.md §4 S2, §3.5): a caller the hotline could not answer within the minute on hold left their
number (请对方留下电话号码,主动打电话给对方); the office calls back by the task's due time."""

import uuid
from datetime import datetime

from sqlmodel import Field, Index, SQLModel


class CallBack(SQLModel, table=True):
    """One promised call-back. ``state``: open (also after a try nobody answered), answered (the question was
    settled on the phone: ``note`` is the inquiry record), case (a consultation case, ``case_id``, took it over)."""

    __tablename__ = "call_back"
    __table_args__ = (Index("ix_call_back_office_state_due", "office_id", "state", "due_at"),)

    id: uuid.UUID = Field(primary_key=True)  # chosen by the form: the same form sent twice is one call-back
    office_id: uuid.UUID = Field(foreign_key="office.id")
    customer_name: str = Field(max_length=120)
    phone: str = Field(max_length=30)
    subject: str = Field(max_length=1000)  # what the caller asked about
    job_id: uuid.UUID | None = Field(default=None, foreign_key="job.id")  # the case or job it is about, if any
    called_at: datetime
    due_at: datetime  # S2: the call-back promised by this time
    taken_by_id: uuid.UUID = Field(foreign_key="user_account.id")
    state: str = Field(default="open", max_length=10)
    tries: int = Field(default=0)  # calls made that nobody answered
    note: str = Field(default="", max_length=1000)  # the last try's note, or what the answer was
    closed_at: datetime | None = None
    closed_by_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")
    case_id: uuid.UUID | None = Field(default=None, foreign_key="job.id")  # the consultation case it opened
    version: int = Field(default=1)
