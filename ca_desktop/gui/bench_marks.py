"""Time stamps for the benchmarks that start the real entry point (`bench/bench_entry.py`).

With `CA_DESKTOP_BENCH_MARKS=1` in the environment the GUI writes one line to stderr when
the main window is first painted and when the first rows of the start page are painted:
`CA-MARK <name> <seconds since the epoch>`, which the benchmark compares with the moment it
started the process. Without the variable nothing is written and nothing is installed.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer

ENV = "CA_DESKTOP_BENCH_MARKS"


def enabled() -> bool:
    return os.environ.get(ENV) == "1"


def mark(name: str) -> None:
    print(f"CA-MARK {name} {time.time():.6f}", file=sys.stderr, flush=True)


class _AfterPaint(QObject):
    """Marks once, on the event-loop turn after `widget`'s next paint has been handled."""

    def __init__(self, widget: QObject, name: str) -> None:
        super().__init__(widget)
        self.name = name
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, lambda: mark(self.name))
        return False


def after_next_paint(widget: QObject, name: str) -> None:
    """Mark `name` once `widget` has painted next (only when benchmarking)."""
    if enabled():
        _AfterPaint(widget, name)
