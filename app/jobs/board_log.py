"""The board's event log: every change an open board must show, numbered per office in commit order.

A change notes what boards must redraw (``note``); ``transaction()`` writes those notes as ``board_event`` rows
just before it commits (``write_pending``), numbering them from the office's row of ``board_sequence``
(``app.core.page_cache.OfficeNotes``). That row stays locked until the commit, so numbers are gapless and in
commit order on every database: a board that has seen number N has seen everything up to N, and asks for what
follows (``events_after``). Kept pages read the same numbers with the signed-in user, and the notes since they
were drawn (``notes_between``), to tell whether a change of some jobs' details shows on them.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import BigInteger, Column, delete, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, Index, SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core import change_scope
from app.core.page_cache import NOTE_WIDTH, RECENT_NOTES, OfficeNotes, note_names

JOB = "job"  # a job's row changed
PHONE = "phone"  # an engineer's phone reported (last sync, changes waiting)
PENDING = "board_pending"
WRITTEN = "board_written"
# A longer gap is sent as one "refresh" (the board redraws) rather than event by event.
MAX_CATCH_UP = 500


class BoardEvent(SQLModel, table=True):
    """One change an open board must show; kept ``board_events_keep_hours`` for boards that reconnect."""

    __tablename__ = "board_event"
    __table_args__ = (Index("ix_board_event_office_created", "office_id", "created_at"),)

    office_id: uuid.UUID = Field(foreign_key="office.id", primary_key=True)
    seq: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    kind: str = Field(max_length=10)
    job_id: uuid.UUID | None = None
    created_at: datetime


@dataclass(frozen=True)
class Change:
    office_id: uuid.UUID
    kind: str
    job_id: uuid.UUID | None
    at: datetime


def note(db: AsyncSession, office_id: uuid.UUID, kind: str, job_id: uuid.UUID | None, at: datetime) -> None:
    """Boards must redraw this when the session's transaction commits (once per job and kind)."""
    pending: dict = db.info.setdefault(PENDING, {})
    pending.setdefault((office_id, kind, job_id), Change(office_id, kind, job_id, at))
    if job_id is not None:
        change_scope.note_job(db.info, job_id)


def forget_pending(db: AsyncSession) -> None:
    """The transaction rolled back: nothing it noted happened."""
    db.info.pop(PENDING, None)
    db.info.pop(WRITTEN, None)


async def write_pending(db: AsyncSession, keep: timedelta | None) -> list[BoardEvent]:
    """Called by ``transaction()`` just before its commit: numbers the noted changes and stores them, and drops
    the office's events older than ``keep``. The sequence row is locked from here to the commit."""
    pending: dict = db.info.pop(PENDING, None) or {}
    offices: dict[uuid.UUID, list[Change]] = {}
    for change in pending.values():
        offices.setdefault(change.office_id, []).append(change)
    events = []
    for office_id, changes in sorted(offices.items()):
        top = await _advance(db, office_id, changes)
        first = top - len(changes) + 1
        for offset, change in enumerate(changes):
            event = BoardEvent(
                office_id=office_id, seq=first + offset, kind=change.kind, job_id=change.job_id, created_at=change.at
            )
            db.add(event)
            events.append(event)
        if keep is not None:
            cutoff = max(change.at for change in changes) - keep
            await db.exec(delete(BoardEvent).where(BoardEvent.office_id == office_id, BoardEvent.created_at < cutoff))
    db.info[WRITTEN] = events
    return events


async def _advance(db: AsyncSession, office_id: uuid.UUID, changes: list[Change]) -> int:
    """Numbers ``changes`` (the office's row locked until the commit) and names them last in its ``recent``."""
    count, named = len(changes), "".join(note_names(change.job_id) for change in changes)
    width = RECENT_NOTES * NOTE_WIDTH
    postgres = db.bind.dialect.name == "postgresql"
    insert = pg_insert if postgres else sqlite_insert
    recent = OfficeNotes.recent + named
    statement = (
        insert(OfficeNotes)
        .values(office_id=office_id, value=count, recent=named[-width:], recent_upto=count)
        .on_conflict_do_update(
            index_elements=["office_id"],
            set_={
                "value": OfficeNotes.value + count,
                "recent": func.right(recent, width) if postgres else func.substr(recent, -width),
                "recent_upto": OfficeNotes.value + count,
            },
        )
        .returning(OfficeNotes.value)
    )
    return (await db.exec(statement)).scalar_one()


def take_written(db: AsyncSession) -> list[BoardEvent]:
    """What the transaction that just committed wrote (for publishing), once."""
    return db.info.pop(WRITTEN, [])


async def last_seq(db: AsyncSession, office_id: uuid.UUID) -> int:
    """The office's newest event number (0 before its first change)."""
    return await db.scalar(select(OfficeNotes.value).where(OfficeNotes.office_id == office_id)) or 0


async def notes_between(db: AsyncSession, office_id: uuid.UUID, after: int, upto: int) -> list[uuid.UUID | None] | None:
    """The changes numbered after ``after`` up to ``upto``: a job's id, or None for a phone's report; None when the
    log no longer holds them all."""
    rows = await db.exec(
        select(BoardEvent.job_id).where(
            BoardEvent.office_id == office_id, BoardEvent.seq > after, BoardEvent.seq <= upto
        )
    )
    notes = list(rows.all())
    return notes if len(notes) == upto - after else None


@dataclass(frozen=True)
class CatchUp:
    """What a board that saw ``after`` has missed: the events, or ``refresh`` when they are no longer all kept
    (or too many); ``top`` is the newest number either way."""

    events: list[BoardEvent]
    refresh: bool
    top: int


async def events_after(db: AsyncSession, office_id: uuid.UUID, after: int) -> CatchUp:
    top = await last_seq(db, office_id)
    if after == top:
        return CatchUp([], False, top)
    if after > top:  # a number this office never gave out (another database): start again
        return CatchUp([], True, top)
    if top - after > MAX_CATCH_UP:
        return CatchUp([], True, top)
    rows = await db.exec(
        select(BoardEvent)
        .where(BoardEvent.office_id == office_id, BoardEvent.seq > after, BoardEvent.seq <= top)
        .order_by(BoardEvent.seq)
    )
    events = list(rows.all())
    if len(events) != top - after:  # some were pruned
        return CatchUp([], True, top)
    return CatchUp(events, False, top)


change_scope.detail_rows(BoardEvent, shown=False)  # the log itself: what it names, its readers redraw
