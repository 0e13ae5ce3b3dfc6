"""The worker's heap, frozen once the app has started.

Everything made while starting (modules, routes, templates, the ORM's mappings: some 190,000 objects) lives as long
as the worker, yet Python's full collection walked all of it, holding every request of the worker meanwhile: 100 to
190 ms each on the 2-core bench while engineers wrote, every few seconds, the board's slowest requests. Frozen
(``gc.freeze``), those objects are left out of every collection, which then walks only what requests made since (some
20,000 to 50,000 objects: pooled connections' prepared statements, kept pages). With so small an old generation, a
full collection would follow every tenth young one; it waits for the hundredth (the third threshold: 10 → 100).
"""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar

FULL_AFTER = 100  # young collections (of the second generation) between two full ones; Python's default is 10


@asynccontextmanager
async def frozen_heap(_app: Litestar) -> AsyncIterator[None]:
    """A lifespan, the last: what start-up made is frozen (at once: a collection first would cost each start of
    the app, the tests' many, what it spares), and left as it was when the app stops."""
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], FULL_AFTER)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
