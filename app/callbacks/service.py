"""The call-back task (S2): recorded in one tap while the caller is still on the line, due within 30 working
minutes of the call (``app.jobs.sla.call_back``), closed as answered on the phone (the note is the inquiry
record), tried again when nobody answers, or handed to a consultation case made on the new-request page.

Safe to send twice: the form chooses the call-back's id, and each change to it names the version it was made
from. Every change leaves an audit entry."""

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.accounts.acting import Context
from app.audit.trail import acted
from app.callbacks.models import CallBack
from app.carryin.safety import form_id
from app.core import validation as v
from app.core.database import transaction
from app.core.errors import Conflict, DomainError, NotFound
from app.core.forms import form_version
from app.core.i18n import N_, _
from app.jobs import sla
from app.jobs.models import Job, JobType
from app.sync.idempotency import different_content

OPEN, ANSWERED, CASE = "open", "answered", "case"
ANSWERED_OUTCOME, NO_ANSWER = "answered", "no_answer"
OUTCOMES = (ANSWERED_OUTCOME, NO_ANSWER)
STATE_LABELS = {OPEN: N_("To call back"), ANSWERED: N_("Called back: answered"), CASE: N_("Consultation case opened")}
NOTE_MAX = 1000


def _parse(data: dict) -> dict:
    check = v.Collector()
    fields = {
        "id": check(form_id, data, "id"),
        "customer_name": check(v.text, data, "customer_name", max_length=120, label=_("Customer name")),
        "phone": check(v.phone, data, "phone", label=_("Phone to call back")),
        "subject": check(v.text, data, "subject", max_length=NOTE_MAX, label=_("What it is about")),
        "job_number": check(v.text, data, "job_number", max_length=40, required=False, label=_("Job or case")),
    }
    check.done()
    return fields


async def _linked_job(db: AsyncSession, number: str, office_id: uuid.UUID) -> uuid.UUID | None:
    if not number:
        return None
    job = (await db.exec(select(Job).where(Job.office_id == office_id, Job.number == number.upper()))).first()
    if job is None:
        raise v.FieldError("job_number", _("No job or case of this office has the number %(number)s.", number=number))
    return job.id


async def record(db: AsyncSession, data: dict, ctx: Context) -> CallBack:
    """The caller's number and question, with the S2 due time counted from now on the office's calendar."""
    fields = _parse(data)
    office_id = ctx.actor.office_id
    async with transaction(db):
        job_id = await _linked_job(db, fields.pop("job_number"), office_id)
        if (same := await db.get(CallBack, fields["id"])) is not None:
            if same.office_id != office_id or (same.phone, same.subject) != (fields["phone"], fields["subject"]):
                raise DomainError(different_content())
            return same
        due = sla.call_back(ctx.calendar, ctx.now)
        row = CallBack(
            office_id=office_id, job_id=job_id, called_at=ctx.now, due_at=due.due_at, taken_by_id=ctx.actor.id, **fields
        )
        db.add(row)
        db.add(acted(ctx, "call_back_recorded", "call_back", row.id, {"due_at": due.due_at.isoformat()}))
    return row


async def _get(db: AsyncSession, callback_id: uuid.UUID, office_id: uuid.UUID, *, lock: bool = False) -> CallBack:
    query = select(CallBack).where(CallBack.id == callback_id)
    if lock and db.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    row = (await db.exec(query.execution_options(populate_existing=True))).first()
    if row is None or row.office_id != office_id:
        raise NotFound(_("No such call-back."))
    return row


async def get(db: AsyncSession, callback_id: uuid.UUID, office_id: uuid.UUID) -> CallBack:
    """The office's call-back; another office's is not found."""
    return await _get(db, callback_id, office_id)


def _still_open(row: CallBack, version: int) -> None:
    if version != row.version:
        raise Conflict(_("This call-back changed while you were looking at it. Reload the page and try again."))
    if row.state != OPEN:
        raise DomainError(_("This call-back is already closed."))


async def called(db: AsyncSession, callback_id: uuid.UUID, data: dict, ctx: Context) -> CallBack:
    """*Called back*: answered (closed, the note says what was answered) or nobody answered (kept open, the note
    says when to try again). A form of an older version is refused, so a resend never counts a try twice."""
    check = v.Collector()
    outcome = check(v.choice, data, "outcome", OUTCOMES, label=_("outcome"))
    note = check(v.text, data, "note", max_length=NOTE_MAX, label=_("Note"))
    check.done()
    async with transaction(db):
        row = await _get(db, callback_id, ctx.actor.office_id, lock=True)
        version = form_version(data) or -1  # no version: a form of no known state
        if version == row.version - 1 and row.note == note and (row.state == ANSWERED) == (outcome == ANSWERED_OUTCOME):
            return row  # the same change sent again
        _still_open(row, version)
        row.note, row.version = note, row.version + 1
        if outcome == ANSWERED_OUTCOME:
            row.state, row.closed_at, row.closed_by_id = ANSWERED, ctx.now, ctx.actor.id
        else:
            row.tries += 1
        db.add(row)
        db.add(acted(ctx, f"call_back_{outcome}", "call_back", row.id, {"note": note[:200], "tries": row.tries}))
    return row


async def for_intake(db: AsyncSession, raw_id: str, office_id: uuid.UUID) -> CallBack | None:
    """The open call-back a new consultation case comes from (None when the form names none)."""
    if not str(raw_id or "").strip():
        return None
    try:
        row = await db.get(CallBack, uuid.UUID(str(raw_id).strip()))
    except ValueError:
        row = None
    if row is None or row.office_id != office_id or row.state != OPEN:
        raise v.FieldError("callback_id", _("This call-back is no longer open."))
    return row


def intake_values(row: CallBack) -> dict:
    """What the call-back already says, for the new-request form of a consultation case."""
    return {
        "callback_id": str(row.id),
        "job_type": JobType.CASE.value,
        "channel": "phone",
        "customer_name": row.customer_name,
        "customer_phone": row.phone,
        "contact_name": row.customer_name,
        "contact_phone": row.phone,
        "fault_description": row.subject,
    }


def case_opened(row: CallBack, ctx: Context) -> Callable:
    """The step ``intake.create_job`` runs in its transaction: the call-back closes, linked to the new case."""

    async def close(db: AsyncSession, job: Job) -> None:
        locked = await _get(db, row.id, ctx.actor.office_id, lock=True)
        if locked.state != OPEN:
            raise v.FieldError("callback_id", _("This call-back is no longer open."))
        locked.state, locked.case_id, locked.version = CASE, job.id, locked.version + 1
        locked.closed_at, locked.closed_by_id = ctx.now, ctx.actor.id
        db.add(locked)
        db.add(acted(ctx, "call_back_case_opened", "call_back", locked.id, {"job": job.number}))

    return close


_OPEN = (  # built once: the board asks at every drawing
    select(CallBack)
    .where(CallBack.office_id == bindparam("office_id"), CallBack.state == OPEN)
    .order_by(CallBack.due_at, CallBack.called_at)
)


async def open_call_backs(db: AsyncSession, office_id: uuid.UUID, limit: int | None = None) -> list[CallBack]:
    """The office's call-backs still to make, the one due first at the top."""
    query = _OPEN.limit(limit) if limit else _OPEN
    return list((await db.exec(query, params={"office_id": office_id})).all())


async def closed_today(db: AsyncSession, office_id: uuid.UUID, since: datetime) -> list[CallBack]:
    """Call-backs closed since ``since`` (the start of the office's day), the latest first."""
    query = (
        select(CallBack)
        .where(CallBack.office_id == office_id, CallBack.state != OPEN, CallBack.closed_at >= since)
        .order_by(CallBack.closed_at.desc())
    )
    return list((await db.exec(query)).all())
