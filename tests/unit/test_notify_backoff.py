from datetime import timedelta

from app.core.settings import Settings
from app.notify.sender import backoff


def test_it_doubles_the_wait_after_each_failed_attempt():
    settings = Settings(database_url="sqlite+aiosqlite://", secret_key="x" * 40, notify_first_retry_seconds=30)
    assert [backoff(settings, attempts) for attempts in (1, 2, 3, 4)] == [
        timedelta(seconds=30),
        timedelta(seconds=60),
        timedelta(seconds=120),
        timedelta(seconds=240),
    ]
