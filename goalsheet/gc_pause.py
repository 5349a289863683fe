"""The cyclic garbage collector paused while the reader (inputs/) makes a sheet's objects.

Reading a full Sales sheet makes millions of small objects (a row list and a value per cell) that hold no
reference cycles; while they are being made Python's cyclic garbage collector walks all of them again and
again.  Memory is still freed by reference counting meanwhile; cycles made in the block are collected once the
collector is back on.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager


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
