"""Unit tests need no database: one that opens a connection fails (its place is tests/integration)."""

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool


@pytest.fixture(autouse=True)
def no_database():
    def refuse(*_args):
        raise AssertionError("a unit test opened a database connection: move it to tests/integration")

    event.listen(Pool, "connect", refuse)
    yield
    event.remove(Pool, "connect", refuse)
