"""The daily conduct card (F26): the manager words it in both languages, each engineer sees it on My jobs until
they acknowledge it that day, and the manager sees who did."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.daily import record_once
from app.accounts.models import Role, User
from app.audit.trail import acted
from app.conduct.models import ConductAcknowledgement, ConductCard
from app.conduct.rules import RULES_EN, RULES_ZH
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import Conflict
from app.core.i18n import _

MAX_TEXT = 4000


@dataclass
class Card:
    text_en: str
    text_zh: str
    version: int  # 0: the manual's rules, never edited

    def rules(self, locale: str) -> list[str]:
        text = self.text_zh if locale.startswith("zh") else self.text_en
        return [line.strip() for line in text.splitlines() if line.strip()]


async def card_of(db: AsyncSession, office_id: uuid.UUID) -> Card:
    row = await db.get(ConductCard, office_id)
    return Card(row.text_en, row.text_zh, row.version) if row else Card(RULES_EN, RULES_ZH, 0)


async def acknowledged(db: AsyncSession, user: User, day: date) -> bool:
    return await db.get(ConductAcknowledgement, (user.id, day)) is not None


async def card_to_show(db: AsyncSession, user: User, day: date) -> Card | None:
    """The card for an engineer who has not acknowledged it on ``day``; None once they have."""
    if user.role != Role.ENGINEER or await acknowledged(db, user, day):
        return None
    return await card_of(db, user.office_id)


def _text(data: dict, field: str, label: str) -> str:
    value = str(data.get(field, "")).replace("\r\n", "\n")
    lines = [v.single_line(line) for line in value.split("\n")]
    text = "\n".join(line for line in lines if line)
    if not text:
        raise v.FieldError(field, _("%(label)s is required.", label=label))
    if "\x00" in text:
        raise v.FieldError(field, _("%(label)s contains characters that are not allowed.", label=label))
    if len(text) > MAX_TEXT:
        raise v.FieldError(field, _("%(label)s is too long (at most %(max)s characters).", label=label, max=MAX_TEXT))
    return text


async def save_card(db: AsyncSession, data: dict, ctx: Context) -> Card:
    """The manager's wording; the form names the version it was made from, so two edits never overwrite each
    other, and the same form sent again changes nothing."""
    check = v.Collector()
    text_en = check(_text, data, "text_en", _("Card in English"))
    text_zh = check(_text, data, "text_zh", _("Card in Chinese"))
    check.done()
    async with transaction(db):
        row = await db.get(ConductCard, ctx.actor.office_id, with_for_update=True)
        current = row.version if row else 0
        if row and (row.text_en, row.text_zh) == (text_en, text_zh):
            return Card(text_en, text_zh, row.version)
        if str(data.get("version", "")) != str(current):
            raise Conflict(_("Someone changed the card meanwhile. Reload the page and make your change again."))
        row = row or ConductCard(office_id=ctx.actor.office_id, text_en="", text_zh="", version=0)
        row.text_en, row.text_zh, row.version = text_en, text_zh, current + 1
        row.updated_by_id, row.updated_at = ctx.actor.id, ctx.now
        db.add(row)
        db.add(acted(ctx, "conduct_card_saved", "conduct_card", str(ctx.actor.office_id), {"version": row.version}))
    return Card(text_en, text_zh, row.version)


async def acknowledge(db: AsyncSession, data: dict, ctx: Context) -> ConductAcknowledgement:
    """Records that the engineer read the card on that day; sent again, it stays recorded once."""
    day = v.tapped_day(
        data,
        ctx.calendar.local_date(ctx.now),
        _("This card was shown on another day. Reload My jobs to read today's card."),
    )
    return await record_once(db, ConductAcknowledgement, day, ctx)


@dataclass
class Reader:
    user: User
    at: datetime | None  # None: not acknowledged that day


async def readers(db: AsyncSession, office_id: uuid.UUID, day: date) -> list[Reader]:
    """The office's engineers and when each acknowledged the card on ``day``, those who did not first."""
    query = (
        select(User, ConductAcknowledgement.at)
        .outerjoin(
            ConductAcknowledgement,
            (ConductAcknowledgement.user_id == User.id) & (ConductAcknowledgement.day == day),
        )
        .where(User.office_id == office_id, User.role == Role.ENGINEER, User.is_active)
    )
    rows = [Reader(user, at) for user, at in (await db.exec(query)).all()]
    return sorted(rows, key=lambda row: (row.at is not None, row.at or datetime.min, row.user.display_name))
