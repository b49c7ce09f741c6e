"""Dialogs: fill a form on screen, and find the form and record of a paper copy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import tr, tr_n
from ca_desktop.domain.validation import ValidationError
from ca_desktop.forms.lookup import FormLookupError, Target, resolve
from ca_desktop.forms.mapping import Loaded, save_form
from ca_desktop.forms.model import FormDef
from ca_desktop.forms.photos import store_photo
from ca_desktop.forms.qr import decode_image
from ca_desktop.gui.forms.editors import RecordChoices
from ca_desktop.gui.forms.entry import FormEntry
from ca_desktop.gui.widgets.screen_fit import fit_to_screen
from ca_desktop.services.app import CaDesktop


class FormEntryDialog(QDialog):
    """A generated form for one record; saving writes the record or the submission."""

    def __init__(
        self,
        app: CaDesktop,
        loaded: Loaded,
        lang: str,
        records: RecordChoices,
        printed: Mapping[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.app, self.loaded, self.lang = app, loaded, lang
        form = loaded.form
        self.saved_id: str | None = None
        title = f"{form.code} — {form.title.get(lang)}"
        self.setWindowTitle(f"{title} — {loaded.title}" if loaded.title else title)
        self.entry = FormEntry(
            form, lang, records, self, lambda name, data: store_photo(app, name, data)
        )
        self.entry.set_values(loaded.values)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        if printed is not None:
            self.entry.set_printed(printed)
            self.entry.changed.connect(self._count_changes)
            self._count_changes()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.entry, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        fit_to_screen(self, 860, 760)

    def _count_changes(self) -> None:
        n = len({f.split(".")[0] for f in self.entry.changed_fields()})
        self.status.setText(
            tr_n(
                "{n} field differs from the printed form (highlighted).",
                "{n} fields differ from the printed form (highlighted).",
                n,
            )
            if n
            else tr("Everything typed so far matches the printed form.")
        )

    def save(self) -> None:
        try:
            self.saved_id = save_form(
                self.app,
                self.loaded.form,
                self.entry.values(),
                self.loaded.record_id,
                self.lang,
                self.loaded.base_rev,
            )
        except ValidationError as exc:
            self.entry.show_issues(exc.issues)
            self.status.setText(tr("Please correct the fields marked in red."))
            return
        except KeyError as exc:
            QMessageBox.warning(self, tr("Cannot save"), str(exc.args[0] if exc.args else exc))
            return
        self.accept()


class TypeInDialog(QDialog):
    """Which paper form is this? From its QR code (typed, pasted or scanned) or its ID."""

    def __init__(self, app: CaDesktop, form: FormDef | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.form = app, form
        self.target: Target | None = None
        self.setWindowTitle(tr("Type in a paper form"))
        intro = QLabel(
            tr(
                "Type the record ID printed at the bottom of the paper form (or any 8 or more "
                "characters of it), or read the QR code from a scanned page or photo."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.code = QLineEdit(self)
        self.code.setPlaceholderText(tr("Record ID or QR code text"))
        self.code.setAccessibleName(tr("Record ID"))
        scan = QPushButton(tr("Read QR code from an image…"), self)
        scan.clicked.connect(self.read_image)
        row = QHBoxLayout()
        row.addWidget(self.code, 1)
        row.addWidget(scan)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B3261E;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.open_target)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(560, 180)

    def read_image(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self,
                tr("Scanned form"),
                "",
                tr("Images") + " (*.png *.jpg *.jpeg *.tif *.tiff *.bmp)",
            )
        if not path:
            return
        try:
            refs = decode_image(path)
        except (OSError, ValueError) as exc:
            self.message.setText(tr("The image cannot be read: {error}").format(error=exc))
            return
        if not refs:
            self.message.setText(
                tr("No CA Desktop form code found in this image; type the ID instead.")
            )
            return
        self.code.setText(refs[0].payload())
        self.open_target()

    def open_target(self) -> None:
        try:
            self.target = resolve(self.app, self.code.text(), self.form.code if self.form else None)
        except FormLookupError as exc:
            self.message.setText(str(exc))
            return
        self.accept()
