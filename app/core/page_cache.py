"""Rendered page parts kept until their office's data changes (the board under load).

Every transaction that commits through ``app.core.database.transaction`` and changes its office's data
(``app.core.change_scope``) counts up, in the same commit, the version of each office it changes: the acting
user's office and every office whose board it notes (``app.jobs.board_log``); a transaction that knows neither
(the command line, a background task) counts up every office. So the version read by a request changes exactly
when data of its office has changed, whichever app process made the change, and a write in one office neither
waits for another office's row lock nor drops another office's kept parts.

A transaction that changes only details of jobs (a checklist step, a photo, what a phone holds) leaves the version
as it is: its notes in the office's numbered change log (``OfficeNotes``, the board log's numbers) say which jobs, or
the phones, it changed. A request reads both figures with its user (``Seen``). A kept part is served for a newer
``Seen`` only if the office's version is the one it was drawn at and none of the notes since names a job it shows,
or the phones when it shows them (``Shows``): it is never served after a change it shows. Writes made outside the
app (SQL by hand) are not counted; parts are also keyed by the minute, so they last no longer.
"""

import asyncio
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass, field
from weakref import WeakValueDictionary

from markupsafe import Markup
from sqlalchemy import BigInteger, Column, Text, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core import change_scope

MAX_ENTRIES = 256
# A part that still shows the truth is served again at most this many change notes after its drawing: a board
# page carries the number of its drawing, from which its live stream catches up, and a catch-up stays short.
MAX_NOTES_SINCE_DRAWN = 200
RECENT_NOTES = 16  # the newest notes an office's row names
NOTE_WIDTH = 32  # a job's id in hexadecimal
PHONES_NOTE = "-" * NOTE_WIDTH  # a note that names the phones' reports, not a job
CHANGED_OFFICE = "changed_office"  # the session's acting office, set with the request's session
NOTED_OFFICES = "noted_offices"  # the offices whose boards the open transaction noted a change for


class OfficeVersion(SQLModel, table=True):
    """How many transactions have committed changes to each office's data (a missing row counts as 0)."""

    __tablename__ = "office_version"

    office_id: uuid.UUID = Field(foreign_key="office.id", primary_key=True)
    value: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))


class OfficeNotes(SQLModel, table=True):
    """The last number given to a change note in each office (``app.jobs.board_log`` writes the notes): a row of
    its own, so that numbering a note and counting a version lock rows of two tables, each in office order.

    The row also holds what its newest notes name (``recent``, the last ``RECENT_NOTES`` of them, ``NOTE_WIDTH``
    characters each, oldest first, up to note ``recent_upto``), written by the statement that numbers them: a request
    reads them with its user, and a kept part checks the notes since it was last served without a query of the log."""

    __tablename__ = "board_sequence"

    office_id: uuid.UUID = Field(foreign_key="office.id", primary_key=True)
    value: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    recent: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    recent_upto: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))


change_scope.detail_rows(OfficeVersion, shown=False)  # the counters themselves
change_scope.detail_rows(OfficeNotes, shown=False)


@dataclass(frozen=True)
class Seen:
    """How new a request's view of its office is: the office's version and its newest change note, with what the
    office's row named of its newest notes (``OfficeNotes.recent``) when read."""

    version: int
    events: int
    recent: str = field(default="", compare=False, repr=False)
    recent_upto: int = field(default=0, compare=False, repr=False)

    def newest(self, other: "Seen") -> "Seen":
        newer = self if self.events >= other.events else other
        return Seen(max(self.version, other.version), newer.events, newer.recent, newer.recent_upto)

    def notes_after(self, after: int) -> list[uuid.UUID | None] | None:
        """The notes numbered after ``after`` up to ``events``, each a job's id or None (the phones), if the office's
        row still named them all when read; else None (the log has them)."""
        count = self.events - after
        if self.recent_upto != self.events or not 0 <= count * NOTE_WIDTH <= len(self.recent):
            return None
        named = self.recent[len(self.recent) - count * NOTE_WIDTH :]
        return [_job_named(named[start : start + NOTE_WIDTH]) for start in range(0, len(named), NOTE_WIDTH)]

    def covers(self, other: "Seen") -> bool:
        return self.version >= other.version and self.events >= other.events


@dataclass(frozen=True)
class Shows:
    """What of the office's detail changes a part shows: these jobs, and the phones' reports if ``phones``."""

    jobs: frozenset[uuid.UUID] = frozenset()
    phones: bool = False

    def any_of(self, notes: Iterable[uuid.UUID | None]) -> bool:
        """Whether change notes (a job's id, or None for the phones) name something shown."""
        return any(job_id in self.jobs if job_id is not None else self.phones for job_id in notes)


def _job_named(note: str) -> uuid.UUID | None:
    return None if note == PHONES_NOTE else uuid.UUID(hex=note)


def note_names(job_id: uuid.UUID | None) -> str:
    """What ``OfficeNotes.recent`` holds of a note naming this job (None: the phones)."""
    return PHONES_NOTE if job_id is None else job_id.hex


# The notes numbered after the first figure up to the second, each a job's id or None (the phones); None when the
# log no longer holds them all.
Notes = Callable[[int, int], Awaitable[list[uuid.UUID | None] | None]]


@dataclass
class _Kept:
    seen: Seen  # the part shows at least this
    drawn: int  # the change note it was drawn at
    shows: Shows
    part: Markup = field(repr=False)


_COUNT_ALL = text(
    "INSERT INTO office_version (office_id, value) SELECT id, 1 FROM office WHERE true ORDER BY id "
    "ON CONFLICT (office_id) DO UPDATE SET value = office_version.value + 1"
)


def note_changed(db: AsyncSession, offices: Iterable[uuid.UUID]) -> None:
    """The open transaction changes these offices' data (a feature's before-commit hook says so)."""
    db.info.setdefault(NOTED_OFFICES, set()).update(offices)


def changed_offices(db: AsyncSession) -> set[uuid.UUID]:
    """The offices the open transaction changes, forgotten for the next one: the acting office and those noted."""
    acting = {db.info[CHANGED_OFFICE]} if CHANGED_OFFICE in db.info else set()
    return acting | db.info.pop(NOTED_OFFICES, set())


async def count_change(db: AsyncSession, offices: Iterable[uuid.UUID]) -> None:
    """Call last before the commit: the rows stay locked only while the commit itself runs. No office known:
    every office counts the change."""
    known = sorted(set(offices))  # one order everywhere: two transactions never wait for each other's rows
    if not known:
        await db.exec(_COUNT_ALL)
    insert = pg_insert if db.bind.dialect.name == "postgresql" else sqlite_insert
    for office_id in known:
        await db.exec(
            insert(OfficeVersion)
            .values(office_id=office_id, value=1)
            .on_conflict_do_update(index_elements=["office_id"], set_={"value": OfficeVersion.value + 1})
        )


class PageCache:
    """One process's rendered parts, the newest drawing per key, the oldest key dropped first once ``MAX_ENTRIES``
    are kept."""

    def __init__(self) -> None:
        self._parts: OrderedDict[Hashable, _Kept] = OrderedDict()
        self._rendering: WeakValueDictionary[Hashable, asyncio.Lock] = WeakValueDictionary()
        self._asked: dict[Hashable, Seen] = {}  # the newest view read by a request waiting for the key's drawing

    async def fetch(
        self, key: Hashable, seen: Seen, render: Callable[[], Awaitable[tuple[str, Shows]]], notes: Notes
    ) -> Markup:
        """The part for ``key`` as of ``seen`` or newer (read with the signed-in user, before rendering: a part may
        be newer than its label, never older), rendered if not kept yet or no longer true.

        Requests that miss together wait for one drawing instead of each drawing. While the office keeps writing,
        every request reads a newer view: those that wait while a part is drawn are all served by the next
        drawing, labelled with the newest view any of them read (drawn after they read it, it shows at least
        that), so a stream of changes costs one drawing at a time, not one per request. When only details changed
        since a part was drawn (``notes``), the part is served again unless a note names something it shows."""
        if (part := self._kept(key, seen)) is not None:
            return part
        self._asked[key] = self._asked.get(key, seen).newest(seen)
        async with self._rendering.setdefault(key, asyncio.Lock()):
            if (part := self._kept(key, seen)) is not None:
                return part
            label = self._asked.pop(key, seen)
            if (part := await self._still_true(key, label, notes)) is not None:
                return part
            html, shows = await render()
            self._parts[key] = _Kept(label, label.events, shows, Markup(html))
            self._parts.move_to_end(key)
            while len(self._parts) > MAX_ENTRIES:
                self._parts.popitem(last=False)
        return self._parts[key].part

    def _kept(self, key: Hashable, seen: Seen) -> Markup | None:
        kept = self._parts.get(key)
        return kept.part if kept is not None and kept.seen.covers(seen) else None

    async def _still_true(self, key: Hashable, label: Seen, notes: Notes) -> Markup | None:
        """The kept part relabelled ``label`` if the office's version has not moved past it and no note since
        names what it shows."""
        kept = self._parts.get(key)
        if kept is None or kept.seen.version < label.version or label.events - kept.drawn > MAX_NOTES_SINCE_DRAWN:
            return None
        since = label.notes_after(kept.seen.events)
        if since is None:
            since = await notes(kept.seen.events, label.events)
        if since is None or kept.shows.any_of(since):
            return None
        kept.seen = label
        return kept.part
