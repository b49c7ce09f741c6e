"""Running PDF work on the thread pool, with progress and results back on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

Progress = Callable[[int, int], bool]


class JobSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)


class Job(QRunnable):
    """`fn(progress)` on a pool thread; `progress` returns False once cancelled."""

    def __init__(self, fn: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = JobSignals()
        self._cancel = threading.Event()
        self.setAutoDelete(False)  # the page keeps it until its signals have been delivered

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        def progress(done: int, total: int) -> bool:
            self.signals.progress.emit(done, total)
            return not self._cancel.is_set()

        try:
            result = self.fn(progress)
        except InterruptedError:
            self.signals.failed.emit("")
        except Exception as exc:  # noqa: BLE001 - shown to the user on the GUI thread
            self.signals.failed.emit(str(exc) or type(exc).__name__)
        else:
            self.signals.finished.emit(result)


def start(job: Job, pool: QThreadPool | None = None) -> Job:
    (pool or QThreadPool.globalInstance()).start(job)
    return job
