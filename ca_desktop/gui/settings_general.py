"""Settings, general tab: name, home programme, paper size, export folder, and the
backup folder and schedule. Saved together (`save`), each value checked by the services
(`services/settings.py`, `CaDesktop.init_device`) before anything is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.validation import ValidationError
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.settings import (
    BACKUP_SCHEDULES,
    PAPER_SIZES,
    SettingsError,
    load_settings,
    save_settings,
)

PAPER_NAMES = {"a4": "A4 (210 × 297 mm)", "letter": "Letter (8.5 × 11 in)"}
SCHEDULE_NAMES = {
    "daily": "Every day",
    "weekly": "Every week",
    "off": "Off (not recommended)",
}


class GeneralSettings(QWidget):
    """The form; `save()` returns None when saved, else the reason in the user's language."""

    def __init__(
        self, app: CaDesktop | None, data_dir: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.app, self.data_dir = app, data_dir
        # Folder pickers are replaceable so tests choose without a native dialog.
        self.choose_folder: Callable[[str], str] = self._ask_folder
        form = self.form = QFormLayout(self)  # the dialog puts language and folder on top
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit(self)
        self.programme = QComboBox(self)
        self.programme.setEditable(True)
        self.programme.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.programme_hint = QLabel(self)
        self.programme_hint.setWordWrap(True)
        self.programme_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.paper = QComboBox(self)
        for code in PAPER_SIZES:
            self.paper.addItem(tr(PAPER_NAMES[code]), code)
        self.export_row, self.export_dir = self._folder_row(tr("Home folder"))
        self.backup_row, self.backup_dir = self._folder_row(tr("The data folder's backups folder"))
        self.schedule = QComboBox(self)
        for code in BACKUP_SCHEDULES:
            self.schedule.addItem(tr(SCHEDULE_NAMES[code]), code)
        form.addRow(tr("Your &name"), self.name)
        form.addRow(tr("Home &programme"), self.programme)
        form.addRow("", self.programme_hint)
        form.addRow(tr("&Paper size"), self.paper)
        form.addRow(tr("&Export folder"), self.export_row)
        self.load()

    def backup_rows(self) -> QFormLayout:
        """The backup folder and schedule, for the dialog to place beside the backups."""
        rows = QFormLayout()
        rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        rows.addRow(tr("&Backup folder"), self.backup_row)
        rows.addRow(tr("Automatic &backups"), self.schedule)
        return rows

    def _folder_row(self, placeholder: str) -> tuple[QWidget, QLineEdit]:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        line = QLineEdit(row)
        line.setPlaceholderText(placeholder)
        choose = QPushButton(tr("Choose…"), row)
        choose.setAutoDefault(False)
        choose.clicked.connect(lambda: self._pick(line))
        layout.addWidget(line, 1)
        layout.addWidget(choose)
        return row, line

    def _pick(self, line: QLineEdit) -> None:
        chosen = self.choose_folder(line.text())
        if chosen:
            line.setText(chosen)

    def _ask_folder(self, start: str) -> str:
        return QFileDialog.getExistingDirectory(
            self, tr("Choose a folder"), start or str(Path.home())
        )

    def load(self) -> None:
        settings = load_settings(self.data_dir)
        device = self.app.device() if self.app is not None else None
        self.name.setText(device.user_name if device else "")
        self.programme.clear()
        self.programme.addItem("")
        codes = []
        if self.app is not None:
            codes = [
                str(v.body["code"]) for v in self.app.list_records("programme", order_by="code")
            ]
        for code in codes:
            self.programme.addItem(code)
        self.programme.setCurrentText((device.programme_code or "") if device else "")
        self.programme_hint.setText(
            ""
            if codes
            else tr(
                "No programme yet: import your coordinator's setup bundle (Sync page), or "
                "create your programme on the Programmes page, then choose it here."
            )
        )
        self.programme_hint.setVisible(not codes)
        self.paper.setCurrentIndex(max(self.paper.findData(settings.paper), 0))
        self.export_dir.setText(settings.export_dir)
        self.backup_dir.setText(settings.backup_dir)
        self.schedule.setCurrentIndex(max(self.schedule.findData(settings.backup_schedule), 0))

    def save(self) -> str | None:
        """Write every value, or none and say why (in the user's language)."""
        folders = {}
        for key, line in (("export_dir", self.export_dir), ("backup_dir", self.backup_dir)):
            text = line.text().strip()
            if text and not Path(text).is_dir():
                return tr("No such folder: {folder}").format(folder=text)
            folders[key] = str(Path(text).resolve()) if text else ""
        settings = replace(
            load_settings(self.data_dir),
            paper=str(self.paper.currentData()),
            backup_schedule=str(self.schedule.currentData()),
            **folders,
        )
        device = self.app.device() if self.app is not None else None
        if self.app is not None and device is not None:
            try:
                self.app.init_device(
                    self.name.text(), device.role, self.programme.currentText().strip() or None
                )
            except ValidationError as exc:
                return "; ".join(i.text() for i in exc.issues)
        try:
            save_settings(self.data_dir, settings)
        except (SettingsError, OSError) as exc:
            return tr("The settings could not be saved: {error}").format(error=exc)
        return None
