"""Reading the outbox: a user's in-app notifications, their unread count, and a job's messages with attempts."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from litestar.exceptions import NotFoundException
from sqlalchemy import func, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import User
from app.core.database import transaction
from app.notify.models import Notification, NotificationAttempt
from app.notify.outbox import APP
from app.notify.texts import Text, shown

INBOX_SIZE = 100


def _inbox(user: User):
    return select(Notification).where(Notification.user_id == user.id, Notification.channel == APP)


async def unread_count(db: AsyncSession, user: User) -> int:
    query = _inbox(user).where(Notification.read_at.is_(None)).with_only_columns(func.count())
    return await db.scalar(query) or 0


@dataclass(frozen=True)
class InboxItem:
    message: Notification
    text: Text  # in the reader's current language


async def inbox(db: AsyncSession, user: User) -> list[InboxItem]:
    """The user's latest notifications, each worded in the language of this request."""
    rows = await db.exec(_inbox(user).order_by(Notification.created_at.desc()).limit(INBOX_SIZE))
    return [InboxItem(item, shown(item.trigger, item.names, item.subject, item.body)) for item in rows.all()]


async def mark_read(db: AsyncSession, user: User, notification_id: uuid.UUID | None, now: datetime) -> None:
    """Marks one of the user's notifications (or, with None, all of them) read; marking again changes nothing.
    Another user's notification, or none, is a 404."""
    async with transaction(db):
        statement = (
            update(Notification)
            .where(Notification.user_id == user.id, Notification.channel == APP, Notification.read_at.is_(None))
            .values(read_at=now)
        )
        if notification_id is not None:
            if (await db.scalar(_inbox(user).where(Notification.id == notification_id))) is None:
                raise NotFoundException()
            statement = statement.where(Notification.id == notification_id)
        await db.exec(statement)


@dataclass(frozen=True)
class SentMessage:
    message: Notification
    attempts: list[NotificationAttempt]
    recipient: str


async def job_messages(db: AsyncSession, job_id: uuid.UUID) -> list[SentMessage]:
    """Every message about the job, newest first, with each delivery attempt."""
    rows = await db.exec(
        select(Notification, User.display_name)
        .outerjoin(User, User.id == Notification.user_id)
        .where(Notification.job_id == job_id)
        .order_by(Notification.created_at.desc(), Notification.channel)
    )
    messages = list(rows.all())
    ids = [message.id for message, _name in messages]
    attempts: dict[uuid.UUID, list[NotificationAttempt]] = {}
    if ids:
        found = await db.exec(
            select(NotificationAttempt)
            .where(NotificationAttempt.notification_id.in_(ids))
            .order_by(NotificationAttempt.at)
        )
        for attempt in found.all():
            attempts.setdefault(attempt.notification_id, []).append(attempt)
    return [SentMessage(message, attempts.get(message.id, []), name or message.address) for message, name in messages]
