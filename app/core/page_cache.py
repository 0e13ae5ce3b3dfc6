"""Rendered page parts kept until their office's data changes (the board under load).

Every transaction that commits through ``app.core.database.transaction`` counts up, in the same commit, the
version of each office it changes: the acting user's office and every office whose board it notes
(``app.jobs.board_log``); a transaction that knows neither (the command line, a background task) counts up every
office. So the version read by a request changes exactly when data of its office has changed, whichever app
process made the change, and a write in one office neither waits for another office's row lock nor drops
another office's kept parts. A kept part is keyed by that version: it is never served after a change. Writes
made outside the app (SQL by hand) are not counted; parts are also keyed by the minute, so they last no longer.
"""

import asyncio
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Iterable
from weakref import WeakValueDictionary

from markupsafe import Markup
from sqlalchemy import BigInteger, Column, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

MAX_ENTRIES = 256
CHANGED_OFFICE = "changed_office"  # the session's acting office, set with the request's session
NOTED_OFFICES = "noted_offices"  # the offices whose boards the open transaction noted a change for


class OfficeVersion(SQLModel, table=True):
    """How many transactions have committed changes to each office's data (a missing row counts as 0)."""

    __tablename__ = "office_version"

    office_id: uuid.UUID = Field(foreign_key="office.id", primary_key=True)
    value: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))


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
        self._parts: OrderedDict[Hashable, tuple[int, Markup]] = OrderedDict()
        self._rendering: WeakValueDictionary[Hashable, asyncio.Lock] = WeakValueDictionary()
        self._asked: dict[Hashable, int] = {}  # the newest version read by a request waiting for the key's drawing

    async def fetch(self, key: Hashable, version: int, render: Callable[[], Awaitable[str]]) -> Markup:
        """The part for ``key`` as of ``version`` or newer (read with the signed-in user, before rendering: a part
        may be newer than its version, never older), rendered if not kept yet.

        Requests that miss together wait for one drawing instead of each drawing. While the office keeps writing,
        every request reads a newer version: those that wait while a part is drawn are all served by the next
        drawing, labelled with the newest version any of them read (drawn after they read it, it shows at least
        that), so a stream of changes costs one drawing at a time, not one per request."""
        if (part := self._kept(key, version)) is not None:
            return part
        self._asked[key] = max(self._asked.get(key, version), version)
        async with self._rendering.setdefault(key, asyncio.Lock()):
            if (part := self._kept(key, version)) is not None:
                return part
            label = self._asked.pop(key, version)
            part = Markup(await render())
            self._parts[key] = (label, part)
            self._parts.move_to_end(key)
            while len(self._parts) > MAX_ENTRIES:
                self._parts.popitem(last=False)
        return part

    def _kept(self, key: Hashable, version: int) -> Markup | None:
        kept = self._parts.get(key)
        return kept[1] if kept is not None and kept[0] >= version else None
