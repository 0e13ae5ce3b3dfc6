"""Writing messages into the outbox, in the caller's transaction: to a customer (SMS and e-mail, in the customer's
language) or to members of staff (in-app, worded again in the reader's language whenever it is shown, and SMS to
their phone in their language: the one they chose, else the one their browser asked for when they last signed in).
Times are written in the time zone of the job's office."""

import uuid
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Office, Role, User
from app.core.database import insert_if_missing
from app.core.formats import in_time_zone
from app.core.i18n import customer_language, office_locale
from app.jobs.models import Customer, Job
from app.notify.models import Notification
from app.notify.texts import Names, compose, encode, speaking

PENDING, SENT, FAILED = "pending", "sent", "failed"
EMAIL, SMS, APP = "email", "sms", "app"


async def enqueue(db: AsyncSession, notification: Notification) -> None:
    """Adds the message unless one with its ``dedupe_key`` exists (then nothing happens, and nothing fails)."""
    values = {column.name: getattr(notification, column.name) for column in Notification.__table__.columns}
    await insert_if_missing(db, Notification, values, ["dedupe_key"])


def _message(about: tuple, key: str, trigger: str, channel: str, locale: str, names: Names, now: datetime, **fields):
    """``about``: the office and the job (or None) the message is about."""
    with speaking(locale), in_time_zone(fields.pop("time_zone")):
        text = compose(trigger, names)
    office_id, job_id = about
    return Notification(
        office_id=office_id,
        job_id=job_id,
        dedupe_key=f"{key}:{channel}:{fields.get('user_id') or fields.get('address')}"[:200],
        trigger=trigger,
        names=encode(names),
        channel=channel,
        locale=locale,
        subject=text.subject,
        body=text.body,
        status=SENT if channel == APP else PENDING,
        next_attempt_at=None if channel == APP else now,
        sent_at=now if channel == APP else None,
        created_at=now,
        **fields,
    )


async def tell_customer(db: AsyncSession, job: Job, trigger: str, key: str, names: Names, now: datetime) -> None:
    """An SMS to the job's contact phone and an e-mail to the customer's address, when there is one."""
    customer = await db.get(Customer, job.customer_id)
    locale, zone = customer_language(customer), (await db.get(Office, job.office_id)).time_zone
    for channel, address in ((SMS, job.contact_phone), (EMAIL, customer.email)):
        if address:
            fields = {"address": address, "time_zone": zone}
            await enqueue(db, _message((job.office_id, job.id), key, trigger, channel, locale, names, now, **fields))


async def tell_staff(
    db: AsyncSession,
    job: Job,
    users: list[User],
    trigger: str,
    key: str,
    names: Names,
    now: datetime,
    *,
    by_sms: bool = True,
) -> None:
    """The bell of each user, and (``by_sms``) an SMS to their phone when they have one."""
    await tell_office_staff(db, (job.office_id, job.id), users, trigger, key, names, now, by_sms=by_sms)


async def tell_office_staff(
    db: AsyncSession,
    about: tuple[uuid.UUID, uuid.UUID | None],
    users: list[User],
    trigger: str,
    key: str,
    names: Names,
    now: datetime,
    *,
    by_sms: bool = True,
) -> None:
    """``tell_staff`` about something of an office (``about``: the office and the job, or None, it concerns)."""
    zone = (await db.get(Office, about[0])).time_zone
    for user in users:
        locale, to = staff_language(user), {"user_id": user.id, "time_zone": zone}
        await enqueue(db, _message(about, key, trigger, APP, locale, names, now, **to))
        if by_sms and user.phone:
            await enqueue(db, _message(about, key, trigger, SMS, locale, names, now, address=user.phone, **to))


def staff_language(user: User) -> str:
    """The language a member of staff reads outside the app: their own choice, else their browser's at sign-in."""
    return user.locale or user.interface_locale or office_locale()


async def staff(db: AsyncSession, office_id: uuid.UUID, *roles: Role) -> list[User]:
    """The office's active users with one of ``roles`` (every coordinator is on duty in working hours; outside them
    the duty rota, ``app.shifts.rota``, names one more person)."""
    rows = await db.exec(
        select(User)
        .where(User.office_id == office_id, User.is_active, User.role.in_([str(role) for role in roles]))
        .order_by(User.username)
    )
    return list(rows.all())
