""" "Import XLSForm…" and "Export as XLSForm…" on the Forms page, run in the TaskManager.

The import report names sheet, row and column of everything that did not map; it comes
from a file written by others, so it is shown as plain text only.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ca_desktop.domain.i18n import tr, tr_n
from ca_desktop.domain.jobs import Progress
from ca_desktop.forms.model import FormDef
from ca_desktop.reports.xlsform.export import export_xlsform
from ca_desktop.reports.xlsform.importer import XlsFormImport, XlsFormRejected, import_xlsform

if TYPE_CHECKING:
    from ca_desktop.gui.tasks import TaskManager
    from ca_desktop.services.app import CaDesktop

MAX_LINES = 200  # of the report shown in the dialog; the rest are counted


def ask_import(
    parent: QWidget, tasks: TaskManager, app: CaDesktop, done: Callable[[str], None]
) -> None:
    """Pick an .xlsx, import it off the GUI thread, show the report; `done(code)` after."""
    path, _ = QFileDialog.getOpenFileName(
        parent, tr("Import XLSForm"), "", tr("XLSForm spreadsheets") + " (*.xlsx)"
    )
    if not path:
        return

    def work(progress: Progress) -> XlsFormImport:
        return import_xlsform(app, Path(path), progress=progress)

    def finished(result: XlsFormImport) -> None:
        show_report(parent, result, None)
        done(result.code)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, XlsFormRejected):
            show_report(parent, exc.result, str(exc))
        else:
            _box(parent, QMessageBox.Icon.Warning, tr("The XLSForm was not imported."), str(exc))

    tasks.run(work, finished, failed, write=True, changes=("form_version",))


def report_text(result: XlsFormImport | None) -> str:
    if result is None:
        return ""
    lines = [tr("Not imported: {problem}").format(problem=p) for p in result.unsupported]
    lines += [tr("Note: {problem}").format(problem=p) for p in result.notes]
    more = len(lines) - MAX_LINES
    shown = lines[:MAX_LINES]
    if more > 0:
        shown.append(tr_n("… and {n} more line", "… and {n} more lines", more).format(n=more))
    return "\n".join(shown)


def show_report(parent: QWidget, result: XlsFormImport | None, refused: str | None) -> None:
    details = report_text(result)
    if refused is not None:
        _box(
            parent, QMessageBox.Icon.Warning, tr("The XLSForm was not imported."), refused, details
        )
        return
    assert result is not None
    if result.unchanged:
        head = tr("{code} version {version} is already up to date.")
    else:
        head = tr("Imported {code} version {version}.")
    summary = tr("{missing} not imported, {notes} notes.").format(
        missing=len(result.unsupported), notes=len(result.notes)
    )
    text = head.format(code=result.code, version=result.version)
    _box(parent, QMessageBox.Icon.Information, text, summary, details)


def _box(parent: QWidget, icon: QMessageBox.Icon, text: str, info: str, details: str = "") -> None:
    box = QMessageBox(icon, tr("Import XLSForm"), text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(info)
    if details:
        box.setDetailedText(details)  # always plain text in Qt
    box.open()


def ask_export(
    parent: QWidget, tasks: TaskManager, form: FormDef, done: Callable[[str], None]
) -> None:
    path, _ = QFileDialog.getSaveFileName(
        parent,
        tr("Export as XLSForm"),
        f"{form.code}.xlsx",
        tr("XLSForm spreadsheets") + " (*.xlsx)",
    )
    if not path:
        return
    out = Path(path) if path.lower().endswith(".xlsx") else Path(path + ".xlsx")

    def work(progress: Progress) -> Path:
        return export_xlsform(form, out, progress=progress)

    def finished(written: Path) -> None:
        done(tr("Saved {path}").format(path=written))

    def failed(exc: BaseException) -> None:
        done(tr("The XLSForm was not saved: {reason}").format(reason=str(exc)))

    tasks.run(work, finished, failed)
