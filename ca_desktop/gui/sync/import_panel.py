"""Receive: import one or many bundles and report, per bundle, what happened.

Each bundle is all-or-nothing; the report says for each file how many records are new,
updated, unchanged or in conflict, or why it was refused, in words a field officer can act
on. Files come from a multi-select dialog, a folder, or a drop onto the Sync page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.jobs import Cancelled
from ca_desktop.domain.records import RECORD_SPECS
from ca_desktop.gui.sync.jobs import import_paths
from ca_desktop.gui.sync.progress_row import ProgressRow
from ca_desktop.gui.tasks import TaskHandle, TaskManager
from ca_desktop.gui.widgets.plain import plain_label, plain_tooltip
from ca_desktop.sync.importer import ImportResult
from ca_desktop.sync.service import SyncService

REPORT_COLUMNS = ("File", "From", "Result")
REJECTED = QColor(183, 28, 28)


def result_details(r: ImportResult) -> str:
    """What happened to one bundle, in plain words: counts, or why it was refused."""
    if r.status == "rejected":
        return tr("Refused: {reason}. Nothing was imported from this file.").format(reason=r.reason)
    if r.status == "unchanged":
        return tr("Already imported: nothing new ({reason}).").format(reason=r.reason)
    text = tr(
        "Imported: {new} new, {updated} updated, {unchanged} unchanged records, "
        "{conflicts} in conflict."
    ).format(
        new=r.records_new,
        updated=r.records_updated,
        unchanged=r.records_unchanged,
        conflicts=r.conflicts,
    )
    if r.conflicts:
        text += " " + tr("Review the conflicts: two laptops changed the same record.")
    if r.flagged_clocks:
        text += " " + tr("{n} changes came from a laptop whose clock looked wrong.").format(
            n=r.flagged_clocks
        )
    return text


def report_summary(results: Sequence[ImportResult], cancelled: bool = False) -> str:
    if not results:
        return tr("No bundle files (.cabundle) were found there.")
    counts = {
        s: sum(1 for r in results if r.status == s) for s in ("imported", "unchanged", "rejected")
    }
    text = tr("{imported} imported, {unchanged} already imported, {rejected} refused.").format(
        **counts
    )
    if cancelled:
        text += " " + tr("Import stopped: the remaining files were not read.")
    return text


class ImportPanel(QGroupBox):
    imported = Signal(object)  # list[ImportResult]

    def __init__(
        self, sync: SyncService, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(tr("Receive bundles"), parent)
        self.sync, self.tasks = sync, tasks
        self.handle: TaskHandle | None = None
        self.results: list[ImportResult] = []
        # Replaceable in tests; each returns an empty list / None when the user cancels.
        self.choose_files: Callable[[], list[Path]] = self._ask_files
        self.choose_folder: Callable[[], Path | None] = self._ask_folder

        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.files_button = QPushButton(tr("Import bundles…"), self)
        self.files_button.setToolTip(tr("Choose one or several .cabundle files"))
        self.files_button.clicked.connect(self.pick_files)
        self.folder_button = QPushButton(tr("Import a folder…"), self)
        self.folder_button.setToolTip(
            tr("Import every .cabundle file in a folder, e.g. a USB stick")
        )
        self.folder_button.clicked.connect(self.pick_folder)
        row.addWidget(self.files_button)
        row.addWidget(self.folder_button)
        drop = QLabel(tr("or drop .cabundle files on this page"), self)
        drop.setStyleSheet("color: palette(mid);")
        row.addWidget(drop)
        row.addStretch(1)
        layout.addLayout(row)
        self.progress = ProgressRow(tr("Import progress"), self)
        self.progress.cancel_clicked.connect(self.cancel)
        layout.addWidget(self.progress)
        self.summary = plain_label("", self)  # senders, file names, reasons
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(tr("Result of the last import"))
        layout.addWidget(self.summary)
        self.report = QTableWidget(0, len(REPORT_COLUMNS), self)
        self.report.setAccessibleName(tr("Import report, one row per bundle"))
        self.report.setHorizontalHeaderLabels([tr(c) for c in REPORT_COLUMNS])
        self.report.verticalHeader().hide()
        self.report.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.report.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.report.setWordWrap(True)
        header = self.report.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(REPORT_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.report.hide()
        layout.addWidget(self.report, 1)
        self.placeholder = QLabel(
            tr(
                "Each bundle you import is listed here: how many records were new, updated or "
                "unchanged, any conflicts, and why a file was refused. A bundle is imported "
                "whole or not at all."
            ),
            self,
        )
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.placeholder.setStyleSheet("color: palette(mid);")
        layout.addWidget(self.placeholder, 1)

    # -- starting -------------------------------------------------------------------------

    def pick_files(self) -> None:
        files = self.choose_files()
        if files:
            self.start_import(files)

    def pick_folder(self) -> None:
        folder = self.choose_folder()
        if folder is not None:
            self.start_import([folder])

    def start_import(self, paths: Sequence[Path]) -> bool:
        """Import in the background; False when an import is already running."""
        if self.handle is not None:
            return False
        sync, chosen = self.sync, list(paths)
        self.summary.setText(tr("Checking and importing…"))
        self.progress.start()
        self._set_running(True)
        self.handle = self.tasks.run(
            lambda progress: import_paths(sync, chosen, progress),
            self._done,
            self._failed,
            self.progress.set_progress,
            write=True,
            on_cancel=self._cancelled,
        )
        return True

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()

    def _set_running(self, running: bool) -> None:
        self.files_button.setEnabled(not running)
        self.folder_button.setEnabled(not running)

    def _finish(self) -> None:
        self.handle = None
        self.progress.stop()
        self._set_running(False)

    def _done(self, results: list[ImportResult], cancelled: bool = False) -> None:
        self._finish()
        if any(r.status == "imported" for r in results):
            # A bundle may carry records of any type: every page showing records reloads.
            self.tasks.notify_changed(frozenset(RECORD_SPECS))
        self.results = results
        self.summary.setText(report_summary(results, cancelled))
        self._fill(results)
        self.imported.emit(results)

    def _cancelled(self, exc: Cancelled) -> None:
        partial = exc.partial if isinstance(exc.partial, list) else []
        self._done(partial, cancelled=True)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.summary.setText(
            tr("Not imported: {reason}").format(reason=str(exc) or type(exc).__name__)
        )

    def _fill(self, results: list[ImportResult]) -> None:
        self.report.setRowCount(len(results))
        for i, r in enumerate(results):
            cells = [r.path.name, r.sender or "—", result_details(r)]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(plain_tooltip(str(r.path) if j == 0 else text))
                if r.status == "rejected" and j == 2:
                    item.setForeground(QBrush(REJECTED))
                self.report.setItem(i, j, item)
        self.report.setVisible(bool(results))
        self.placeholder.setVisible(not results)
        self.report.resizeRowsToContents()

    # -- default dialogs ------------------------------------------------------------------

    def _ask_files(self) -> list[Path]:
        chosen, _ = QFileDialog.getOpenFileNames(
            self, tr("Import bundles"), "", tr("CA Desktop bundles (*.cabundle);;All files (*)")
        )
        return [Path(c) for c in chosen]

    def _ask_folder(self) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self, tr("Import every bundle in a folder"))
        return Path(chosen) if chosen else None
