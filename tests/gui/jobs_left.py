"""No background job outlives its test.

A job still running when its test ends reads a data folder `tmp_path` is about to remove,
and delivers its outcome into the next test's event loop, to widgets already destroyed.
Under pytest-xdist that once ended with a worker killed by a fault on a pooled Qt thread,
and the run waiting for it forever. So every task manager a test creates is checked at
teardown: a test that left jobs running fails (wait for them: `qtbot.waitUntil(lambda:
not tasks.busy)`, close the window that owns them, or add the widget with
`qtbot.addWidget(widget, before_close_func=wait_for_jobs)`), and the jobs are stopped
before the next test starts.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication

from ca_desktop.gui.tasks import TaskManager

SETTLE_SECONDS = 30.0


def wait_for_jobs(owner: Any) -> None:
    """Wait for the jobs of `owner` (a widget with `tasks`, or a task manager) and deliver
    their outcomes, including the reloads those start: pytest-qt's `before_close_func`."""
    tasks: TaskManager = getattr(owner, "tasks", owner)
    app = QApplication.instance()
    deadline = time.monotonic() + SETTLE_SECONDS
    while tasks.busy and time.monotonic() < deadline:
        tasks.wait(100)
        app.processEvents()  # type: ignore[union-attr]


@pytest.fixture(autouse=True)
def no_jobs_left(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    managers: list[weakref.ref[TaskManager]] = []
    created = TaskManager.__init__

    def track(self: TaskManager, *args: object, **kwargs: object) -> None:
        created(self, *args, **kwargs)  # type: ignore[arg-type]
        managers.append(weakref.ref(self))

    monkeypatch.setattr(TaskManager, "__init__", track)
    yield
    live = [m for m in (ref() for ref in managers) if m is not None and shiboken6.isValid(m)]
    left = [
        getattr(state.job, "__qualname__", repr(state.job))
        for m in live
        for state in m._running.values()  # noqa: SLF001 - the check itself
    ]
    for manager in live:
        manager.shutdown()
    deadline = time.monotonic() + SETTLE_SECONDS
    while any(m.busy for m in live if shiboken6.isValid(m)) and time.monotonic() < deadline:
        qapp.processEvents()  # deliver the outcomes here, not in the next test
        time.sleep(0.005)
    if left:
        pytest.fail(f"background jobs still running when the test ended (wait for them): {left}")
