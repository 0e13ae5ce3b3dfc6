"""Changes at the carry-in desks that are safe to send twice or at once: ids chosen by the form, and the write lock
that makes SQLite queue concurrent changes."""

import uuid

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core import validation as v
from app.core.i18n import _


def form_id(data: dict, field: str) -> uuid.UUID:
    """The id a form was drawn with: sending the same form twice names the same record, so it is made once."""
    try:
        return uuid.UUID(str(data.get(field, "") or "").strip())
    except ValueError:
        raise v.FieldError(field, _("This form is out of date. Open the page again.")) from None


async def write_lock(db: AsyncSession) -> None:
    """SQLite: start the transaction with a write, so that two desks changing the same record queue up (busy
    timeout) instead of one failing on a stale snapshot. PostgreSQL locks the rows instead."""
    if db.bind.dialect.name == "sqlite":
        await db.exec(text("UPDATE carry_in_settings SET daily_capacity = daily_capacity WHERE 1 = 0"))
