"""Follow-on jobs: a job that continues another's request (a converted case, a device taken back, a repeat
repair), numbered, recorded and clocked as an intake of its kind."""

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.models import Office
from app.core.i18n import N_, _
from app.jobs.intake import add_job, next_job_number
from app.jobs.models import Job, JobType
from app.jobs.states import INITIAL_STATE

# What a follow-on job (a converted case, a device taken back, a repeat repair) takes over from the job it comes
# from: the same customer, device, site and request, so first-time fix counts from the request (INV-9).
SAME_REQUEST = (
    "office_id",
    "priority",
    "channel",
    "customer_id",
    "device_id",
    "device_serial",
    "site_address",
    "zone",
    "contact_name",
    "contact_phone",
    "warranty_status",
    "warranty_basis",
    "onsite_period",
    "fault_judgement",
    "paid",
    "requested_at",
)


def same_request(job: Job) -> dict:
    return {name: getattr(job, name) for name in SAME_REQUEST}


@dataclass(frozen=True)
class FollowOn:
    """A kind of follow-on job: the name its creation is recorded under, the line that opens its history (about
    the job it comes from), and when its first clocks start: at the original request, or now."""

    name: str
    opened: str  # N_() text with %(number)s, the number of the job it comes from
    clocks_from_request: bool
    repeat_repair: bool = False


# K5: a consultation case becomes an onsite or carry-in job; its clocks count from the case's request.
CONVERTED_CASE = FollowOn("converted_case", N_("Converted from consultation case %(number)s."), True)
# T15: an unfixed device taken back on the signed receipt; S12 counts from the take-back.
TAKEN_BACK = FollowOn("taken_back", N_("Taken back from onsite visit %(number)s."), False)
# F48: a complaint's repeat repair, promised from the complaint, so its clocks start now.
REPEAT_REPAIR = FollowOn("repeat_repair", N_("Repeat repair of job %(number)s."), False, repeat_repair=True)


async def open_follow_on(
    db: AsyncSession, source: Job, ctx: Context, *, kind: FollowOn, job_type: str, fault: str | None = None
) -> Job:
    """A new job that continues ``source``'s request, inside the caller's transaction.

    It takes over the customer, device, site and request time (``same_request``; first-time fix counts from the
    request, INV-9), is linked to ``source`` (``parent_job_id``), and is numbered, recorded (T1) and given its
    first clocks as an intake of ``job_type`` is (an onsite one goes to dispatch). Without ``fault`` it keeps
    ``source``'s fault description and escalation level; with one (a complaint's), the fault is described anew and
    has no level until it is escalated."""
    office = await db.get(Office, source.office_id)
    if fault is None:
        fault_fields = {"fault_description": source.fault_description, "fault_level": source.fault_level}
    else:
        fault_fields = {"fault_description": fault[:2000]}
    job = Job(
        **same_request(source),
        **fault_fields,
        number=await next_job_number(db, source.office_id, office.code, ctx.now, ctx.calendar.tz),
        job_type=job_type,
        state=INITIAL_STATE[JobType(job_type)],
        parent_job_id=source.id,
        repeat_repair=kind.repeat_repair,
        created_at=ctx.now,
        created_by_id=ctx.actor.id,
        updated_at=ctx.now,
        version=0,
    )
    await add_job(
        db,
        job,
        ctx,
        job.requested_at if kind.clocks_from_request else ctx.now,
        reason=_(kind.opened, number=source.number),
        details={"follow_on": kind.name, "from_job": str(source.id), "from": source.number},
    )
    return job
