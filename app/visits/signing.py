"""Handing the phone to the customer, their signature (INV-1), and the frozen service report (INV-2, F60)."""

import json
import re
import uuid
from datetime import timedelta

import anyio
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.accounts.models import User
from app.core.database import transaction
from app.core.i18n import _
from app.core.validation import given_id, single_line
from app.jobs.access import get_job_for
from app.jobs.follow_on import TAKEN_BACK, open_follow_on
from app.jobs.lifecycle import move, record
from app.jobs.models import Job, JobType
from app.jobs.states import JobState
from app.media.signature import SignatureRejected, normalise_signature
from app.visits import seal
from app.visits.content import report_content
from app.visits.engine import ChecklistRefused
from app.visits.models import CustomerSignature, ReportAddendum, ServiceReport
from app.visits.report import canonical_json, sha256_of
from app.visits.service import (
    VisitState,
    check_milestones_witnessed,
    open_for_engineer,
    startable_step,
    store_result,
)

S = JobState
MAX_POINTS = 20_000
HANDOVER_SKEW = timedelta(minutes=2)
_SPACES = re.compile(r"\s+")


def normalised_name(name: str) -> str:
    return _SPACES.sub(" ", name).strip().casefold()


async def start_handover(db: AsyncSession, job_id: uuid.UUID, step_key: str, ctx: Context) -> Job:
    """The engineer chooses "hand to customer": only after this may the customer sign (INV-1)."""
    async with transaction(db):
        state = await open_for_engineer(db, job_id, ctx)
        step = startable_step(state, step_key)
        if step["type"] != "signature":
            raise ChecklistRefused(_("This step is not signed by the customer."))
        if step.get("purpose") == "quote" and not state.checklist.quote.get(step_key, {}).get("lines"):
            raise ChecklistRefused(_("Build the quote from the price list before handing the phone over."))
        if step.get("purpose") == "report" and state.job.job_type == JobType.INSTALL:
            await check_milestones_witnessed(db, state.job)
        state.checklist.handover_step = step_key
        state.checklist.handover_at = ctx.now
        state.checklist.handover_device_at = ctx.device_at
        db.add(state.checklist)
        record(db, state.job, ctx, "handed_to_customer", details={"step": step_key})
    return state.job


async def staff_names(db: AsyncSession, office_id: uuid.UUID) -> set[str]:
    users = await db.exec(select(User).where(User.office_id == office_id))
    return {normalised_name(n) for user in users.all() for n in (user.display_name, user.username)}


def clean_strokes(raw: str) -> list:
    try:
        strokes = json.loads(raw or "[]")
    except ValueError:
        strokes = None
    if not isinstance(strokes, list) or not any(isinstance(s, dict) and len(s.get("points", [])) >= 2 for s in strokes):
        raise ChecklistRefused(_("The signature is empty. Ask the customer to sign in the box."), field="strokes")
    points = [p for s in strokes if isinstance(s, dict) for p in s.get("points", [])]
    if len(points) > MAX_POINTS or not all(isinstance(p, dict) and {"x", "y"} <= p.keys() for p in points):
        raise ChecklistRefused(_("The signature could not be read. Please clear it and sign again."), field="strokes")
    return strokes


async def record_customer_signature(
    db: AsyncSession, job_id: uuid.UUID, step_key: str, data: dict, ctx: Context
) -> Job:
    """Stores the customer's signature if every INV-1 rule holds; the report signature freezes the report."""
    async with transaction(db):
        state = await open_for_engineer(db, job_id, ctx)
        replayed = state.results.get(step_key)
        if replayed is not None and replayed.id == given_id(data):
            return state.job  # the same signature sent again (a retry): already stored
        step = startable_step(state, step_key)
        if step.get("purpose") == "report" and state.job.job_type == JobType.INSTALL:
            await check_milestones_witnessed(db, state.job)  # F57: the receipt only after every milestone
        checklist = state.checklist
        if checklist.handover_step != step_key or checklist.handover_at is None:
            raise ChecklistRefused(_("The customer signs only after you choose “Hand the phone to the customer”."))
        if (
            ctx.device_at
            and checklist.handover_device_at
            and ctx.device_at + HANDOVER_SKEW < checklist.handover_device_at
        ):
            raise ChecklistRefused(_("This signature was drawn before the phone was handed to the customer."))
        name = _SPACES.sub(" ", single_line(data.get("signer_name", ""))).strip()
        if len(name) < 2 or len(name) > 120:
            raise ChecklistRefused(_("The customer's printed name is required."), field="signer_name")
        if normalised_name(name) in await staff_names(db, state.job.office_id):
            raise ChecklistRefused(
                _("Staff never sign for the customer: “%(name)s” is a staff member's name.", name=name),
                field="signer_name",
            )
        stamped = step.get("purpose") == "report" and data.get("method") == "stamp"
        if stamped:  # the official stamp instead of a signature (§5.2 step 14, F22): its photo is the evidence
            if state.visit.photos.get(step_key, 0) < 1:
                raise ChecklistRefused(_("Take a photo of the customer's official stamp first."), field="method")
            strokes, image = [], ""
        else:
            strokes = clean_strokes(str(data.get("strokes", "")))
            try:
                image = await anyio.to_thread.run_sync(normalise_signature, str(data.get("image", "") or ""))
            except SignatureRejected as refusal:
                raise ChecklistRefused(refusal.message, field="strokes") from None
        decision = "stamp" if stamped else ""
        if step.get("purpose") == "quote":
            decision = str(data.get("decision", ""))
            if decision not in {"accepted", "declined"}:
                raise ChecklistRefused(
                    _("Choose whether the customer accepts or declines the quote."), field="decision"
                )
        signature = CustomerSignature(
            job_id=state.job.id,
            office_id=state.job.office_id,
            step_key=step_key,
            purpose=step.get("purpose", ""),
            decision=decision,
            signer_name=name,
            strokes=strokes,
            image=image,
            handover_at=checklist.handover_at,
            signed_at=ctx.now,
            device_at=ctx.device_at,
            collected_by_id=ctx.actor.id,
        )
        db.add(signature)
        checklist.handover_step, checklist.handover_at, checklist.handover_device_at = "", None, None
        db.add(checklist)
        values = {"signer_name": name, "decision": decision, "signature_id": str(signature.id)}
        store_result(db, state, step_key, "done", values, ctx, given_id(data), sha256_of(canonical_json(values)))
        await after_signature(db, state, step, signature, ctx)
    return state.job


async def after_signature(
    db: AsyncSession, state: VisitState, step: dict, signature: CustomerSignature, ctx: Context
) -> None:
    job, purpose = state.job, step.get("purpose")
    if purpose == "quote":
        quote = {**state.checklist.quote[step["key"]], "decision": signature.decision, "signed_at": ctx.now.isoformat()}
        if signature.decision == "accepted":
            quote["accepted_total"] = quote["total"]
            job.paid = True  # accepted chargeable work: payment is due (T18)
        state.checklist.quote = {**state.checklist.quote, step["key"]: quote}
        db.add(state.checklist)
        # The paid-service quote decides the visit (T11/T11b); declined extra work is simply not done.
        if step["key"] == "quote" and job.job_type == JobType.ONSITE and job.state == S.AWAITING_CUSTOMER_DECISION:
            accepted = signature.decision == "accepted"
            if not accepted:
                state.checklist.outcome = state.visit.outcome = "declined"
            await move(
                db,
                job,
                S.REPAIRING if accepted else S.DECLINED,
                ctx,
                kind="quote_accepted" if accepted else "quote_declined",
            )
    elif purpose == "report":
        await freeze_report(db, state, signature, ctx)


async def freeze_report(db: AsyncSession, state: VisitState, signature: CustomerSignature, ctx: Context) -> None:
    """Freezes the report as canonical JSON, hashes it, and moves the job to its sign-off state."""
    job = state.job
    if job.job_type == JobType.INSTALL and job.state == S.SELF_CHECKED:
        await move(db, job, S.HANDED_OVER, ctx, kind="signed_off")
    if job.job_type == JobType.ONSITE:
        if state.checklist.outcome == "fixed":
            await move(db, job, S.SIGNED_OFF, ctx, kind="signed_off")
        elif state.checklist.outcome == "unfixed":
            await _unresolved(db, state, ctx)
    job.report_signed_at = ctx.now
    await db.flush()
    content = canonical_json(await report_content(db, state, signature))
    digest = sha256_of(content)
    signature.report_sha256 = digest
    db.add(signature)
    key_id, sealed = seal.keyring().seal(content)
    db.add(
        ServiceReport(
            job_id=job.id,
            office_id=job.office_id,
            content=content,
            sha256=digest,
            signature_id=signature.id,
            signed_at=ctx.now,
            seal_scheme=seal.SCHEME,
            seal_key_id=key_id,
            seal=sealed,
        )
    )
    record(db, job, ctx, "report_signed", details={"sha256": digest, "signer": signature.signer_name})


async def _unresolved(db: AsyncSession, state: VisitState, ctx: Context) -> None:
    """T15: a revisit date, or the device taken back on the signed receipt with a linked carry-in job."""
    job = state.job
    values = state.visit.results.get("unresolved", {}).get("values", {})
    details = {"next_step": values.get("next_step"), "revisit_date": values.get("revisit_date", "")}
    if values.get("next_step") == "take_back":
        child = await open_follow_on(db, job, ctx, kind=TAKEN_BACK, job_type=JobType.CARRY_IN)
        details["carry_in_job"] = str(child.id)
        job.outcome = "taken_back"
    else:
        job.outcome = "revisit"
    await move(db, job, S.UNRESOLVED, ctx, reason=str(values.get("reason", ""))[:1000], details=details)


async def add_addendum(db: AsyncSession, job_id: uuid.UUID, data: dict, ctx: Context) -> Job:
    """A correction beside the signed report; the signed content itself never changes (INV-7)."""
    async with transaction(db):
        job = await get_job_for(db, job_id, ctx.actor)
        if await db.get(ServiceReport, job.id) is None:
            raise ChecklistRefused(_("Addenda are for signed reports; this report is not signed yet."))
        text = str(data.get("text", "") or "").strip()
        if not text or len(text) > 2000:
            raise ChecklistRefused(_("Write the correction (at most 2000 characters)."), field="text")
        db.add(ReportAddendum(job_id=job.id, office_id=job.office_id, text=text, author_id=ctx.actor.id, at=ctx.now))
        record(db, job, ctx, "report_addendum", reason=text[:1000])
    return job
