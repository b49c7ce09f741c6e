"""Drive the real GUI for `bench_entry.py`: started through `ca_desktop.cli.main`, exactly
as `python -m ca_desktop --data-dir D` starts it; a hook on `after_start` (the work that
follows a successful start) runs the timed steps once the Activities rows are shown.

    python bench/entry_driver.py DATA_DIR QUERY...
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ca_desktop import cli  # noqa: E402
from ca_desktop.gui import app as gui_app  # noqa: E402


def spin(until: Callable[[], bool], timeout: float = 120.0) -> None:
    qapp = QApplication.instance()
    assert qapp is not None
    end = time.perf_counter() + timeout
    while not until():
        if time.perf_counter() > end:
            raise TimeoutError("the GUI did not get there in time")
        qapp.processEvents()
        time.sleep(0.0005)


def settle(seconds: float = 0.4) -> None:
    """Let the history panel's timer and other follow-up work run, as a user's pause does."""
    end = time.perf_counter() + seconds
    spin(lambda: time.perf_counter() > end)


def run_steps(window: Any, app: Any, queries: list[str]) -> None:
    from ca_desktop.gui.models.activity_table import COLUMNS
    from ca_desktop.services.activity_queries import fullest_activity_id

    page = window.page("activities")
    spin(lambda: page.model.rowCount() > 0 and not window.tasks.busy)
    settle()
    # The query's own part of each search: the first page, timed on its worker thread.
    # Also the processor time of each step (its thread's CPU clock): on a machine shared
    # by many, a step's wall time is mostly waiting for a core; its CPU time is not.
    query_ms: list[float] = []
    query_cpu: list[float] = []
    real_first_page = page.model.first_page

    def first_page(*args: Any, **kwargs: Any) -> Any:
        start, cpu = time.perf_counter(), time.thread_time()
        try:
            return real_first_page(*args, **kwargs)
        finally:
            query_ms.append((time.perf_counter() - start) * 1000)
            query_cpu.append((time.thread_time() - cpu) * 1000)

    page.model.first_page = first_page  # type: ignore[method-assign]

    gui_cpu: list[float] = []

    def until_loaded(action: Callable[[], object]) -> float:
        done: list[int] = []
        page.rows_shown.connect(lambda: done.append(1))
        start, cpu = time.perf_counter(), time.thread_time()
        action()
        spin(lambda: bool(done))
        page.table.viewport().repaint()
        elapsed = (time.perf_counter() - start) * 1000
        gui_cpu.append((time.thread_time() - cpu) * 1000)
        page.rows_shown.disconnect()
        settle()
        return elapsed

    # Each query three times, in turns (the same query is never run twice in a row), so a
    # stall caused by other work on the machine shows as one outlier, not as the figure.
    times: dict[str, list[float]] = {words: [] for words in queries}
    sql: dict[str, list[float]] = {words: [] for words in queries}
    cpu: dict[str, list[float]] = {words: [] for words in queries}
    box = page.filters.search
    for _turn in range(3):
        for words in queries:
            box.blockSignals(True)
            box.setText(words)
            box.blockSignals(False)
            # what the typing pause does once it is over
            query_ms.clear()
            query_cpu.clear()
            times[words].append(until_loaded(page.filters.changed.emit))
            sql[words].append(query_ms[0] if query_ms else 0.0)
            cpu[words].append(gui_cpu[-1] + (query_cpu[0] if query_cpu else 0.0))
    search = {words: statistics.median(t) for words, t in times.items()}
    search_sql = {words: statistics.median(t) for words, t in sql.items()}
    search_cpu = {words: statistics.median(t) for words, t in cpu.items()}
    page.model.first_page = real_first_page  # type: ignore[method-assign]
    box.blockSignals(True)
    box.clear()
    box.blockSignals(False)
    until_loaded(page.filters.changed.emit)

    from PySide6.QtCore import Qt

    sort: dict[str, float] = {}
    for column, (key, _title) in enumerate(COLUMNS):
        for order, name in (
            (Qt.SortOrder.AscendingOrder, "↑"),
            (Qt.SortOrder.DescendingOrder, "↓"),
        ):
            sort[key + name] = until_loaded(lambda c=column, o=order: page.table.sortByColumn(c, o))

    record_id = fullest_activity_id(app)
    lines = len(app.list_records("attendance_entry", where={"activity_id": record_id}))
    editor_ms, editor_cpu = [], []
    for _ in range(3):  # the first of the session, then again
        start, started_cpu = time.perf_counter(), time.thread_time()
        editor = page.open_editor(record_id)
        QApplication.processEvents()
        editor.repaint()
        editor_ms.append((time.perf_counter() - start) * 1000)
        editor_cpu.append((time.thread_time() - started_cpu) * 1000)
        editor.done(0)
        settle()
    result = {
        "search_ms": search,
        "search_sql_ms": search_sql,
        "search_cpu_ms": search_cpu,
        "editor_cpu_ms": editor_cpu,
        "sort_ms": sort,
        "editor_ms": editor_ms,
        "editor_lines": lines,
    }
    print("RESULT " + json.dumps(result), flush=True)
    window.tasks.wait()
    window.close()


def main() -> int:
    folder, queries = sys.argv[1], sys.argv[2:]
    real_after_start = gui_app.after_start

    def after_start(window: Any, app: Any, open_files: list[Path]) -> None:
        real_after_start(window, app, open_files)
        QTimer.singleShot(0, lambda: run_steps(window, app, queries))

    gui_app.after_start = after_start  # type: ignore[assignment]
    return cli.main(["--data-dir", folder])


if __name__ == "__main__":
    sys.exit(main())
