"""The office settings of its manager (or of the regional user looking at it): the letterhead printed on customer
documents (name, address, phone, logo), the districts it serves, and the time zone and working hours its SLA
clocks run on."""

import asyncio
import base64

from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Office, User
from app.accounts.offices import check_calendar, check_letterhead
from app.core import validation as v
from app.core.database import transaction
from app.media.images import PhotoRejected, decode_pool, normalise_upload


async def office_of(db: AsyncSession, user: User) -> Office:
    return await db.get(Office, user.office_id)


async def logo_data_url(settings, data: bytes) -> str:
    """The upload checked and normalised exactly like a visit photo; its thumbnail (at most 320 px) as a
    JPEG ``data:`` URL, the only kind of picture the PDF renderer embeds."""
    pool = decode_pool(settings.photo_decodes)
    processed = await asyncio.get_running_loop().run_in_executor(pool, normalise_upload, settings, data)
    return "data:image/jpeg;base64," + base64.b64encode(processed.thumbnail).decode()


async def save_letterhead(db: AsyncSession, settings, user: User, values: dict, logo: bytes | None) -> Office:
    """Stores the settings; a new logo replaces the old one, ``remove_logo`` clears it."""
    check = v.Collector()
    fields = {**check_letterhead(check, values), **check_calendar(check, values)}
    try:
        new_logo = await logo_data_url(settings, logo) if logo else None
    except PhotoRejected as refusal:
        check.add("logo", refusal.message)
    check.done()
    async with transaction(db):
        office = await office_of(db, user)
        for name, value in fields.items():
            setattr(office, name, value)
        if new_logo is not None:
            office.logo = new_logo
        elif values.get("remove_logo"):
            office.logo = ""
        db.add(office)
    return office
