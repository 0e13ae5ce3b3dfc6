"""Each planned milestone of an installation witnessed on the service day it happens (domain.md §10 E, F56): its
photo, the customer witness's printed name and signature, recorded by an engineer of the team checked in on site
that day. Hand-over waits for every one of them (app/visits/service.py ``check_milestones_witnessed``)."""

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import DomainError
from app.core.i18n import _
from app.installs.planning import _installation
from app.installs.site_photos import SitePhoto, save_site_photos
from app.jobs import milestones, service_days
from app.jobs.access import is_on_team
from app.jobs.lifecycle import record
from app.jobs.models import InstallMilestone, InstallPlan, Job
from app.jobs.states import JobState
from app.media.signature import SignatureRejected, normalise_signature
from app.visits.signing import normalised_name, staff_names

S = JobState
# Milestones are witnessed during the work, before the installation is handed over.
WITNESS_STATES = frozenset({S.ON_SITE, S.SELF_CHECKED})
MAX_SIGNATURE = 600_000


async def record_milestone(
    db: AsyncSession, job_id: uuid.UUID, data: dict, photos: list[SitePhoto], ctx: Context, *, version=None
) -> Job:
    async with transaction(db):
        job = await _installation(db, job_id, ctx, None)
        given = v.given_id(data)
        if given is not None and await db.get(InstallMilestone, given) is not None:
            return job  # the same record sent again (a retry from the phone's outbox)
        if job.state not in WITNESS_STATES or not await is_on_team(db, job, ctx.actor):
            raise DomainError(_("Milestones are witnessed by the installation team while it works on site."))
        day = service_days.today(ctx)
        entry = await service_days.day_of(db, job, ctx.actor.id, day)
        if entry is None or entry.checked_out_at is not None:
            raise DomainError(_("Check in on site for today on the job page first."))
        plan = await db.get(InstallPlan, job.id)
        done = await milestones.witnessed(db, job)
        check = v.Collector()
        position = check(_position, data, plan.milestones if plan else [], done)
        witness = check(v.text, data, "witness_name", max_length=120, label=_("Customer witness"))
        if witness and len(witness) < 2:
            check.add("witness_name", _("The customer's printed name is required."))
        elif witness and normalised_name(witness) in await staff_names(db, job.office_id):
            check.add(
                "witness_name",
                _("Staff never sign for the customer: “%(name)s” is a staff member's name.", name=witness),
            )
        signature = check(_signature, data)
        if not photos:
            check.add("photo", _("Add a photo of the milestone."))
        check.done()
        photo_ids = await save_site_photos(db, job, photos[:1], ctx, step=f"milestone_{position}")
        name = plan.milestones[position]
        db.add(
            InstallMilestone(
                id=given or uuid.uuid4(),
                job_id=job.id,
                position=position,
                name=name,
                day=day,
                photo_id=photo_ids[0],
                witness_name=witness,
                signature=signature,
                recorded_by_id=ctx.actor.id,
                at=ctx.now,
                device_at=ctx.device_at,
            )
        )
        details = {"milestone": name, "witness": witness, "day": day.isoformat()}
        record(db, job, ctx, "milestone_witnessed", reason=name, details=details)
    return job


def _position(data: dict, names: list[str], done: dict) -> int:
    try:
        position = int(str(data.get("milestone", "")))
    except ValueError:
        position = -1
    if not 0 <= position < len(names):
        raise v.FieldError("milestone", _("Choose a milestone of the plan."))
    if position in done:
        raise v.FieldError("milestone", _("“%(name)s” is already witnessed.", name=names[position]))
    return position


def _signature(data: dict) -> str:
    value = str(data.get("signature", "") or "")
    if not value:
        raise v.FieldError("signature", _("The witness's signature is required."))
    if len(value) > MAX_SIGNATURE:
        raise v.FieldError("signature", _("The signature could not be read. Ask the customer to sign again."))
    try:
        return normalise_signature(value)
    except SignatureRejected as refusal:
        raise v.FieldError("signature", refusal.message) from None
