"""Alembic is the only way the schema is made: the models and the migrations must agree."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel


def _differences(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, SQLModel.metadata)


async def test_it_has_migrations_that_match_the_models(engine):
    async with engine.connect() as connection:
        assert await connection.run_sync(_differences) == []
