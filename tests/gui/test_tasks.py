"""The one job runner: results, failures and cancels on the GUI thread; writes announced;
a newer job with the same key supersedes an older one."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
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
