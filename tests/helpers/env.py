"""Where the tests run: the PostgreSQL server, CI or not, the shared sample photos, an injected clock."""

import os
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("ONSITE_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
PASSWORD = "correct-horse-battery"
SHARED_PHOTOS = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "photos"


def require(available: bool, message: str) -> None:
    """What a test needs from the machine: missing, a local run skips with ``message``; CI fails with it."""
    if not available:
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)


def require_postgresql() -> None:
    require(pg_available(), f"PostgreSQL is not reachable at {PG_URL}; start it to run the PostgreSQL tests.")


def shared_photos() -> Path:
    """The sample photos in ../shared: a run without them skips, but CI must have them."""
    require((SHARED_PHOTOS / "corrupted.jpg").exists(), f"../shared/fixtures/photos not found at {SHARED_PHOTOS}")
    return SHARED_PHOTOS


def pg_available() -> bool:
    url = make_url(PG_URL)
    try:
        with socket.create_connection((url.host or "127.0.0.1", url.port or 5432), timeout=1):
            return True
    except OSError:
        return False


class FakeClock:
    """An injected clock that tests move forward by hand."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)
