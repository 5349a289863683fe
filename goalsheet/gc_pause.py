"""The cyclic garbage collector around the big steps: paused while the reader (inputs/) and the template engine
(render/) make their objects, and the read's survivors frozen for the rest of a plan run (the pipeline).

Reading a full Sales sheet or writing a 20 000-row sheet makes millions of small objects (a row list and a
value per cell, strings, XML pieces) that hold no reference cycles; while they are being made Python's
cyclic garbage collector walks all of them again and again (about 1 s of the max seller's 4.7 s read, and
~0.5 s of its render).  Memory is still freed by reference counting meanwhile; cycles made in the block are
collected once the collector is back on.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Callable, Iterator


@contextmanager
def cyclic_gc_paused():
    """Python's cyclic garbage collector paused, then back as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def survivors_frozen() -> Iterator[Callable[[], None]]:
    """For one plan run (pipeline.run_plan): the collector paused until `freeze()` is called, which moves every
    object alive then into the collector's permanent generation (`gc.freeze`) and lets it run again; on leaving
    they are handed back (`gc.unfreeze`) and the collector is as it was.

    Called once the workbook is read, it spares the run two long collections: the first collection after the
    read would walk every object the read made and kept (the seller's book, ~30 ms on a mid-sized seller) and
    the next one walk them again (~20 ms), though they live until the run ends.  It also keeps the collector
    from writing to the book's pages while a forked child shares them (`goalsheet.forked`).  Where something
    else has frozen objects already (a server freezing before it forks workers, say), nothing is frozen here,
    so that theirs stay frozen.
    """
    was_enabled = gc.isenabled()
    ours = gc.get_freeze_count() == 0
    frozen = False
    gc.disable()

    def freeze() -> None:
        nonlocal frozen
        if ours and not frozen:
            gc.freeze()
            frozen = True
        if was_enabled:
            gc.enable()

    try:
        yield freeze
    finally:
        if frozen:
            gc.unfreeze()
        if was_enabled:
            gc.enable()
        else:
            gc.disable()
