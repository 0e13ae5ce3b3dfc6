"""Test-only fault points for the crash tests. ``ONSITE_TEST_KILL_AT=<point>:<Idempotency-Key>`` makes the
server process kill itself (SIGKILL, no clean-up) when the request carrying that key reaches ``point``:
``before_commit`` (the change is written but not committed) or ``after_commit`` (committed, nothing answered).
Never set outside tests: unset, ``reached`` does nothing."""

import os
import signal

KILL_AT = os.environ.get("ONSITE_TEST_KILL_AT", "")


def reached(point: str, key: str | None) -> None:
    if KILL_AT and key and f"{point}:{key}" == KILL_AT:
        os.kill(os.getpid(), signal.SIGKILL)
