"""Rendered page parts kept until the data changes (the board under load).

Every transaction that commits through ``app.core.database.transaction`` counts ``data_version`` one up in the
same commit, so the count read by a request changes exactly when data it could show has changed, whichever
app process made the change. A kept part is keyed by that count: it is never served after a change. Writes
made outside the app (SQL by hand) are not counted; parts are also keyed by the minute, so they last no longer.
"""

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from weakref import WeakValueDictionary

from markupsafe import Markup
from sqlalchemy import BigInteger, text
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

MAX_ENTRIES = 256


class DataVersion(SQLModel, table=True):
    """One row: how many transactions have committed changes (made again by the first one if missing)."""

    __tablename__ = "data_version"

    id: int = Field(primary_key=True)
    value: int = Field(default=0, sa_type=BigInteger)


async def count_change(db: AsyncSession) -> None:
    """Call last before the commit: the row stays locked only while the commit itself runs."""
    await db.exec(
        text(
            "INSERT INTO data_version (id, value) VALUES (1, 1) "
            "ON CONFLICT (id) DO UPDATE SET value = data_version.value + 1"
        )
    )


async def data_version(db: AsyncSession) -> int:
    return await db.scalar(text("SELECT value FROM data_version WHERE id = 1")) or 0


class PageCache:
    """One process's rendered parts, the oldest dropped first once ``MAX_ENTRIES`` are kept."""

    def __init__(self) -> None:
        self._parts: OrderedDict[tuple, Markup] = OrderedDict()
        self._rendering: WeakValueDictionary[tuple, asyncio.Lock] = WeakValueDictionary()

    async def fetch(
        self, db: AsyncSession, key: Hashable, render: Callable[[], Awaitable[str]], version: int | None = None
    ) -> Markup:
        """The part for ``key`` as of the current data, rendered if not kept yet. The version (read with the
        signed-in user when given, else now) is read before rendering: a part may be newer than its version,
        never older."""
        versioned = (key, version if version is not None else await data_version(db))
        if (part := self._parts.get(versioned)) is not None:
            return part
        # Requests that miss together (a change, a new minute) wait for one render instead of each rendering.
        async with self._rendering.setdefault(versioned, asyncio.Lock()):
            if (part := self._parts.get(versioned)) is None:
                part = self._parts[versioned] = Markup(await render())
                while len(self._parts) > MAX_ENTRIES:
                    self._parts.popitem(last=False)
        return part
