"""A throw-away PostgreSQL database for a benchmark, migrated to head and dropped afterwards."""

import os
from contextlib import AbstractContextManager

from tests.helpers import pgadmin
from tests.helpers.pgadmin import connect

__all__ = ["connect", "scratch_database"]  # what the benchmarks import from here

PG_URL = os.environ.get("ONSITE_BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


def scratch_database(prefix: str = "onsite_bench") -> AbstractContextManager[str]:
    """Yields the SQLAlchemy URL of a fresh, migrated database."""
    return pgadmin.scratch_database(PG_URL, prefix)
