"""Walking the checklist: each step is checked by the engine and stored in one transaction with its state change."""

import uuid
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.models import User
from app.core.database import transaction
from app.core.i18n import _, ngettext
from app.core.validation import given_id
from app.jobs import milestones, service_days
from app.jobs.access import get_job_for
from app.jobs.lifecycle import move, record
from app.jobs.models import Job, JobTeamMember, JobType
from app.jobs.states import JobState
from app.parts.flows import settle_parts
from app.sync.idempotency import different_content
from app.visits import engine
from app.visits.checklists import BUILT_IN_CHECKLISTS, CHECKLIST_FOR_JOB_TYPE
from app.visits.engine import ChecklistRefused
from app.visits.models import ChecklistTemplate, StepResult, VisitChecklist, VisitPhoto
from app.visits.parts_check import fit_part
from app.visits.report import canonical_json, sha256_of

S = JobState
# The visit can be walked from the moment the engineer sets off until the clean-up is done.
VISIT_STATES = {
    S.SCHEDULED,
    S.EN_ROUTE,
    S.ON_SITE,
    S.DIAGNOSING,
    S.AWAITING_CUSTOMER_DECISION,
    S.REPAIRING,
    S.VERIFYING,
    S.SIGNED_OFF,
    S.UNRESOLVED,
    S.DECLINED,
    S.PLANNED,
    S.MOBILISED,
    S.SELF_CHECKED,
    S.HANDED_OVER,
}


@dataclass
class VisitState:
    job: Job
    checklist: VisitChecklist
    visit: engine.Visit
    results: dict[str, StepResult]


def paid_service(job: Job) -> bool:
    """Paid service as known before the visit (intake's rule, §8); classification on site may add it.

    Not ``job.paid``: accepted extra work also sets that, and must not reopen the paid-service quote step.
    """
    return job.warranty_status == "out_of_warranty" or job.fault_judgement == "software"


async def current_checklist(db: AsyncSession, office_id: uuid.UUID, key: str) -> dict:
    """The newest manager-edited version of template ``key``, else the built-in one."""
    row = await db.exec(
        select(ChecklistTemplate)
        .where(ChecklistTemplate.office_id == office_id, ChecklistTemplate.key == key)
        .order_by(ChecklistTemplate.version.desc())
    )
    edited = row.first()
    return edited.body if edited else BUILT_IN_CHECKLISTS[key]


async def load_visit(db: AsyncSession, job: Job) -> VisitState | None:
    checklist = await db.get(VisitChecklist, job.id)
    if checklist is None:
        return None
    results = {r.step_key: r for r in (await db.exec(select(StepResult).where(StepResult.job_id == job.id))).all()}
    counts = await db.exec(
        select(VisitPhoto.step_key, func.count())
        .where(VisitPhoto.job_id == job.id, VisitPhoto.deleted.is_(False))
        .group_by(VisitPhoto.step_key)
    )
    visit = engine.Visit(
        template=checklist.template,
        outcome=checklist.outcome,
        results={key: {"status": r.status, "values": r.values} for key, r in results.items()},
        paid=paid_service(job),
        photos=dict(counts.all()),
    )
    return VisitState(job, checklist, visit, results)


async def ensure_visit(db: AsyncSession, job: Job, ctx: Context) -> VisitState:
    """The job's checklist, started from a snapshot of its template on first use."""
    state = await load_visit(db, job)
    if state is not None:
        return state
    if job.job_type not in CHECKLIST_FOR_JOB_TYPE:
        raise ChecklistRefused(_("This kind of job has no onsite checklist."))
    if job.state not in VISIT_STATES:
        raise ChecklistRefused(_("The visit checklist opens once the visit is scheduled."))
    template = await current_checklist(db, job.office_id, CHECKLIST_FOR_JOB_TYPE[job.job_type])
    db.add(VisitChecklist(job_id=job.id, office_id=job.office_id, template=template, created_at=ctx.now))
    record(db, job, ctx, "visit_started", details={"template": template["key"], "version": template["version"]})
    await db.flush()
    return await load_visit(db, job)


async def open_for_engineer(db: AsyncSession, job_id: uuid.UUID, ctx: Context) -> VisitState:
    job = await get_job_for(db, job_id, ctx.actor, lock=True)
    if ctx.actor.role not in {"engineer", "manager"}:
        raise ChecklistRefused(_("Only the engineer on the job walks the checklist."))
    return await ensure_visit(db, job, ctx)


def startable_step(state: VisitState, step_key: str) -> dict:
    """The step, if the checklist lets it start now; refused with the engine's reason otherwise."""
    return engine.check_can_start(state.visit, step_key)


def _replayed(state: VisitState, result_id: uuid.UUID | None, step_key: str, payload_hash: str) -> bool:
    """Same id and same payload: already stored, nothing to do. Same id, other payload: refused (422)."""
    for result in state.results.values():
        if result.id == result_id:
            if result.payload_hash != payload_hash or result.step_key != step_key:
                raise ChecklistRefused(different_content())
            return True
    return False


async def complete_step(db: AsyncSession, job_id: uuid.UUID, step_key: str, data: dict, ctx: Context) -> Job:
    """Records a finished step with its evidence, after every gate of the engine, and moves the job on."""
    async with transaction(db):
        state = await open_for_engineer(db, job_id, ctx)
        step = state.visit.step(step_key)
        values = engine.clean_values(state.visit, step, data)
        payload_hash = sha256_of(canonical_json({"step": step_key, "values": values}))
        if _replayed(state, given_id(data), step_key, payload_hash):
            return state.job
        engine.check_can_start(state.visit, step_key)
        if step["type"] == "signature":
            raise engine.ChecklistRefused(
                _("“%(step)s” is signed by the customer: hand the phone over first.", step=engine.title(step))
            )
        engine.check_evidence(state.visit, step, values)
        if state.job.job_type == JobType.INSTALL:
            await _check_service_day(db, state, step_key, ctx)
            if step_key == "milestones":
                await check_milestones_witnessed(db, state.job)
        await _name_team_members(db, state, step, values)
        if step["type"] == "timer":
            engine.check_timer(step, state.checklist.timers.get(step_key), ctx.now, ctx.device_at)
        if values.get("fitted_serial"):
            values["fitted_serial"] = await fit_part(
                db,
                state.job,
                ctx,
                values["fitted_serial"],
                removed_serial=str(values.get("removed_serial", "")),
                movement_id=given_id(data) or uuid.uuid4(),
            )
        store_result(db, state, step_key, "done", values, ctx, given_id(data), payload_hash)
        await after_step(db, state, step_key, ctx)
    return state.job


def store_result(
    db: AsyncSession,
    state: VisitState,
    step_key: str,
    status: str,
    values: dict,
    ctx: Context,
    given_id: uuid.UUID | None,
    payload_hash: str,
    na_reason: str = "",
) -> StepResult:
    result = StepResult(
        id=given_id or uuid.uuid4(),
        job_id=state.job.id,
        office_id=state.job.office_id,
        step_key=step_key,
        status=status,
        values=values,
        na_reason=na_reason,
        payload_hash=payload_hash,
        done_by_id=ctx.actor.id,
        at=ctx.now,
        device_at=ctx.device_at,
    )
    db.add(result)
    state.results[step_key] = result
    state.visit.results[step_key] = {"status": status, "values": values}
    record(
        db,
        state.job,
        ctx,
        "step_done" if status == "done" else "step_not_applicable",
        reason=na_reason,
        details={"step": step_key},
    )
    return result


async def mark_not_applicable(db: AsyncSession, job_id: uuid.UUID, step_key: str, data: dict, ctx: Context) -> Job:
    """Skips a step that allows it, with a reason (F13)."""
    async with transaction(db):
        state = await open_for_engineer(db, job_id, ctx)
        reason = str(data.get("reason", "") or "").strip()[:500]
        step = engine.check_can_start(state.visit, step_key)
        if not engine.can_skip(step):
            raise engine.ChecklistRefused(_("“%(step)s” is mandatory and cannot be skipped.", step=engine.title(step)))
        names_a_member = any(spec["type"] == "team_member" for spec in step.get("fields", []))
        if names_a_member and await _has_team(db, state.job):
            raise engine.ChecklistRefused(
                _("A team of two or more needs “%(step)s” by another member.", step=engine.title(step))
            )
        if not reason:
            raise engine.ChecklistRefused(
                _("Give the reason why “%(step)s” does not apply.", step=engine.title(step)), "reason"
            )
        store_result(db, state, step_key, "na", {}, ctx, given_id(data), sha256_of(reason), reason)
        await after_step(db, state, step_key, ctx)
    return state.job


async def start_timer(db: AsyncSession, job_id: uuid.UUID, step_key: str, data: dict, ctx: Context) -> Job:
    """Starts a timed step's clock, keeping both the server's time and the phone's."""
    async with transaction(db):
        state = await open_for_engineer(db, job_id, ctx)
        step = startable_step(state, step_key)
        if step["type"] != "timer":
            raise ChecklistRefused(_("This step has no timer."))
        if step_key not in state.checklist.timers:
            state.checklist.timers = {
                **state.checklist.timers,
                step_key: {"server": ctx.now.isoformat(), "device": ctx.device_at.isoformat() if ctx.device_at else ""},
            }
            db.add(state.checklist)
            record(db, state.job, ctx, "timer_started", details={"step": step_key})
    return state.job


async def declare_unfixed(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context) -> Job:
    """The engineer cannot fix it on this visit: the checklist switches to the unfixed path (T15). When that is
    allowed is the engine's rule, shared with the phone (``engine.may_declare_unfixed``)."""
    async with transaction(db):
        state = await open_for_engineer(db, job_id, ctx)
        if state.job.job_type != JobType.ONSITE or not engine.may_declare_unfixed(state.visit):
            raise ChecklistRefused(
                _("A visit can be declared not fixed only while diagnosing, repairing or verifying.")
            )
        state.checklist.outcome = "unfixed"
        db.add(state.checklist)
        record(db, state.job, ctx, "declared_unfixed")
    return state.job


# The steps after which ``after_step`` may move the job on: once done they stay done (the state machine has no
# way back), so only the other steps can be reopened (app/visits/reopen.py).
STEPS_THAT_MOVE_THE_JOB = frozenset(
    {"arrive", "repair_order", "classify", "authenticity", "repair", "cleanup", "calls", "check_in", "self_check"}
    | {"check_out"}
)


async def after_step(db: AsyncSession, state: VisitState, step_key: str, ctx: Context) -> None:
    """The job's state follows the checklist (T7–T16); only onsite repairs have these states."""
    job = state.job
    if job.job_type == JobType.INSTALL:
        await _after_installation_step(db, job, step_key, ctx)
        return
    if job.job_type != JobType.ONSITE:
        return
    if step_key == "arrive":
        if job.state == S.SCHEDULED:
            await move(db, job, S.EN_ROUTE, ctx)
        await move(db, job, S.ON_SITE, ctx, kind="arrived")
    elif step_key == "repair_order" and job.state == S.ON_SITE:
        await move(db, job, S.DIAGNOSING, ctx)
    elif step_key == "classify" and engine.is_paid(state.visit) and job.state == S.DIAGNOSING:
        job.paid = True
        await move(db, job, S.AWAITING_CUSTOMER_DECISION, ctx, kind="quote_needed")
    elif step_key == "authenticity" and job.state == S.DIAGNOSING:
        await move(db, job, S.REPAIRING, ctx)
    elif step_key == "repair" and job.state == S.REPAIRING:
        await move(db, job, S.VERIFYING, ctx)
    elif step_key == "cleanup":
        await move(db, job, S.AWAITING_PARTS_RETURN, ctx, kind="left_site")
        await settle_parts(db, job, ctx)  # nothing borrowed, or all back: parts confirmed at once (T17)


async def _after_installation_step(db: AsyncSession, job: Job, step_key: str, ctx: Context) -> None:
    """An installation follows its checklist too (I5–I9); hand-over (I8) follows the signed service receipt."""
    if step_key == "calls" and job.state == S.PLANNED:
        await move(db, job, S.MOBILISED, ctx)
    elif step_key == "check_in":
        await service_days.check_in(db, job, ctx, job.site_address)
    elif step_key == "self_check" and job.state == S.ON_SITE:
        await move(db, job, S.SELF_CHECKED, ctx)
    elif step_key == "check_out" and job.state == S.HANDED_OVER:
        await move(db, job, S.DEPARTED, ctx, kind="left_site")


async def _has_team(db: AsyncSession, job: Job) -> bool:
    """Whether engineers besides the lead are on the job (F57: their work is cross-checked)."""
    return (await db.exec(select(JobTeamMember).where(JobTeamMember.job_id == job.id))).first() is not None


# An installation's steps before the day's check-in; the final check-out comes after the day's own check-out.
BEFORE_CHECK_IN = frozenset({"calls", "briefing", "check_in"})


async def _check_service_day(db: AsyncSession, state: VisitState, step_key: str, ctx: Context) -> None:
    """Work on an installation is recorded by an engineer checked in on site today (F55); the final check-out
    follows the day's check-out with its daily log."""
    if step_key in BEFORE_CHECK_IN:
        return
    day = await service_days.day_of(db, state.job, ctx.actor.id, service_days.today(ctx))
    if step_key == "check_out":
        if day is None or day.checked_out_at is None:
            raise ChecklistRefused(_("Check out for today with the daily log on the job page first."))
    elif day is None or day.checked_out_at is not None:
        raise ChecklistRefused(_("Check in on site for today on the job page first."))


async def check_milestones_witnessed(db: AsyncSession, job: Job) -> None:
    """F56–F57: every milestone of the plan is witnessed before the installation is handed over."""
    missing = await milestones.unwitnessed(db, job)
    if missing:
        raise ChecklistRefused(
            ngettext(
                "Record the milestone on the job page first: %(names)s.",
                "Record every milestone on the job page first: %(names)s.",
                len(missing),
                names="; ".join(missing),
            )
        )


async def team_of(db: AsyncSession, job: Job) -> list[User]:
    """The job's engineers: the lead first, then the team members."""
    members = await db.exec(
        select(User).join(JobTeamMember, JobTeamMember.user_id == User.id).where(JobTeamMember.job_id == job.id)
    )
    lead = await db.get(User, job.engineer_id) if job.engineer_id else None
    return [person for person in [lead, *members.all()] if person is not None]


async def _name_team_members(db: AsyncSession, state: VisitState, step: dict, values: dict) -> None:
    """A team-member field names an engineer of the job's team (not free text), never the one whose work is
    checked (F57: the cross-check is by a different member); the member's name is kept with the id."""
    checked = state.results.get("self_check")
    for spec in step.get("fields", []):
        if spec["type"] != "team_member" or not values.get(spec["name"]):
            continue
        member = next((p for p in await team_of(db, state.job) if str(p.id) == values[spec["name"]]), None)
        if member is None:
            raise ChecklistRefused(_("Choose a member of this job's team."), spec["name"])
        if checked is not None and checked.done_by_id == member.id:
            raise ChecklistRefused(
                _(
                    "“%(step)s” must be done by another team member than the one whose work is checked.",
                    step=engine.title(step),
                ),
                spec["name"],
            )
        values[spec["name"]] = member.display_name
        values[f"{spec['name']}_id"] = str(member.id)
