"""What a scanned or typed code means: our label's URL, a bare label ID, or a manufacturer's serial."""

import re
import uuid

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import DomainError, NotFound
from app.core.i18n import _
from app.parts.idempotency import CODE_LENGTH
from app.parts.models import Part, PartUnit

# Any uppercase letter or digit: labels printed before the shared alphabet dropped the letter L still resolve.
_ID = f"[0-9A-Z]{{{CODE_LENGTH}}}"
LABEL_URL = re.compile(rf"^HTTPS?://[A-Z0-9.\-:\[\]]+/U/({_ID})/?$")
BARE_ID = re.compile(rf"^{_ID}$")
_PRINTABLE = re.compile(r"^[\x20-\x7e]+$")


class UnknownCode(NotFound):
    code = "unknown_code"


def code_from_text(raw: str) -> str:
    """The label ID in a scan (``HTTPS://HOST/U/ID`` or ``ID``); other text comes back cleaned, uppercase."""
    text = raw.strip().upper()
    match = LABEL_URL.match(text)
    return match.group(1) if match else text


async def resolve(db: AsyncSession, office_id: uuid.UUID, raw: str) -> str:
    """The Onsite path for a scanned code: a unit or part label, a unit's serial, or a part number."""
    text = raw.strip()
    if not text:
        raise DomainError(_("Type or scan a code."))
    if len(text) > 200 or not _PRINTABLE.match(text):
        raise DomainError(_("This code cannot be read. Type the ID printed under the QR code."))
    upper = text.upper()
    if upper.startswith(("HTTP://", "HTTPS://")) and not LABEL_URL.match(upper):
        raise DomainError(_("This label is not an Onsite label (it links to another system)."))
    code = code_from_text(text)
    if BARE_ID.match(code):
        if await db.scalar(select(PartUnit.id).where(PartUnit.code == code, PartUnit.office_id == office_id)):
            return f"/u/{code}"
        if await db.scalar(select(Part.id).where(Part.code == code, Part.office_id == office_id)):
            return f"/u/{code}"
    unit_code = await db.scalar(select(PartUnit.code).where(PartUnit.serial == text, PartUnit.office_id == office_id))
    if unit_code:
        return f"/u/{unit_code}"
    part_code = await db.scalar(select(Part.code).where(Part.number == text, Part.office_id == office_id))
    if part_code:
        return f"/u/{part_code}"
    raise UnknownCode(_("No unit or part has the code %(code)s. Check the label or type the ID again.", code=text[:40]))
