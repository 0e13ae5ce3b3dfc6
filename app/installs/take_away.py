"""Equipment taken away from an installation (domain.md §10 G, S28): an engineer of the team records what is taken
and why with the receipt left with the customer; its status is reported within 3 working days (the S28 clock,
met by the report, even after the team has left the site)."""

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.models import Role
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError
from app.core.i18n import _
from app.installs.planning import _installation
from app.jobs import service_days, sla
from app.jobs.access import is_on_team
from app.jobs.lifecycle import record, refresh_next_due
from app.jobs.models import InstallTakeAway, Job, JobDeadline

TAKE_AWAY_STATES = service_days.ON_SITE_STATES


async def take_away(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version=None) -> Job:
    async with transaction(db):
        job = await _installation(db, job_id, ctx, None)
        given = v.given_id(data)
        if given is not None and await db.get(InstallTakeAway, given) is not None:
            return job  # sent again from the phone's outbox
        if job.state not in TAKE_AWAY_STATES or not await is_on_team(db, job, ctx.actor):
            raise DomainError(_("Equipment is taken away by the installation team while it is on site."))
        check = v.Collector()
        items = check(v.text, data, "items", max_length=500, label=_("Equipment taken away"))
        reason = check(v.text, data, "reason", max_length=500, label=_("Why it is taken away"))
        receipt = check(v.text, data, "receipt_number", max_length=60, label=_("Receipt number"))
        receipt_to = check(v.text, data, "receipt_to", max_length=120, label=_("Receipt left with"))
        check.done()
        due = sla.take_away_status(ctx.calendar, ctx.now)
        deadline = JobDeadline(job_id=job.id, rule=due.rule, due_at=due.due_at, warn_at=due.warn_at)
        db.add(deadline)
        await db.flush()
        await refresh_next_due(db, job)
        row = InstallTakeAway(
            id=given or uuid.uuid4(),
            job_id=job.id,
            items=items,
            reason=reason,
            receipt_number=receipt,
            receipt_to=receipt_to,
            taken_by_id=ctx.actor.id,
            taken_at=ctx.now,
            deadline_id=deadline.id,
        )
        db.add(row)
        details = {"items": items, "receipt": receipt, "receipt_to": receipt_to}
        record(db, job, ctx, "equipment_taken_away", reason=reason, details=details)
    return job


async def report_status(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context, *, version=None) -> Job:
    """The status of equipment taken away (repaired, replaced, sent to the factory...), which meets its S28 clock."""
    async with transaction(db):
        job = await _installation(db, job_id, ctx, None)
        try:
            row = await db.get(InstallTakeAway, uuid.UUID(str(data.get("take_away", ""))))
        except ValueError:
            row = None
        if row is None or row.job_id != job.id:
            raise DomainError(_("Choose equipment taken from this installation."))
        if ctx.actor.role not in {Role.COORDINATOR, Role.MANAGER} and not await is_on_team(db, job, ctx.actor):
            raise DomainError(_("Only the installation team or a coordinator reports on equipment taken away."))
        status = v.text(data, "status", max_length=1000, label=_("Status of the equipment"))
        if row.status_at is not None and row.status == status:
            return job  # the same report sent again
        row.status, row.status_by_id, row.status_at = status, ctx.actor.id, ctx.now
        db.add(row)
        deadline = await db.get(JobDeadline, row.deadline_id) if row.deadline_id else None
        if deadline is not None and deadline.met_at is None:
            deadline.met_at = ctx.now
            db.add(deadline)
            await db.flush()
            await refresh_next_due(db, job)
        record(db, job, ctx, "take_away_status", reason=status, details={"items": row.items})
    return job


def _given_id(data: dict) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(data.get("id", "")))
    except ValueError:
        return None
