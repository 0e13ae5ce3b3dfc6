"""The one way tests wait for something that happens elsewhere (a server, a browser, a background task)."""

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable


def wait_until(
    check: Callable[[], object],
    *,
    what: str,
    timeout: float = 10.0,
    pause: float = 0.05,
    sleep: Callable[[float], object] = time.sleep,
):
    """Calls ``check`` until it returns something true, and returns that; fails naming ``what`` after ``timeout``
    seconds. ``sleep`` waits between checks (a Playwright page's, so that its events keep arriving); an ``async``
    check gives an awaitable that waits without blocking the event loop."""
    if inspect.iscoroutinefunction(check):
        return _wait_until_async(check, what, timeout, pause)
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        sleep(pause)
    return result


async def _wait_until_async(check: Callable[[], Awaitable[object]], what: str, timeout: float, pause: float):
    deadline = time.monotonic() + timeout
    while not (result := await check()):
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        await asyncio.sleep(pause)
    return result
