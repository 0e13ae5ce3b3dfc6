"""The office settings of its manager (or of the regional user looking at it): the letterhead printed on customer
documents (name, address, phone, logo), the districts it serves, and the time zone and working hours its SLA
clocks run on."""

import asyncio
import base64
import uuid

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.models import Office, Role, User
from app.accounts.offices import check_calendar, check_letterhead
from app.core import validation as v
from app.core.database import transaction
from app.core.i18n import _
from app.media.images import PhotoRejected, decode_pool, normalise_upload


async def office_of(db: AsyncSession, user: User) -> Office:
    return await db.get(Office, user.office_id)


LEAD_ROLES = (Role.COORDINATOR, Role.MANAGER)  # they see every job of the office and acknowledge escalations


async def lead_candidates(db: AsyncSession, office_id: uuid.UUID) -> list[User]:
    """Who may be the office's system-integration lead (S31): its active coordinators and managers."""
    rows = await db.exec(
        select(User)
        .where(User.office_id == office_id, User.is_active, User.role.in_(LEAD_ROLES))
        .order_by(User.display_name)
    )
    return list(rows.all())


async def _lead(db: AsyncSession, office_id: uuid.UUID, raw: object) -> uuid.UUID | None:
    """The chosen system-integration lead, or None when the field is empty."""
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        lead_id = uuid.UUID(text)
    except ValueError:
        lead_id = None
    if lead_id not in {user.id for user in await lead_candidates(db, office_id)}:
        raise v.FieldError("integration_lead_id", _("Choose a coordinator or manager of this office from the list."))
    return lead_id


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
    lead = await _lead(db, user.office_id, values.get("integration_lead_id"))
    async with transaction(db):
        office = await office_of(db, user)
        office.integration_lead_id = lead
        for name, value in fields.items():
            setattr(office, name, value)
        if new_logo is not None:
            office.logo = new_logo
        elif values.get("remove_logo"):
            office.logo = ""
        db.add(office)
    return office
