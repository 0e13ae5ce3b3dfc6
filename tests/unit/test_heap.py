"""The worker's start-up heap is frozen while the app runs, and left as it was after."""

import gc

from app.core.heap import FULL_AFTER, frozen_heap


async def test_what_start_up_made_is_left_out_of_collections_while_the_app_runs():
    gc.unfreeze()
    thresholds = gc.get_threshold()
    made_at_start = object.__new__(type("MadeAtStart", (), {}))  # a tracked object that lives on

    async with frozen_heap(None):
        assert gc.get_freeze_count() > 0
        assert not any(found is made_at_start for found in gc.get_objects())  # frozen: no collection walks it
        assert gc.get_threshold() == (thresholds[0], thresholds[1], FULL_AFTER)

    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds
    assert any(found is made_at_start for found in gc.get_objects())
