"""The audit trail: exports, printed reports and managers' views of customers' personal data (domain.md §12.1,
F59)."""

import uuid
from datetime import datetime

from litestar import Request
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.models import User
from app.audit.models import AuditEntry
from app.core.database import transaction


async def log(
    db: AsyncSession, request: Request, action: str, record_type: str, record_id: str = "", details: dict | None = None
) -> AuditEntry:
    """Appends one audit entry for the signed-in user, in its own transaction."""
    entry = new_entry(request, action, record_type, record_id, details)
    async with transaction(db):
        db.add(entry)
    return entry


def new_entry(
    request: Request, action: str, record_type: str, record_id: str = "", details: dict | None = None
) -> AuditEntry:
    """An audit entry for the signed-in user, for a service to add in the transaction of the change it records."""
    user = request.user
    return AuditEntry(
        office_id=user.office_id,
        at=request.app.state.clock(),
        actor_id=user.id,
        actor_role=user.role,
        action=action,
        record_type=record_type,
        record_id=record_id[:80],
        details=details or {},
        device=request.headers.get("user-agent", "")[:200],
    )


def acted(
    ctx: Context, action: str, record_type: str, record_id: object = "", details: dict | None = None
) -> AuditEntry:
    """An audit entry for a change a service makes for ``ctx``'s user, to add in the change's own transaction."""
    return AuditEntry(
        office_id=ctx.actor.office_id,
        at=ctx.now,
        actor_id=ctx.actor.id,
        actor_role=ctx.actor.role,
        action=action,
        record_type=record_type,
        record_id=str(record_id)[:80],
        details=details or {},
        device=ctx.device[:200],
    )


async def entries(db: AsyncSession, office_id: uuid.UUID, since: datetime | None = None, limit: int = 200):
    query = (
        select(AuditEntry, User.display_name)
        .join(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.office_id == office_id)
        .order_by(AuditEntry.at.desc())
        .limit(limit)
    )
    if since:
        query = query.where(AuditEntry.at >= since)
    return list((await db.exec(query)).all())
