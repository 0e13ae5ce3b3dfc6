"""The customer's own signature on a carry-in document: the repair order, the pickup, the equipment receipt (INV-1)."""

import uuid

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import User
from app.core import validation as v
from app.core.i18n import _
from app.media.signature import SignatureRejected, normalise_signature

MAX_SIGNATURE = 200_000  # a data URL of a small PNG


def customer_signature(data: dict, field: str, required: bool) -> str:
    """The drawn signature, re-encoded by the server; a ``FieldError`` asks the customer to sign (again)."""
    value = str(data.get(field, "") or "")
    if required and not value:
        raise v.FieldError(field, _("The customer's signature is required."))
    if value and (not value.startswith("data:image/png;base64,") or len(value) > MAX_SIGNATURE):
        raise v.FieldError(field, _("The signature could not be read. Ask the customer to sign again."))
    try:
        return normalise_signature(value) if value else ""
    except SignatureRejected as refusal:
        raise v.FieldError(field, refusal.message) from None


async def not_staff(db: AsyncSession, office_id: uuid.UUID, name: str, field: str) -> None:
    """INV-1: staff never sign for the customer."""
    staff = await db.scalar(
        select(func.count())
        .select_from(User)
        .where(User.office_id == office_id, func.lower(User.display_name) == name.lower())
    )
    if staff:
        raise v.FieldError(field, _("This name belongs to a staff account: the customer must sign."))
