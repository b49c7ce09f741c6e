"""The start page's first rows before the storage stack is loaded.

Importing SQLAlchemy, SQLModel and pydantic takes a cold start on an old laptop more than
a second, and opening the folder through them (migrations checked, erasures finished)
must come before anything is written. Reading needs none of it: when the folder opens
without a question (plain on purpose, or already unlocked) and the last-used page can
show a preview (the Activities list), its first rows are read through the lean reads
(`services/quick_reads.py`) and drawn; the folder is then opened fully in the background
and the page is handed the app (`MainWindow.attach`), keeping its rows and selection.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer

from ca_desktop.gui.navigation import PAGES
from ca_desktop.services import protection
from ca_desktop.services.quick_reads import QuickReads

if TYPE_CHECKING:
    from ca_desktop.gui.main_window import MainWindow

# After the preview's rows are shown, the full open waits this long, so the rows are
# painted before the storage stack's import takes the interpreter (ms).
AFTER_ROWS_MS = 30
# A preview that has shown nothing by then (a very slow disk) no longer holds the open.
PREVIEW_WAIT_MS = 1500


def opens_without_asking(data_dir: Path) -> bool:
    """Whether opening the folder asks nothing (no passphrase, no conversion to offer)."""
    try:
        state = protection.state(data_dir)
    except (OSError, ValueError, protection.ProtectionError):
        return False
    if state.encrypted:
        return protection.is_unlocked(data_dir)
    return state.plain_on_purpose or protection.plain_for_tests()


def preview_then(window: MainWindow, data_dir: Path, then: Callable[[], None]) -> list[QuickReads]:
    """Show the start page from the lean reads when it can, then call `then` (the full
    open) once its rows are shown, or at once when there is nothing to preview. Returns
    the list the reads are kept in: the caller closes them when the window closes."""
    kept: list[QuickReads] = []
    started: list[bool] = []

    def go() -> None:
        if not started:
            started.append(True)
            then()

    entry = PAGES[max(window.nav.currentRow(), 0)]
    if not entry.preview or not opens_without_asking(data_dir):
        go()
        return kept

    def job(_progress: Any) -> QuickReads | None:
        reads = QuickReads.open(data_dir)
        if reads is not None and reads.device() is None:
            reads.close()  # the first start's dialog comes first: nothing to list yet
            return None
        return reads

    def done(reads: QuickReads | None) -> None:
        if reads is None:
            go()
            return
        kept.append(reads)
        page = window.preview(reads)
        shown = getattr(page, "rows_shown", None)
        if shown is None:
            go()
            return
        shown.connect(lambda: QTimer.singleShot(AFTER_ROWS_MS, go))
        QTimer.singleShot(PREVIEW_WAIT_MS, go)

    window.tasks.run(job, done, lambda _exc: go())
    return kept
