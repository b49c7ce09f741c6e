"""The one job runner: results, failures and cancels on the GUI thread; writes announced;
a newer job with the same key supersedes an older one."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject
from pytestqt.qtbot import QtBot

from ca_desktop.domain.jobs import Cancelled, Progress, report
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.services.app import CaDesktop


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.wait()
    qtbot.wait(10)


class Outcome:
    """Which callback the runner called, and with what."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_done": lambda r: self.calls.append(("done", r)),
            "on_error": lambda e: self.calls.append(("error", e)),
            "on_cancel": lambda e: self.calls.append(("cancel", e)),
        }


def test_a_write_announces_the_types_it_changed(
    qtbot: QtBot, tasks: TaskManager, app: CaDesktop, programme_id: str
) -> None:
    with qtbot.waitSignal(tasks.records_changed) as changed:
        tasks.run(
            lambda _p: app.delete("programme", programme_id), write=True, changes={"programme"}
        )
    assert changed.args == [frozenset({"programme"})]
    assert app.get("programme", programme_id) is None


def test_a_cancelled_write_calls_the_cancel_path_and_writes_nothing(
    qtbot: QtBot, tasks: TaskManager, app: CaDesktop, activity_body: dict[str, Any]
) -> None:
    started, release = threading.Event(), threading.Event()
    before = app.count("activity")

    def job(progress: Progress) -> None:
        started.set()
        release.wait(10)
        report(progress, 1, 2)  # the safe point before writing
        app.save("activity", activity_body)

    outcome = Outcome()
    handle = tasks.run(job, write=True, changes={"activity"}, **outcome.callbacks())
    assert started.wait(10)
    handle.cancel()
    release.set()
    qtbot.waitUntil(lambda: bool(outcome.calls))
    [(kind, exc)] = outcome.calls
    assert kind == "cancel" and isinstance(exc, Cancelled)
    assert app.count("activity") == before


def test_a_failure_goes_to_on_error(qtbot: QtBot, tasks: TaskManager) -> None:
    outcome = Outcome()
    announced: list[object] = []
    tasks.records_changed.connect(announced.append)

    def job(_p: Progress) -> None:
        raise ValueError("disk full")

    tasks.run(job, write=True, changes={"activity"}, **outcome.callbacks())
    qtbot.waitUntil(lambda: bool(outcome.calls))
    [(kind, exc)] = outcome.calls
    assert kind == "error" and str(exc) == "disk full"
    assert announced == []  # a failed write wrote nothing to announce


def test_a_newer_job_with_the_same_key_wins(qtbot: QtBot, tasks: TaskManager) -> None:
    release = threading.Event()
    seen_cancel: list[bool] = []

    def slow(progress: Progress) -> str:
        release.wait(10)
        seen_cancel.append(not progress(0, 1))
        return "old"

    old, new, other = Outcome(), Outcome(), Outcome()
    tasks.run(slow, key="list", **old.callbacks())
    tasks.run(lambda _p: "new", key="list", **new.callbacks())
    tasks.run(lambda _p: "other", key="other", **other.callbacks())
    qtbot.waitUntil(lambda: bool(new.calls) and bool(other.calls))
    release.set()
    tasks.wait()
    qtbot.wait(20)
    assert new.calls == [("done", "new")] and other.calls == [("done", "other")]
    assert old.calls == []  # finished later, but superseded: dropped
    assert seen_cancel == [True]  # and it was asked to stop


def test_the_old_signature_still_works(qtbot: QtBot, tasks: TaskManager) -> None:
    got: list[Any] = []
    progress: list[tuple[int, int]] = []

    def job(p: Progress) -> int:
        p(1, 2)
        return 42

    tasks.run(job, got.append, None, lambda d, t: progress.append((d, t)), False, ())
    qtbot.waitUntil(lambda: bool(got))
    assert got == [42] and progress == [(1, 2)] and not tasks.busy


def test_a_manager_destroyed_with_its_owner_waits_for_its_jobs(qtbot: QtBot) -> None:
    """A window deleted while a read runs: the read ends before the manager is gone, so no
    pool thread is left emitting on destroyed Qt objects (a crash on a pooled thread)."""
    owner = QObject()
    manager = TaskManager(owner)
    started, ended = threading.Event(), threading.Event()

    def job(_p: Progress) -> None:
        started.set()
        time.sleep(0.3)
        ended.set()

    manager.run(job)
    assert started.wait(10)
    shiboken6.delete(owner)  # what deleteLater does when the window closes
    assert ended.is_set()
    qtbot.wait(20)  # nothing left to deliver, nothing raised


def test_what_a_job_captured_is_released_on_the_gui_thread(
    qtbot: QtBot, tasks: TaskManager
) -> None:
    """A job's closure may hold the last reference to a widget; Qt objects must not be
    destroyed on a pool thread, so the closure dies where the outcome is delivered."""
    released_on: list[str] = []

    class Captured:
        def __del__(self) -> None:
            released_on.append(threading.current_thread().name)

    def start() -> None:
        captured = Captured()
        tasks.run(lambda _p: captured and None, on_done=lambda _r: None)

    start()
    qtbot.waitUntil(lambda: not tasks.busy)
    gc.collect()
    assert released_on == [threading.main_thread().name]


def test_shutdown_cancels_reads_and_lets_writes_finish(qtbot: QtBot, tasks: TaskManager) -> None:
    release = threading.Event()
    read, write = Outcome(), Outcome()

    def job(progress: Progress) -> str:
        release.wait(10)
        report(progress, 1, 2)
        return "kept"

    tasks.run(job, **read.callbacks())
    tasks.run(job, write=True, **write.callbacks())
    threading.Timer(0.1, release.set).start()
    assert tasks.shutdown()
    qtbot.waitUntil(lambda: not tasks.busy)
    assert [kind for kind, _ in read.calls] == ["cancel"]
    assert write.calls == [("done", "kept")]
