"""Undoing a step that finished itself: the step opens again with its answer kept for editing.

A step that completes on a single choice ("Data risk: No") offers "Undo" right there. The phone names the version
it reopens (the result's id), so a resend is harmless and a stale undo never removes a newer answer.
"""

import uuid

from app.accounts.acting import Context
from app.core.database import transaction
from app.core.i18n import _
from app.jobs.lifecycle import record
from app.jobs.may import may
from app.jobs.models import Job
from app.visits import engine
from app.visits.service import STEPS_THAT_MOVE_THE_JOB, VisitState, open_for_engineer


def reopenable(visit: engine.Visit, step: dict) -> bool:
    """Whether a finished step may open again: not one the customer signed or one that moved the job on, and
    no later step is done yet. static/js/checklist.js offers "Undo" by the same rule (``undoable`` and order)."""
    if step["type"] == "signature" or step["key"] in STEPS_THAT_MOVE_THE_JOB:
        return False
    later = visit.steps[visit.steps.index(step) + 1 :]
    return not any(engine.is_done(visit, other["key"]) for other in later)


def undoable_steps(visit: engine.Visit, job: Job, user) -> list[str]:
    """The steps the phone may offer to undo once it finished them (the job's state permitting)."""
    if not may(job, "reopen_step", user):
        return []
    return [s["key"] for s in visit.steps if s["type"] != "signature" and s["key"] not in STEPS_THAT_MOVE_THE_JOB]


def _version(data: dict) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(data.get("result", "")))
    except ValueError:
        return None


async def reopen_step(db, job_id: uuid.UUID, step_key: str, data: dict, ctx: Context) -> Job:
    """Reopens ``step_key`` if its stored result is the version ``data["result"]`` names. Already open and that
    version gone: a resend, nothing to do."""
    async with transaction(db):
        state: VisitState = await open_for_engineer(db, job_id, ctx)
        if not may(state.job, "reopen_step", ctx.actor):
            raise engine.ChecklistRefused(_("The visit has moved on: a finished step can no longer be reopened."))
        step = state.visit.step(step_key)
        stored = state.results.get(step_key)
        version = _version(data)
        if stored is None and version is not None:
            return state.job
        if stored is None or stored.id != version:
            raise engine.ChecklistRefused(
                _("“%(step)s” was changed since: nothing was undone.", step=engine.title(step))
            )
        if not reopenable(state.visit, step):
            raise engine.ChecklistRefused(_("“%(step)s” can no longer be reopened.", step=engine.title(step)))
        await db.delete(stored)
        del state.results[step_key]
        del state.visit.results[step_key]
        record(db, state.job, ctx, "step_reopened", details={"step": step_key, "values": stored.values})
    return state.job
