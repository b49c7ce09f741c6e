"""Spreadsheets and open data from the GUI: import with a dry run, workbook, IATI, templates.

Every job runs through `TaskManager.run` with progress and a Cancel button; the import
writes with `write=True` and names the record types it changes, so the pages refresh.
Everything read from a file (cells, column names, reasons that quote them) is shown as
plain text, never rich text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.records import spec_for
from ca_desktop.gui.reports.exports import export_iati, export_workbook, save_template
from ca_desktop.gui.sync.progress_row import ProgressRow
from ca_desktop.gui.tasks import TaskHandle, TaskManager
from ca_desktop.gui.widgets.screen_fit import fit_to_screen
from ca_desktop.reports.spreadsheet_import import (
    IMPORTABLE,
    ImportRejected,
    ImportReport,
    import_spreadsheet,
)
from ca_desktop.services.app import CaDesktop

SHOWN_PROBLEMS = 200


def _plain(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class ImportDialog(QDialog):
    """Choose a file and a record type, check it (dry run), then import it."""

    def __init__(self, app: CaDesktop, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.tasks = app, tasks
        self.checked: ImportReport | None = None
        self.handle: TaskHandle | None = None
        self.setWindowTitle(tr("Import a spreadsheet"))
        fit_to_screen(self, 760, 480)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.path_edit = QLineEdit(self)
        self.path_edit.setReadOnly(True)
        choose = QPushButton(tr("Choose…"), self)
        choose.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(choose)
        form.addRow(tr("File"), row)
        self.type_combo = QComboBox(self)
        self.type_combo.addItem(tr("Find out from the file"), None)
        for record_type in IMPORTABLE:
            self.type_combo.addItem(tr(spec_for(record_type).plural), record_type)
        self.type_combo.currentIndexChanged.connect(self._forget_check)
        form.addRow(tr("Records"), self.type_combo)
        layout.addLayout(form)
        self.summary = _plain(
            tr("Choose a file, then check it. Nothing is written until you import."), self
        )
        layout.addWidget(self.summary)
        self.problems = QTableWidget(0, 4, self)
        self.problems.setHorizontalHeaderLabels(
            [tr("Sheet"), tr("Row"), tr("Column"), tr("Problem")]
        )
        self.problems.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.problems.verticalHeader().hide()
        self.problems.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.problems, 1)
        self.progress = ProgressRow(tr("Import a spreadsheet"), self)
        self.progress.cancel_clicked.connect(self._cancel)
        layout.addWidget(self.progress)
        buttons = QDialogButtonBox(self)
        self.check_button = buttons.addButton(
            tr("Check (dry run)"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.import_button = buttons.addButton(tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(tr("Close"))
        self.check_button.clicked.connect(self.check)
        self.import_button.clicked.connect(self.run_import)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self._update_buttons()

    @property
    def path(self) -> Path | None:
        text = self.path_edit.text()
        return Path(text) if text else None

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, tr("Import a spreadsheet"), "", tr("Spreadsheets (*.xlsx *.csv)")
        )
        if name:
            self.set_file(Path(name))

    def set_file(self, path: Path) -> None:
        self.path_edit.setText(str(path))
        self._forget_check()

    def set_record_type(self, record_type: str | None) -> None:
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(record_type)))

    def _forget_check(self) -> None:
        self.checked = None
        self._update_buttons()

    def _busy(self) -> bool:
        return self.handle is not None and not self.handle.done

    def _update_buttons(self) -> None:
        busy = self._busy()
        self.check_button.setEnabled(self.path is not None and not busy)
        ready = self.checked is not None and self.checked.ok
        self.import_button.setEnabled(bool(ready) and not busy)

    def _start(self, dry_run: bool) -> None:
        path, record_type = self.path, self.type_combo.currentData()
        if path is None:
            return
        app = self.app

        def job(progress: Any) -> ImportReport:
            try:
                return import_spreadsheet(
                    app, path, record_type, dry_run=dry_run, progress=progress
                )
            except ImportRejected as exc:  # shown like a dry run: what is wrong, row by row
                return exc.report

        types = set(IMPORTABLE) if record_type is None else {record_type}
        self.progress.start()
        self.handle = self.tasks.run(
            job,
            on_done=self._checked if dry_run else self._imported,
            on_error=self._failed,
            on_progress=self.progress.set_progress,
            write=not dry_run,
            changes=() if dry_run else types,
            on_cancel=lambda _exc: self._stopped(tr("Stopped. Nothing was written.")),
        )
        self._update_buttons()

    def check(self) -> None:
        self._start(dry_run=True)

    def run_import(self) -> None:
        if self.checked is not None and self.checked.ok:
            self._start(dry_run=False)

    def _cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()

    def _stopped(self, message: str) -> None:
        self.progress.stop()
        self.summary.setText(message)
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        self.checked = None
        self._stopped(tr("The file cannot be imported: {error}").format(error=exc))

    def _checked(self, result: ImportReport) -> None:
        self.checked = result
        self._show(result)
        self._stopped(self.summary.text())

    def _imported(self, result: ImportReport) -> None:
        self._show(result)
        if result.written:
            text = tr("Imported: {created} created, {updated} updated, {unchanged} unchanged.")
        elif result.ok:
            text = tr("Nothing to import: every row is unchanged.")
        else:
            text = tr("Nothing was imported: the file changed since it was checked.")
        self.checked = None
        self._stopped(
            text.format(created=result.created, updated=result.updated, unchanged=result.unchanged)
        )

    def _show(self, result: ImportReport) -> None:
        text = tr(
            "{created} to create, {updated} to update, {unchanged} unchanged, {rejected} rejected."
        ).format(
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            rejected=result.rejected,
        )
        if result.ignored_columns:
            text += " " + tr("Columns not imported: {names}.").format(
                names=", ".join(result.ignored_columns)
            )
        if not result.ok:
            text += " " + tr("Correct the file and check it again; nothing is written until then.")
        self.summary.setText(text)
        shown = result.problems[:SHOWN_PROBLEMS]
        self.problems.setRowCount(len(shown))
        for i, problem in enumerate(shown):
            row = str(problem.row) if problem.row else ""
            cells = (problem.sheet, row, problem.column, problem.reason)
            for j, value in enumerate(cells):
                self.problems.setItem(i, j, QTableWidgetItem(value))  # plain text
        self.problems.resizeColumnsToContents()


def open_import_dialog(
    app: CaDesktop, tasks: TaskManager, parent: QWidget | None = None
) -> ImportDialog:
    """Show the import dialog (non-blocking) and return it."""
    dialog = ImportDialog(app, tasks, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


# The exports live beside the import dialog; the Reports page finds all four here.
__all__ = ["ImportDialog", "export_iati", "export_workbook", "open_import_dialog", "save_template"]
