"""Render every page and editor to PNG, offscreen, from the data in a data folder.

Used by `ca-desktop screenshots --out DIR` to look at the product as users will, and by
the docs. Pages that load in the background are waited for before the picture is taken.
"""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMessageLogContext, QSize, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QDialog, QTabWidget, QWidget

from ca_desktop.domain.i18n import language
from ca_desktop.domain.records import RECORD_SPECS
from ca_desktop.gui.app import make_qapplication
from ca_desktop.gui.navigation import PAGES
from ca_desktop.gui.qt_language import apply_qt_language
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.services.activity_queries import fullest_activity_id
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.record_queries import last_edited_id

RECORD_TYPES = tuple(s.name for s in RECORD_SPECS.values() if s.editor == "dialog")


def settle(tasks: TaskManager | None = None, seconds: float = 0.3, timeout: float = 30.0) -> None:
    """Let background jobs finish and the event loop draw."""
    end = time.monotonic() + timeout
    while tasks is not None and tasks.busy and time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        QApplication.processEvents()
        time.sleep(0.01)


def _wait_for_preview(page: QWidget, timeout: float = 20.0) -> None:
    """A page with a PDF preview (Forms) renders it on its own thread: wait for the pages."""
    preview = getattr(page, "preview", None)
    if preview is None or not hasattr(preview, "page_count"):
        return
    end = time.monotonic() + timeout
    while preview.page_count == 0 and time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)
    settle(None, 0.3)


def _quiet_offscreen(mode: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    # The offscreen platform says it cannot do window-manager things on every dialog;
    # that is expected here and would bury real warnings.
    if "This plugin does not support" in message:
        return
    print(message, file=sys.stderr)


def _save(widget: QWidget, path: Path) -> Path:
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    return path


def render_all(
    app: CaDesktop,
    out: Path,
    size: QSize | tuple[int, int],
    log: Callable[[str], None] = lambda _m: None,
) -> list[Path]:
    """Write one PNG per page, per editor tab and per record editor; returns the files."""
    if isinstance(size, tuple):
        size = QSize(*size)
    make_qapplication()
    apply_qt_language(language())  # Save, Close, Cancel in the language shown
    previous = qInstallMessageHandler(_quiet_offscreen)
    try:
        return _render_all(app, out, size, log)
    finally:
        qInstallMessageHandler(previous)


def _render_all(app: CaDesktop, out: Path, size: QSize, log: Callable[[str], None]) -> list[Path]:
    from ca_desktop.gui.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    window = MainWindow(app)
    window.resize(size)
    window.show()
    for n, page in enumerate(PAGES, start=1):
        shown = window.show_page(page.key)
        settle(window.tasks, 0.4)
        _wait_for_preview(shown)
        written.append(_save(window, out / f"{n:02d}-{page.key}.png"))
        log(f"page {page.key}")
    sync_page: Any = window.page("sync")
    if hasattr(sync_page, "show_review"):  # the conflict review lives inside the Sync page
        window.show_page("sync")
        sync_page.show_review()
        settle(window.tasks, 0.4)
        written.append(_save(window, out / "sync-review.png"))
        log("sync review")
        sync_page.show_proposals()
        settle(window.tasks, 0.4)
        written.append(_save(window, out / "sync-proposals.png"))
        log("sync proposals")
        sync_page.show_overview_page()
        settle(window.tasks, 0.2)

    reports: Any = window.page("reports")
    if hasattr(reports, "charts"):  # the charts sit in a second tab of the Reports page
        window.show_page("reports")
        reports.tabs.setCurrentWidget(reports.charts)
        settle(window.tasks, 0.4)
        written.append(_save(window, out / "reports-charts.png"))
        log("reports charts")
        reports.tabs.setCurrentIndex(0)

    written += _activity_editor(app, window, out, size, log)
    written += _record_editors(app, window, out, size, log)
    written += _first_start(app, out, size)
    written += _settings(window, out)
    written += _passphrase_dialogs(out)
    written += _forget_dialog(out)
    window.save_layout = lambda: None  # type: ignore[method-assign]  # keep the user's layout
    window.close()
    window.deleteLater()
    settle(None, 0.1)
    return written


def _tabs(dialog: QDialog, prefix: str, out: Path, tasks: TaskManager | None) -> list[Path]:
    written = []
    tabs = dialog.findChild(QTabWidget)
    if tabs is None:
        settle(tasks, 0.3)
        return [_save(dialog, out / f"{prefix}.png")]
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        settle(tasks, 0.2)
        name = "".join(
            c for c in tabs.tabText(i).lower().replace("&", "") if c.isalnum() or c == " "
        )
        written.append(_save(dialog, out / f"{prefix}-{i + 1}-{name.split()[0]}.png"))
    return written


def _activity_editor(
    app: CaDesktop, window: QWidget, out: Path, size: QSize, log: Callable[[str], None]
) -> list[Path]:
    from ca_desktop.gui.editors.activity_editor import ActivityEditor

    record_id = fullest_activity_id(app)
    written = []
    for prefix, rid in (("editor-activity", record_id), ("editor-activity-new", None)):
        if prefix == "editor-activity" and rid is None:
            continue
        editor = ActivityEditor(app, rid, window)
        editor.resize(size.width() * 9 // 10, size.height() * 9 // 10)
        editor.show()
        written += _tabs(editor, prefix, out, None)
        editor.done(0)
        editor.deleteLater()
        log(f"editor {prefix}")
    return written


def _record_editors(
    app: CaDesktop, window: QWidget, out: Path, size: QSize, log: Callable[[str], None]
) -> list[Path]:
    try:
        module = importlib.import_module("ca_desktop.gui.editors.record_editor")
    except ModuleNotFoundError:
        return []
    dialog_class = getattr(module, "RecordEditorDialog", None)
    if dialog_class is None:
        return []
    written = []
    for record_type in RECORD_TYPES:
        rid = last_edited_id(app, record_type)
        dialog = dialog_class(app, record_type, rid, window)
        dialog.resize(
            min(dialog.sizeHint().width() + 80, size.width()),
            min(dialog.sizeHint().height() + 40, size.height()),
        )
        dialog.show()
        written += _tabs(dialog, f"editor-{record_type}", out, None)
        dialog.done(0)
        dialog.deleteLater()
        log(f"editor {record_type}")
    return written


def _settings(window: QWidget, out: Path) -> list[Path]:
    from ca_desktop.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window)  # type: ignore[arg-type]  # the main window
    dialog.show()
    written = _tabs(dialog, "settings", out, None)
    dialog.done(0)
    dialog.deleteLater()
    return written


def _first_start(app: CaDesktop, out: Path, size: QSize) -> list[Path]:
    from ca_desktop.gui.first_start import FirstStartDialog

    dialog = FirstStartDialog(app)
    dialog.show()
    settle(None, 0.2)
    path = _save(dialog, out / "first-start.png")
    dialog.done(0)
    dialog.deleteLater()
    return [path]


def _passphrase_dialogs(out: Path) -> list[Path]:
    from ca_desktop.gui.passphrase_dialog import CHANGE, CONVERT, CREATE, UNLOCK, PassphraseDialog

    written = []
    for mode, text in ((UNLOCK, ""), (CREATE, "river mango"), (CONVERT, ""), (CHANGE, "")):
        dialog = PassphraseDialog(mode)
        dialog.first.setText(text)
        dialog.show()
        settle(None, 0.1)
        written.append(_save(dialog, out / f"passphrase-{mode}.png"))
        dialog.done(0)
        dialog.deleteLater()
    return written


def _forget_dialog(out: Path) -> list[Path]:
    from ca_desktop.gui.widgets.forget_dialog import ForgetDialog

    written = []
    for consent in (False, True):
        dialog = ForgetDialog("Aisha Nakato", consent=consent)
        dialog.reason_edit.setText("Asked at the forum" if consent else "")
        dialog.show()
        settle(None, 0.1)
        written.append(_save(dialog, out / f"forget-person{'-consent' if consent else ''}.png"))
        dialog.done(0)
        dialog.deleteLater()
    return written
