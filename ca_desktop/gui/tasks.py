"""Run work off the GUI thread; report progress and results back on it.

The pattern follows Anki's `taskman` and Orange's `TaskState`: a job is a plain callable
`fn(progress) -> result` following the contract in `ca_desktop.domain.jobs`: `progress`
returns False once the user has cancelled, and the core raises `Cancelled` at a point
where stopping is safe, which the runner reports as a cancel, never as a failure.
Writers run one at a time on their own pool (SQLite has one writer anyway, and queuing
here keeps the GUI from piling up blocked threads); readers run on a second pool.
A job given a `key` is superseded by a newer job with the same key: the older one is
asked to stop and its outcome dropped, so a slow load never overwrites a newer one.

Lifetimes, because Qt objects must never die on a pool thread nor be used there after
they died (a general protection fault in `QMetaObject::metacall` on a pooled thread
once killed a test worker; a window deleted while its jobs ran left them emitting on
destroyed signal objects): a pool thread only ever touches the manager's one signal
bridge, a child created after the two pools, so the pools (which wait for their jobs
when destroyed) go first. The manager, on the GUI thread, holds every job's callable and
callbacks until its outcome is delivered, so whatever a job captured is released there.
Owners call `shutdown` when they close: reads are cancelled, writes finish.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot

from ca_desktop.domain.jobs import Cancelled, Progress

Job = Callable[[Progress], Any]


class _Bridge(QObject):
    """The only Qt object pool threads touch; emitted with the job's number."""

    progress = Signal(int, int, int)
    finished = Signal(int, object)
    failed = Signal(int, object)
    cancelled = Signal(int, object)


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


@dataclass
class _Running:
    """One job's GUI-side state, dropped on the GUI thread once its outcome is delivered."""

    job: Job | None
    handle: TaskHandle
    write: bool
    changes: frozenset[str]
    key: str | None
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    on_progress: Callable[[int, int], None] | None
    on_cancel: Callable[[Cancelled], None] | None
    quiet: bool = False  # a background poll: never shows the window as busy


class _Runnable(QRunnable):
    def __init__(self, number: int, job: Job, bridge: _Bridge, handle: TaskHandle) -> None:
        super().__init__()
        self.number, self.bridge, self.handle = number, bridge, handle
        self.job: Job | None = job
        self.setAutoDelete(True)

    def run(self) -> None:
        number, bridge, handle = self.number, self.bridge, self.handle
        job, self.job = self.job, None  # the manager holds the last reference, on the GUI thread
        assert job is not None  # run once

        def progress(done: int, total: int) -> bool:
            bridge.progress.emit(number, done, total)
            return not handle.cancelled

        try:
            result = job(progress)
        except Cancelled as exc:
            del job
            bridge.cancelled.emit(number, exc)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
            del job
            bridge.failed.emit(number, exc)
        else:
            del job
            bridge.finished.emit(number, result)


class TaskManager(QObject):
    """Owned by the main window; pages call `run` for anything that may take > ~100 ms."""

    busy_changed = Signal(bool)
    # The record types a finished write changed (a frozenset of type names, e.g.
    # {"activity", "attendance_entry"}): pages refresh from this, not from each other.
    records_changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # The pools first: children are destroyed in order, and a pool waits for its jobs
        # when destroyed, so the bridge outlives every job that may emit on it.
        self._writers = QThreadPool(self)
        self._writers.setMaxThreadCount(1)
        self._readers = QThreadPool(self)
        # Two at least, so one slow read never holds up the next page's (one core or not).
        self._readers.setMaxThreadCount(max(2, QThread.idealThreadCount()))
        self._bridge = _Bridge(self)
        self._bridge.progress.connect(self._progress)
        self._bridge.finished.connect(self._finished)
        self._bridge.failed.connect(self._failed)
        self._bridge.cancelled.connect(self._cancelled)
        self._numbers = itertools.count(1)
        self._running: dict[int, _Running] = {}
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
        if key is not None:
            older = self._latest.get(key)
            if older is not None and not write:
                older.cancel()  # its result would be dropped anyway
            self._latest[key] = handle
        number = next(self._numbers)
        self._running[number] = _Running(
            job,
            handle,
            write,
            frozenset(changes),
            key,
            on_done,
            on_error,
            on_progress,
            on_cancel,
            quiet,
        )
        if not quiet and self._busy_count() == 1:
            self.busy_changed.emit(True)
        pool = self._writers if write else self._readers
        pool.start(_Runnable(number, job, self._bridge, handle))
        return handle

    def notify_changed(self, record_types: frozenset[str] | set[str] | tuple[str, ...]) -> None:
        """Tell every page that records of these types changed (after a write)."""
        self.records_changed.emit(frozenset(record_types))

    @property
    def busy(self) -> bool:
        return self._busy_count() > 0

    def _busy_count(self) -> int:
        return sum(1 for state in self._running.values() if not state.quiet)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until all jobs finished (tests and shutdown); their outcomes are delivered
        by the event loop afterwards."""
        ok = self._writers.waitForDone(msecs)
        return self._readers.waitForDone(msecs) and ok

    def shutdown(self, msecs: int = 30_000) -> bool:
        """When the owner closes: ask every read to stop, let writes finish, wait for both.

        A read's result would only fill a screen that is going away; a write is the user's
        work, and stops only where its own handle was cancelled."""
        for state in self._running.values():
            if not state.write:
                state.handle.cancel()
        return self.wait(msecs)

    # -- on the GUI thread, from the bridge -----------------------------------------------

    @Slot(int, int, int)
    def _progress(self, number: int, done: int, total: int) -> None:
        state = self._running.get(number)
        if state is None or state.on_progress is None:
            return
        if state.key is None or self._latest.get(state.key) is state.handle:
            state.on_progress(done, total)

    @Slot(int, object)
    def _finished(self, number: int, result: Any) -> None:
        state = self._end(number)
        if self._current(state) and state.on_done:
            state.on_done(result)
        if state.changes:
            self.notify_changed(state.changes)

    @Slot(int, object)
    def _cancelled(self, number: int, exc: Cancelled) -> None:
        state = self._end(number)
        if self._current(state) and state.on_cancel:
            state.on_cancel(exc)
        if state.changes:
            self.notify_changed(state.changes)

    @Slot(int, object)
    def _failed(self, number: int, exc: BaseException) -> None:
        state = self._end(number)
        if not self._current(state):
            return
        if state.on_error:
            state.on_error(exc)
        else:
            raise exc

    def _end(self, number: int) -> _Running:
        state = self._running.pop(number)
        state.handle.done = True
        state.job = None
        if not state.quiet and not self._busy_count():
            self.busy_changed.emit(False)
        return state

    def _current(self, state: _Running) -> bool:
        """Whether this job's outcome still counts (no newer job took its key)."""
        if state.key is None:
            return True
        if self._latest.get(state.key) is not state.handle:
            return False
        del self._latest[state.key]
        return True
