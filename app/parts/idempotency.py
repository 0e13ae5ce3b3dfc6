"""Movement ids as idempotency keys, and the locks that make concurrent movements safe.

The ledger row's primary key is the client's movement id: a replay with the same payload finds its rows
and writes nothing; the same id with another payload is refused (422).
"""

import hashlib
import json
import uuid

from litestar import Request
from sqlalchemy import text
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.codes import short_code
from app.core.errors import DomainError
from app.core.i18n import _
from app.parts.models import Part, PartMovement, PartUnit
from app.sync.idempotency import different_content

CODE_LENGTH = 8  # opaque label IDs
_IGNORED_FIELDS = {"movement_id", "_csrf_token", "version"}


def new_code() -> str:
    return short_code(CODE_LENGTH)


async def unique_code(db: AsyncSession, taken: set[str] | None = None) -> str:
    """A new label ID used by no unit and no part (nor by ``taken``, codes handed out in the same batch)."""
    taken = taken if taken is not None else set()
    while True:
        code = new_code()
        if (
            code not in taken
            and not await db.scalar(select(PartUnit.id).where(PartUnit.code == code))
            and not await db.scalar(select(Part.id).where(Part.code == code))
        ):
            taken.add(code)
            return code


class MovementKey:
    """The client's movement id and a digest of what it asked for."""

    def __init__(self, movement_id: uuid.UUID, kind: str, values: dict) -> None:
        self.id = movement_id
        payload = {key: value for key, value in sorted(values.items()) if key not in _IGNORED_FIELDS}
        self.request_hash = hashlib.sha256(
            json.dumps([kind, payload], sort_keys=True, default=str).encode()
        ).hexdigest()

    def row_id(self, index: int) -> uuid.UUID:
        """The id of the ``index``-th row a movement writes (several units in one check-out)."""
        return self.id if index == 0 else uuid.uuid5(self.id, str(index))

    @classmethod
    def from_request(cls, request: Request, kind: str, values: dict) -> "MovementKey":
        raw = (request.headers.get("idempotency-key") or str(values.get("movement_id") or "")).strip()
        if not raw:
            return cls(uuid.uuid4(), kind, values)
        try:
            return cls(uuid.UUID(raw), kind, values)
        except ValueError:
            raise DomainError(_("The movement id is not valid. Reload the page and try again.")) from None


async def replayed(db: AsyncSession, key: MovementKey) -> list[PartMovement] | None:
    """The rows an earlier request with this key wrote, or None when the key is new."""
    first = await db.get(PartMovement, key.id, populate_existing=True)
    if first is None:
        return None
    if first.request_hash != key.request_hash:
        raise DomainError(different_content())
    rows = [first]
    index = 1
    while (row := await db.get(PartMovement, key.row_id(index))) is not None:
        rows.append(row)
        index += 1
    return rows


async def take_write_lock(db: AsyncSession) -> None:
    """SQLite: start the transaction with a write, so that concurrent movements queue up (busy_timeout)
    instead of reading a snapshot that another writer then invalidates. PostgreSQL locks rows instead."""
    if db.bind.dialect.name == "sqlite":
        await db.exec(text("UPDATE part_unit SET version = version WHERE 1 = 0"))


def locked(query, db: AsyncSession):
    """``SELECT … FOR UPDATE`` on PostgreSQL; SQLite already holds the database's write lock."""
    return query.with_for_update() if db.bind.dialect.name == "postgresql" else query


async def lock_rows(db: AsyncSession, model, ids) -> list:
    ids = sorted(set(ids))  # a fixed order, so two movements never wait for each other
    if not ids:
        return []
    query = locked(select(model).where(model.id.in_(ids)).order_by(model.id), db)
    return list((await db.exec(query.execution_options(populate_existing=True))).all())
