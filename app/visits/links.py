"""Customer-copy links (``/r/<token>``): signed, dated, valid for ``ONSITE_CUSTOMER_LINK_DAYS``, revocable.

A token is ``report:<job id>:<issued, ms since the epoch>`` signed with the server's secret, so nothing is
stored per link; revoking stamps the report, and every link issued before the stamp stops opening.
"""

import uuid
from datetime import UTC, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core.database import transaction
from app.core.errors import DomainError, Gone
from app.core.i18n import _
from app.core.security import sign, unsign
from app.jobs.access import get_job_for
from app.jobs.lifecycle import record
from app.jobs.models import Job
from app.visits.models import ServiceReport


class LinkUnavailable(Gone):
    """The link was real but has expired or been revoked: a clear page, never the report."""

    code = "link_unavailable"


def issue_link(secret: str, job_id: uuid.UUID, now: datetime) -> str:
    return "/r/" + sign(f"report:{job_id}:{int(now.timestamp() * 1000)}", secret)


async def open_link(db: AsyncSession, token: str, *, secret: str, now: datetime, days: int) -> Job | None:
    """The job whose signed report the link shows; None when the token is not ours (a 404)."""
    parts = (unsign(token, secret) or "").split(":")
    if len(parts) not in (2, 3) or parts[0] != "report":
        return None
    try:
        report = await db.get(ServiceReport, uuid.UUID(parts[1]))
    except ValueError:
        return None
    if report is None:
        return None
    issued = _issued(parts[2] if len(parts) == 3 else "")  # links made before links were dated have none
    if issued is None or now >= issued + timedelta(days=days):
        raise LinkUnavailable(_("This link to the service report has expired. Ask the office for a new one."))
    if report.links_revoked_at and issued <= _to_ms(_aware(report.links_revoked_at)):
        raise LinkUnavailable(_("This link to the service report was withdrawn. Ask the office for a new one."))
    return await db.get(Job, report.job_id)


async def revoke_links(db: AsyncSession, job_id: uuid.UUID, ctx: Context) -> None:
    """Every customer-copy link of this job given out so far stops opening."""
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor)
        report = await db.get(ServiceReport, job.id)
        if report is None:
            raise DomainError(_("This job has no signed report yet."))
        report.links_revoked_at = ctx.now
        db.add(report)
        record(db, job, ctx, "report_links_revoked")


def _issued(raw: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(raw) / 1000, UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _to_ms(moment: datetime) -> datetime:
    """Links carry milliseconds: a revocation counts from the millisecond it happened in."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
