"""Run work off the GUI thread; report progress and results back on it.

The pattern follows Anki's `taskman` and Orange's `TaskState`: a job is a plain callable
`fn(progress) -> result` following the contract in `ca_desktop.domain.jobs`: `progress`
returns False once the user has cancelled, and the core raises `Cancelled` at a point
where stopping is safe, which the runner reports as a cancel, never as a failure.
Writers run one at a time on their own pool (SQLite has one writer anyway, and queuing
here keeps the GUI from piling up blocked threads); readers share the global pool.
A job given a `key` is superseded by a newer job with the same key: the older one is
asked to stop and its outcome dropped, so a slow load never overwrites a newer one.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ca_desktop.domain.jobs import Cancelled, Progress

Job = Callable[[Progress], Any]


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object, str)
    cancelled = Signal(object)


class TaskHandle:
    """What the caller keeps: cancel it, or ask whether it is still running."""

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self.done = False

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Runnable(QRunnable):
    def __init__(self, job: Job, signals: _Signals, handle: TaskHandle) -> None:
        super().__init__()
        self.job, self.signals, self.handle = job, signals, handle
        self.setAutoDelete(True)

    def run(self) -> None:
        def progress(done: int, total: int) -> bool:
            self.signals.progress.emit(done, total)
            return not self.handle.cancelled

        try:
            result = self.job(progress)
        except Cancelled as exc:
            self.signals.cancelled.emit(exc)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.finished.emit(result)


class TaskManager(QObject):
    """Owned by the main window; pages call `run` for anything that may take > ~100 ms."""

    busy_changed = Signal(bool)
    # The record types a finished write changed (a frozenset of type names, e.g.
    # {"activity", "attendance_entry"}): pages refresh from this, not from each other.
    records_changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writers = QThreadPool(self)
        self._writers.setMaxThreadCount(1)
        self._readers = QThreadPool.globalInstance()
        self._running: set[_Signals] = set()
        self._keep: set[_Signals] = set()  # quiet jobs' signals, alive until they end
        self._latest: dict[str, TaskHandle] = {}  # key -> the newest job run with it

    def run(
        self,
        job: Job,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        write: bool = False,
        changes: frozenset[str] | set[str] | tuple[str, ...] = (),
        on_cancel: Callable[[Cancelled], None] | None = None,
        key: str | None = None,
        quiet: bool = False,
    ) -> TaskHandle:
        """Run `job(progress)` off the GUI thread; the callbacks run on the GUI thread.

        `changes` names the record types a write job changes, announced through
        `records_changed` once it has succeeded, or was cancelled (a cancelled job may have
        kept whole steps, e.g. the bundles imported before the stop). A job that raises
        `Cancelled` calls `on_cancel`, not `on_error`. With a `key`, a newer job with the
        same key supersedes this one: it is asked to stop and none of its callbacks run.
        A `quiet` job (a background poll) does not show the window as busy.
        """
        handle = TaskHandle()
        signals = _Signals()  # lives on the GUI thread, so its slots run there
        (self._keep if quiet else self._running).add(signals)
        if key is not None:
            older = self._latest.get(key)
            if older is not None and not write:
                older.cancel()  # its result would be dropped anyway
            self._latest[key] = handle

        def current() -> bool:
            """Whether this job's outcome still counts (no newer job took its key)."""
            if key is None:
                return True
            if self._latest.get(key) is not handle:
                return False
            del self._latest[key]
            return True

        def finished(result: Any) -> None:
            self._end(signals, handle)
            if current() and on_done:
                on_done(result)
            if changes:
                self.notify_changed(changes)

        def cancelled(exc: Cancelled) -> None:
            self._end(signals, handle)
            if current() and on_cancel:
                on_cancel(exc)
            if changes:
                self.notify_changed(changes)

        def failed(exc: BaseException, tb: str) -> None:
            self._end(signals, handle)
            if not current():
                return
            if on_error:
                on_error(exc)
            else:
                raise exc

        signals.finished.connect(finished)
        signals.cancelled.connect(cancelled)
        signals.failed.connect(failed)
        if on_progress:
            show = on_progress
            signals.progress.connect(
                lambda done, total: (
                    show(done, total) if key is None or self._latest.get(key) is handle else None
                )
            )
        if not quiet and len(self._running) == 1:
            self.busy_changed.emit(True)
        (self._writers if write else self._readers).start(_Runnable(job, signals, handle))
        return handle

    def notify_changed(self, record_types: frozenset[str] | set[str] | tuple[str, ...]) -> None:
        """Tell every page that records of these types changed (after a write)."""
        self.records_changed.emit(frozenset(record_types))

    def _end(self, signals: _Signals, handle: TaskHandle) -> None:
        handle.done = True
        if signals not in self._running:  # a quiet job: the busy state never counted it
            self._keep.discard(signals)
            return
        self._running.discard(signals)
        if not self._running:
            self.busy_changed.emit(False)

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until all jobs finished (tests and shutdown)."""
        ok = self._writers.waitForDone(msecs)
        return self._readers.waitForDone(msecs) and ok
