"""The Forms page: pick a form, preview it blank or filled, print or save it, fill it in
on screen, or type in a paper copy found by its QR code."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.file_names import safe_file_name
from ca_desktop.domain.i18n import LANGUAGE_NAMES, language, tr, tr_n
from ca_desktop.domain.jobs import Cancelled, Progress
from ca_desktop.forms.loader import DefinitionError, all_forms, get_form
from ca_desktop.forms.mapping import load_form
from ca_desktop.forms.model import FormDef
from ca_desktop.forms.printed import printed_values
from ca_desktop.forms.printing import print_forms
from ca_desktop.gui.forms.dialogs import FormEntryDialog, TypeInDialog
from ca_desktop.gui.forms.preview import PdfPreview
from ca_desktop.gui.settings_general import PAPER_NAMES
from ca_desktop.gui.tasks import TaskHandle, TaskManager
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.scratch import view_folder
from ca_desktop.services.settings import PAPER_SIZES, export_folder, load_settings

BLANK = "__blank__"
ALL = "__all__"
AUTO_PREVIEW_MS = 400


class FormsPage(QWidget):
    """Mounted by the main window; `pdf_ready` fires when a preview has been rendered."""

    pdf_ready = Signal(str)
    pdf_failed = Signal(str)

    def __init__(self, app: CaDesktop, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.tasks = app, tasks
        self._job: TaskHandle | None = None
        # Filled forms show names: their previews stay inside the private data folder.
        self._tmp = tempfile.TemporaryDirectory(prefix="view-forms-", dir=view_folder(app.data_dir))
        self._counter = 0
        self._titles_cache: dict[str, dict[str, str]] = {}

        self.forms_list = QListWidget(self)
        self.forms_list.setAccessibleName(tr("Forms"))
        # Long French and Portuguese titles wrap rather than end in "…".
        self.forms_list.setWordWrap(True)
        self.forms_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.forms_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        try:
            self._fill_forms_list()
        except DefinitionError as exc:
            QMessageBox.critical(self, tr("Broken form definitions"), "\n".join(exc.problems[:10]))

        self.title = QLabel(self)
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # imported titles come from outside
        self.about = QLabel(self)
        self.about.setWordWrap(True)
        self.about.setStyleSheet("color: #5F6B73;")
        self.lang = QComboBox(self)
        for code, name in LANGUAGE_NAMES.items():
            self.lang.addItem(name, code)
        self.lang.setCurrentIndex(max(self.lang.findData(language()), 0))
        self.paper = QComboBox(self)
        for code in PAPER_SIZES:
            self.paper.addItem(tr(PAPER_NAMES[code]), code)
        # The paper size of the settings, changed here for one print only.
        self.paper.setCurrentIndex(max(self.paper.findData(load_settings(app.data_dir).paper), 0))
        self.record = QComboBox(self)
        self.record.setEditable(True)
        self.record.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.record.setMinimumWidth(320)
        completer = self.record.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
        options = QFormLayout()
        options.addRow(tr("Language"), self.lang)
        options.addRow(tr("Paper"), self.paper)
        options.addRow(tr("Print for"), self.record)

        self.preview_button = QPushButton(tr("Preview"), self)
        self.print_button = QPushButton(tr("Print…"), self)
        self.save_button = QPushButton(tr("Save PDF…"), self)
        self.fill_button = QPushButton(tr("Fill in on screen"), self)
        self.type_in_button = QPushButton(tr("Type in a paper form…"), self)
        self.import_button = QPushButton(tr("Import XLSForm…"), self)
        self.export_button = QPushButton(tr("Export as XLSForm…"), self)
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.cancel_button.hide()
        self.progress = QProgressBar(self)
        self.progress.hide()
        buttons = QHBoxLayout()
        for b in (
            self.preview_button,
            self.print_button,
            self.save_button,
            self.fill_button,
            self.type_in_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.progress)
        buttons.addWidget(self.cancel_button)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.preview = PdfPreview(self)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.title)
        right_layout.addWidget(self.about)
        right_layout.addLayout(options)
        right_layout.addLayout(buttons)
        # Forms in and out of the ODK/Kobo world: a row of their own, under the print row.
        exchange = QHBoxLayout()
        exchange.addWidget(self.import_button)
        exchange.addWidget(self.export_button)
        exchange.addStretch(1)
        right_layout.addLayout(exchange)
        right_layout.addWidget(self.message)
        right_layout.addWidget(self.preview, 1)
        splitter = QSplitter(self)
        splitter.addWidget(self.forms_list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 860])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        # The preview follows the choice of form, record, language and paper, a moment after
        # the last change (a batch of all records is only rendered on request).
        self._auto_preview = QTimer(self)
        self._auto_preview.setSingleShot(True)
        self._auto_preview.setInterval(AUTO_PREVIEW_MS)
        self._auto_preview.timeout.connect(self._preview_if_idle)
        for combo in (self.lang, self.paper, self.record):
            combo.currentIndexChanged.connect(lambda _i: self._auto_preview.start())
        self.forms_list.currentRowChanged.connect(lambda _row: self._form_changed())
        self.preview_button.clicked.connect(self.show_preview)
        self.print_button.clicked.connect(self.print_current)
        self.save_button.clicked.connect(self.save_pdf)
        self.fill_button.clicked.connect(self.fill_in)
        self.type_in_button.clicked.connect(self.type_in)
        self.import_button.clicked.connect(self.import_xlsform)
        self.export_button.clicked.connect(self.export_xlsform)
        self.cancel_button.clicked.connect(self._cancel)
        if self.forms_list.count():
            self.forms_list.setCurrentRow(0)

    # -- selection ----------------------------------------------------------------------

    def current_form(self) -> FormDef | None:
        item = self.forms_list.currentItem()
        return get_form(item.data(Qt.ItemDataRole.UserRole), self.app) if item else None

    def _fill_forms_list(self, select: str | None = None) -> None:
        """The shipped forms, then the data folder's own (imported) ones."""
        self.forms_list.clear()
        for form in all_forms(self.app):
            item = QListWidgetItem(f"{form.code}   {form.title.get(language())}")
            item.setData(Qt.ItemDataRole.UserRole, form.code)
            self.forms_list.addItem(item)
            if form.code == select:
                self.forms_list.setCurrentItem(item)

    def import_xlsform(self) -> None:
        from ca_desktop.gui.forms.xlsform_actions import ask_import

        ask_import(self, self.tasks, self.app, lambda code: self._fill_forms_list(code))

    def export_xlsform(self) -> None:
        from ca_desktop.gui.forms.xlsform_actions import ask_export

        form = self.current_form()
        if form is not None:
            ask_export(self, self.tasks, form, self.message.setText)

    def select_form(self, code: str) -> None:
        for row in range(self.forms_list.count()):
            item = self.forms_list.item(row)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == code:
                self.forms_list.setCurrentRow(row)
                self.refresh_records()
                return
        raise KeyError(code)

    def select_record(self, record_id: str | None) -> None:
        index = self.record.findData(record_id or BLANK)
        if index < 0:
            raise KeyError(record_id)
        self.record.setCurrentIndex(index)

    def records_of(self, record_type: str) -> dict[str, str]:
        if record_type not in self._titles_cache:
            self._titles_cache[record_type] = self.app.titles(record_type)
        return self._titles_cache[record_type]

    def _form_changed(self) -> None:
        form = self.current_form()
        if form is None:
            return
        lang = language()
        # A form imported in a language the app does not speak still prints in it.
        while self.lang.count() > len(LANGUAGE_NAMES):
            self.lang.removeItem(self.lang.count() - 1)
        for code in form.languages:
            if code not in LANGUAGE_NAMES:
                self.lang.addItem(code.upper(), code)
        self.title.setText(f"{form.code} · {form.title.get(lang)}")
        target = form.record_type or form.link_type or ""
        if form.record_type:
            about = tr("Reads and writes the {kind} record itself.").format(
                kind=tr(target.replace("_", " "))
            )
        elif not target:
            about = tr("Imported from an XLSForm; saved as a form submission.")
        else:
            about = tr("Saved as a form submission linked to a {kind}.").format(
                kind=tr(target.replace("_", " "))
            )
        self.about.setText(tr("Version {version}.").format(version=form.version) + " " + about)
        self.refresh_records()
        self.preview.clear()
        self.message.clear()
        self._auto_preview.start()

    def _preview_if_idle(self) -> None:
        if self._job is not None:
            self._auto_preview.start()  # a render is running: try again when it is done
        elif self.record.currentData() != ALL and self.isVisible():
            self.show_preview()

    def refresh_records(self) -> None:
        """Reload the records the form can print for (they change on other pages)."""
        form = self.current_form()
        if form is None:
            return
        keep = self.record.currentData()
        target = form.record_type or form.link_type or ""
        self._titles_cache.clear()
        self.record.blockSignals(True)
        self.record.clear()
        self.record.addItem(tr("Blank form"), BLANK)
        records = self.records_of(target) if target else {}
        if records:
            self.record.addItem(tr("All {n} records, in one PDF").format(n=len(records)), ALL)
        for rid, title in sorted(records.items(), key=lambda item: str(item[1]).lower()):
            self.record.addItem(str(title), rid)
        self.record.setCurrentIndex(max(self.record.findData(keep), 0))
        self.record.blockSignals(False)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.refresh_records()
        super().showEvent(event)
        if self.preview.page_count == 0:
            self._auto_preview.start()

    def _record_ids(self) -> list[str | None]:
        data = self.record.currentData()
        form = self.current_form()
        if data in (None, BLANK) or form is None:
            return [None]
        if data == ALL:
            target = form.record_type or form.link_type or ""
            return list(self.records_of(target))
        return [str(data)]

    # -- printing -----------------------------------------------------------------------

    def render_to(self, out: Path, on_done: Any) -> TaskHandle | None:
        """Render the chosen form(s) to `out` off the GUI thread; `on_done(path)` after."""
        form = self.current_form()
        if form is None or self._job is not None:
            return None
        ids = self._record_ids()
        lang, paper = str(self.lang.currentData()), str(self.paper.currentData())
        app = self.app

        def work(progress: Progress) -> str:
            print_forms(app, form, ids, out, lang=lang, paper=paper, progress=progress)
            return str(out)

        self._busy(True, len(ids))
        self._job = self.tasks.run(
            work,
            lambda path: self._finished(path, on_done),
            lambda exc: self._failed(str(exc) or type(exc).__name__),
            self._progress,
            on_cancel=self._cancelled,
        )
        return self._job

    def show_preview(self) -> None:
        self._counter += 1
        out = Path(self._tmp.name) / f"preview-{self._counter}.pdf"
        self.render_to(out, self._show)

    def _show(self, path: str) -> None:
        self.preview.load(Path(path))
        self.message.setText(tr_n("{n} page.", "{n} pages.", self.preview.page_count))
        self.pdf_ready.emit(path)

    def _show_and_print(self, path: str) -> None:
        self._show(path)
        self.preview.print_dialog(self)

    def print_current(self) -> None:
        if self.preview.page_count == 0:
            self._counter += 1
            out = Path(self._tmp.name) / f"print-{self._counter}.pdf"
            self.render_to(out, self._show_and_print)
        else:
            self.preview.print_dialog(self)

    def save_pdf(self, path: str | None = None) -> None:
        form = self.current_form()
        if form is None:
            return
        if not path:
            suggested = str(
                export_folder(self.app.data_dir)
                / safe_file_name(
                    f"{form.code} {form.title.get(str(self.lang.currentData()))}", ".pdf"
                )
            )
            path, _ = QFileDialog.getSaveFileName(self, tr("Save PDF"), suggested, "PDF (*.pdf)")
        if path:
            self.render_to(
                Path(path), lambda p: self.message.setText(tr("Saved {path}").format(path=p))
            )

    def _busy(self, on: bool, total: int = 0) -> None:
        for b in (self.preview_button, self.print_button, self.save_button):
            b.setEnabled(not on)
        self.progress.setVisible(on and total > 1)
        self.cancel_button.setVisible(on and total > 1)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(0)

    def _progress(self, done: int, total: int) -> None:
        if shiboken6.isValid(self):
            self.progress.setValue(done)

    def _finished(self, path: str, on_done: Any) -> None:
        if not shiboken6.isValid(self):
            return  # the page was closed while its job ran
        self._job = None
        self._busy(False)
        on_done(path)

    def _failed(self, message: str) -> None:
        if not shiboken6.isValid(self):
            return
        self._job = None
        self._busy(False)
        self.message.setText(message)
        self.pdf_failed.emit(message)

    def _cancelled(self, _exc: Cancelled) -> None:
        self._failed(tr("Printing cancelled; no file was written."))

    def _cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    # -- filling in -----------------------------------------------------------------------

    def fill_in(self) -> FormEntryDialog | None:
        """Open the generated entry form for the chosen record (or a new one)."""
        form = self.current_form()
        if form is None:
            return None
        ids = self._record_ids()
        record_id = ids[0] if len(ids) == 1 else None
        return self.open_entry(form, record_id, None)

    def type_in(self) -> None:
        dialog = TypeInDialog(self.app, self.current_form(), self)
        if dialog.exec() and dialog.target is not None:
            self.open_target(dialog)

    def open_target(self, dialog: TypeInDialog) -> FormEntryDialog | None:
        target = dialog.target
        if target is None:
            return None
        if target.note:
            self.message.setText(target.note)
        printed = printed_values(self.app, target.form, target.ref)
        return self.open_entry(target.form, target.ref.record_id, printed)

    def open_entry(
        self,
        form: FormDef,
        record_id: str | None,
        printed: dict[str, Any] | None,
        modal: bool = True,
    ) -> FormEntryDialog | None:
        try:
            loaded = load_form(self.app, form, record_id)
        except KeyError as exc:
            QMessageBox.warning(
                self, tr("Cannot open the form"), str(exc.args[0] if exc.args else exc)
            )
            return None
        dialog = FormEntryDialog(
            self.app, loaded, str(self.lang.currentData()), self.records_of, printed, self
        )
        if modal:
            if dialog.exec():
                self.message.setText(tr("Saved."))
                self._titles_cache.clear()
            return dialog
        dialog.show()
        return dialog

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if self._job is not None:
            self._job.cancel()
        super().closeEvent(event)
