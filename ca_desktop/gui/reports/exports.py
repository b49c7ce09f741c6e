"""Exports from the GUI: the workbook, IATI XML and blank import templates.

Each asks what it needs (registers or not, the IATI organisation identifier, the record
type), then where to save, and runs in the background with a progress dialog that can
cancel; a cancelled or failed export leaves no file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QInputDialog,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from ca_desktop.domain.file_names import safe_file_name
from ca_desktop.domain.i18n import language, tr
from ca_desktop.domain.records import spec_for
from ca_desktop.gui.tasks import TaskHandle, TaskManager
from ca_desktop.reports import iati, spreadsheet_export, templates
from ca_desktop.reports.figures_sheet import figures_sheet
from ca_desktop.reports.spreadsheet_import import IMPORTABLE
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.settings import export_folder


def _progress_dialog(parent: QWidget | None, title: str) -> QProgressDialog:
    dialog = QProgressDialog(title, tr("Cancel"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    return dialog


def _run_with_progress(
    tasks: TaskManager, parent: QWidget | None, title: str, job: Any, done_text: str
) -> TaskHandle:
    dialog = _progress_dialog(parent, title)

    def progress(done: int, total: int) -> None:
        if total > 0:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))

    def finished(_result: object) -> None:
        dialog.close()
        QMessageBox.information(parent, title, done_text)

    def failed(exc: BaseException) -> None:
        dialog.close()
        QMessageBox.warning(parent, title, tr("It could not be written: {error}").format(error=exc))

    def cancelled(_exc: BaseException) -> None:
        dialog.close()

    handle = tasks.run(job, finished, failed, progress, on_cancel=cancelled)
    dialog.canceled.connect(handle.cancel)
    return handle


def _save_name(
    app: CaDesktop, parent: QWidget | None, title: str, suggested: str, pattern: str
) -> Path | None:
    start = export_folder(app.data_dir) / suggested  # the export folder of the settings
    name, _ = QFileDialog.getSaveFileName(parent, title, str(start), pattern)
    return Path(name) if name else None


def export_workbook(
    app: CaDesktop, tasks: TaskManager, parent: QWidget | None = None
) -> TaskHandle | None:
    """Ask whether to include attendance registers and where to save, then export."""
    ask = QMessageBox(parent)
    ask.setWindowTitle(tr("Export to a spreadsheet"))
    ask.setTextFormat(Qt.TextFormat.PlainText)
    ask.setText(
        tr("Every record type goes on its own sheet, with a README sheet explaining the columns.")
    )
    box = QCheckBox(
        tr("Include attendance registers (names and phone numbers of participants)"), ask
    )
    ask.setCheckBox(box)
    ask.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    if ask.exec() != QMessageBox.StandardButton.Ok:
        return None
    target = _save_name(
        app,
        parent,
        tr("Export to a spreadsheet"),
        safe_file_name(f"CA Desktop {dt.date.today().isoformat()}", ".xlsx"),
        tr("Excel workbooks (*.xlsx)"),
    )
    if target is None:
        return None
    with_registers, lang = box.isChecked(), language()
    return _run_with_progress(
        tasks,
        parent,
        tr("Export to a spreadsheet"),
        lambda p: spreadsheet_export.export_workbook(
            app, target, with_registers, lang, [figures_sheet(app, lang)], progress=p
        ),
        tr("Workbook written: {path}").format(path=target),
    )


def export_iati(
    app: CaDesktop,
    tasks: TaskManager,
    parent: QWidget | None = None,
    programme_code: str | None = None,
) -> TaskHandle | None:
    """Ask for the organisation identifier if none is saved, where to save, then export."""
    org_id = app.meta(iati.ORG_ID_META)
    if not org_id:
        org_id, ok = QInputDialog.getText(
            parent,
            tr("IATI organisation identifier"),
            tr("Your organisation's IATI identifier (for example XM-DAC-41301):"),
        )
        if not ok or not org_id.strip():
            return None
    target = _save_name(
        app, parent, tr("Export IATI XML"), "iati-activities.xml", tr("IATI XML (*.xml)")
    )
    if target is None:
        return None
    lang = language()
    return _run_with_progress(
        tasks,
        parent,
        tr("Export IATI XML"),
        lambda p: iati.export_iati(app, target, programme_code, org_id, lang, progress=p),
        tr("IATI file written and checked against the IATI schema: {path}").format(path=target),
    )


def save_template(
    app: CaDesktop, tasks: TaskManager, parent: QWidget | None = None
) -> TaskHandle | None:
    """Ask for the record type and where to save its blank import template."""
    names = [tr(spec_for(t).plural) for t in IMPORTABLE]
    chosen, ok = QInputDialog.getItem(
        parent, tr("Blank import template"), tr("Records"), names, 0, False
    )
    if not ok:
        return None
    record_type = IMPORTABLE[names.index(chosen)]
    target = _save_name(
        app,
        parent,
        tr("Blank import template"),
        safe_file_name(
            tr("{records} — import template").format(records=tr(spec_for(record_type).plural)),
            ".xlsx",
        ),
        tr("Excel workbooks (*.xlsx)"),
    )
    if target is None:
        return None
    lang = language()
    return _run_with_progress(
        tasks,
        parent,
        tr("Blank import template"),
        lambda p: templates.write_template(record_type, target, lang, progress=p),
        tr("Template written: {path}").format(path=target),
    )
