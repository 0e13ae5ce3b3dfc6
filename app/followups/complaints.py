"""Complaints from follow-up calls: a register item, a repeat-repair job and an escalation (domain.md §11.2)."""

import uuid

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError
from app.core.i18n import _
from app.followups.models import Complaint, FollowUpCall
from app.followups.script import COMPLAINT_AREAS
from app.jobs import escalations
from app.jobs.access import get_job_for
from app.jobs.follow_on import REPEAT_REPAIR, open_follow_on
from app.jobs.lifecycle import record
from app.jobs.models import Job

REMEDIES = ["none", "repeat_repair"]


def parse_complaint(data: dict, areas: list[str]) -> dict:
    """What the caller decides for a dissatisfied customer: the remedy and, with a repeat repair, the level."""
    check = v.Collector()
    remedy = check(v.choice, data, "remedy", REMEDIES, label=_("remedy"))
    level = (
        check(v.choice, data, "level", escalations.LEVELS, label=_("fault level")) if remedy == "repeat_repair" else ""
    )
    check.done()
    return {"remedy": remedy, "level": level, "area": areas[0] if areas else "other"}


async def open_complaint(db: AsyncSession, call: FollowUpCall, choice: dict, ctx: Context) -> Complaint:
    """Opens the complaint item; with a repeat repair, creates the linked job and escalates it (chain of §9)."""
    async with transaction(db):
        original = await get_job_for(db, call.job_id, ctx.actor)
        complaint = Complaint(
            office_id=original.office_id,
            job_id=original.id,
            follow_up_call_id=call.id,
            opened_at=ctx.now,
            opened_by_id=ctx.actor.id,
            area=choice["area"],
            description=call.reason or _("Customer dissatisfied"),
        )
        if choice["remedy"] == "repeat_repair":
            # Its clocks start now: the repeat visit is promised from the complaint. An onsite one goes to dispatch.
            repeat = await open_follow_on(
                db, original, ctx, kind=REPEAT_REPAIR, job_type=original.job_type, fault=complaint.description
            )
            complaint.repeat_job_id = repeat.id
        db.add(complaint)
        record(
            db,
            original,
            ctx,
            "complaint_opened",
            reason=complaint.description,
            details={"area": complaint.area, "repeat_job": str(complaint.repeat_job_id or "")},
        )
    if complaint.repeat_job_id:
        escalation = await escalations.escalate(
            db,
            complaint.repeat_job_id,
            {
                "level": choice["level"],
                "symptoms": complaint.description,
                "actions_taken": _(
                    "Follow-up call: customer dissatisfied (%(area)s). Repeat repair opened.",
                    area=_(COMPLAINT_AREAS[complaint.area]),
                ),
            },
            ctx,
        )
        async with transaction(db):
            complaint.escalation_id = escalation.id
            db.add(complaint)
    return complaint


async def register(db: AsyncSession, office_id: uuid.UUID, limit: int = 200) -> list[tuple[Complaint, Job]]:
    rows = await db.exec(
        select(Complaint, Job)
        .join(Job, Job.id == Complaint.job_id)
        .where(Complaint.office_id == office_id)
        .order_by(Complaint.opened_at.desc())
        .limit(limit)
    )
    return list(rows.all())


async def close_complaint(db: AsyncSession, complaint_id: uuid.UUID, data: dict, ctx: Context) -> Complaint:
    """The manager records attribution, root cause and corrective action and closes the item (F48)."""
    async with transaction(db):
        complaint = await db.get(Complaint, complaint_id)
        if complaint is None or complaint.office_id != ctx.actor.office_id:
            raise DomainError(_("This complaint does not exist."))
        check = v.Collector()
        attributable = check(v.choice, data, "attributable", ["yes", "no"], label=_("attributable"))
        root_cause = check(v.text, data, "root_cause", max_length=2000, label=_("Root cause"))
        corrective_action = check(v.text, data, "corrective_action", max_length=2000, label=_("Corrective action"))
        check.done()
        complaint.attributable = attributable == "yes"
        complaint.root_cause, complaint.corrective_action = root_cause, corrective_action
        complaint.closed_at = ctx.now
        db.add(complaint)
    return complaint


def wants_complaint(call: FollowUpCall) -> bool:
    return bool(call.reached and call.satisfied is False)
