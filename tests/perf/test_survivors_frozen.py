"""gc_pause.survivors_frozen: the collector paused until freeze(), the survivors then frozen and the collector back
on; everything handed back on leaving; somebody else's frozen objects left frozen."""
from __future__ import annotations

import gc

import pytest

from goalsheet.gc_pause import survivors_frozen


@pytest.fixture(autouse=True)
def collector_as_it_was():
    was = gc.isenabled()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.enable() if was else gc.disable()


def test_paused_until_freeze_then_the_survivors_are_frozen_and_handed_back_on_leaving():
    gc.enable()
    with survivors_frozen() as freeze:
        assert not gc.isenabled()
        kept = [[i] for i in range(1000)]           # containers the collector tracks
        freeze()
        assert gc.isenabled()
        assert gc.get_freeze_count() >= 1000
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    with survivors_frozen() as freeze:
        freeze()
        assert not gc.isenabled()
        assert gc.get_freeze_count() > 0
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_objects_frozen_by_someone_else_stay_frozen():
    gc.enable()
    gc.freeze()
    theirs = gc.get_freeze_count()
    assert theirs > 0
    with survivors_frozen() as freeze:
        freeze()
        assert gc.get_freeze_count() == theirs     # nothing more frozen here
    assert gc.get_freeze_count() == theirs         # and nothing of theirs handed back


def test_leaving_on_an_error_hands_everything_back():
    gc.enable()
    with pytest.raises(ValueError):
        with survivors_frozen() as freeze:
            freeze()
            raise ValueError("the plan failed")
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
