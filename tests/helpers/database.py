"""Reading and emptying a test database as a whole."""

from sqlalchemy import delete, select
from sqlmodel import SQLModel


async def empty_tables(engine) -> None:
    """Every table emptied, children first: the database as a fresh migration leaves it."""
    async with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            await conn.execute(delete(table))


async def every_row(engine) -> dict[str, list[dict]]:
    """Each table's rows as plain dicts."""
    async with engine.connect() as conn:
        return {
            table.name: [dict(row._mapping) for row in await conn.execute(select(table))]
            for table in SQLModel.metadata.sorted_tables
        }
