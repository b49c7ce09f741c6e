"""`gc_paused()`: no cyclic garbage collection while a bulk import builds its rows.

An import of 10,000 submissions allocates millions of small dicts that all stay alive
until the write; each full collection walks them all again, which cost about half the
time of the later steps (bench_xlsform.py). Reference counting still frees everything
that is not in a cycle; the collector is switched back on, as it was, at the end.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
