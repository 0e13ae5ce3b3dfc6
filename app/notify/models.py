"""The notification outbox, each delivery attempt, and the scheduler's record of clocks it has handled."""

import uuid
from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, Index, SQLModel

from app.core.change_scope import detail_rows


class Notification(SQLModel, table=True):
    """One message to one person on one channel, written in the transaction of the change that causes it.

    ``dedupe_key`` is unique: the same trigger seen twice (a replayed action, a second scheduler tick) writes one
    message. E-mail and SMS rows wait as ``pending`` for the sender; in-app rows are ``sent`` at once and read
    from the bell."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_due", "status", "next_attempt_at"),
        Index("ix_notification_inbox", "user_id", "channel", "read_at"),
        Index("ix_notification_job", "job_id", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    office_id: uuid.UUID = Field(foreign_key="office.id")
    job_id: uuid.UUID | None = Field(default=None, foreign_key="job.id")
    dedupe_key: str = Field(max_length=200, unique=True)
    trigger: str = Field(max_length=40)
    channel: str = Field(max_length=10)  # email, sms, app
    user_id: uuid.UUID | None = Field(default=None, foreign_key="user_account.id")  # a member of staff
    address: str = Field(default="", max_length=254)  # e-mail address or phone number; "" in-app
    locale: str = Field(max_length=10)  # the language of ``subject`` and ``body``, as sent
    names: str = Field(default="", sa_type=Text)  # JSON: the names of the trigger's text (app.notify.texts)
    subject: str = Field(max_length=200)
    body: str = Field(max_length=2000)
    status: str = Field(max_length=10)  # pending, sent, failed
    attempts: int = Field(default=0)
    next_attempt_at: datetime | None = None
    last_error: str = Field(default="", max_length=500)
    created_at: datetime
    sent_at: datetime | None = None
    read_at: datetime | None = None


class NotificationAttempt(SQLModel, table=True):
    """One try at delivering a message, successful or not (shown on the job page)."""

    __tablename__ = "notification_attempt"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    notification_id: uuid.UUID = Field(foreign_key="notification.id", index=True)
    at: datetime
    ok: bool
    error: str = Field(default="", max_length=500)


class ClockTick(SQLModel, table=True):
    """A clock the scheduler has acted on (an overdue deadline, an escalation moved up, a pickup reminder), keyed
    by the clock and its deadline so that each is handled once, however many ticks or restarts see it."""

    __tablename__ = "clock_tick"

    kind: str = Field(max_length=20, primary_key=True)
    subject_id: uuid.UUID = Field(primary_key=True)
    due_at: datetime = Field(primary_key=True)
    done_at: datetime


# Delivering a message changes no kept page (the bell is fetched on its own, attempts show on the job's page):
# the sender's transactions leave every office's version as it is (app.core.change_scope).
detail_rows(Notification, updated={"status", "attempts", "next_attempt_at", "last_error", "sent_at"}, shown=False)
detail_rows(NotificationAttempt, shown=False)
