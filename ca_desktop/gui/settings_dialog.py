"""File → Settings: language, where the data lives, data protection, and backups.

A restore replaces the open database, so it happens as CA Desktop closes: the window
records the chosen backup (`MainWindow.restore_on_exit`) and `run_gui` restores it once the
database is closed, keeping the current one aside in `backups/` (never deleted).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from ca_desktop.domain.i18n import LANGUAGE_NAMES, LANGUAGES, language, set_language, tr
from ca_desktop.gui.app import LANGUAGE_META, LANGUAGE_SETTING
from ca_desktop.gui.protection_settings import ProtectionBox
from ca_desktop.gui.qt_language import apply_qt_language
from ca_desktop.gui.widgets.locale_format import local_time, locale
from ca_desktop.services.data_folder import BackupInfo, check_database_file, list_backups

if TYPE_CHECKING:
    from ca_desktop.gui.main_window import MainWindow


class SettingsDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle(tr("Settings"))
        layout = QVBoxLayout(self)

        general = QFormLayout()
        self.language = QComboBox(self)
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(LANGUAGES.index(language()))
        self.language.activated.connect(self._language_chosen)
        general.addRow(tr("&Language"), self.language)
        self.language_note = QLabel(self)
        self.language_note.setWordWrap(True)
        general.addRow("", self.language_note)
        folder = QHBoxLayout()
        self.folder = QLabel(str(window.data_dir), self)
        self.folder.setTextFormat(Qt.TextFormat.PlainText)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder.setWordWrap(True)
        open_folder = QPushButton(tr("Open the folder"), self)
        open_folder.setAutoDefault(False)
        open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(window.data_dir)))
        )
        folder.addWidget(self.folder, 1)
        folder.addWidget(open_folder)
        general.addRow(tr("Your data lives in"), folder)
        layout.addLayout(general)
        self.protection = ProtectionBox(window, self)
        layout.addWidget(self.protection)

        box = QGroupBox(tr("Backups in the data folder"), self)
        box_layout = QVBoxLayout(box)
        self.table = QTableWidget(0, 2, box)
        self.table.setHorizontalHeaderLabels([tr("Date"), tr("Size")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        box_layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.check_button = QPushButton(tr("&Check the selected backup"), box)
        self.restore_button = QPushButton(tr("&Restore the selected backup…"), box)
        for button in (self.check_button, self.restore_button):
            button.setAutoDefault(False)  # restoring is never what Enter does
            buttons.addWidget(button)
        buttons.addStretch(1)
        box_layout.addLayout(buttons)
        self.backup_status = QLabel(box)
        self.backup_status.setWordWrap(True)
        box_layout.addWidget(self.backup_status)
        layout.addWidget(box, 1)
        self.check_button.clicked.connect(self.check_selected)
        self.restore_button.clicked.connect(self.restore_selected)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.backups: list[BackupInfo] = []
        self.load_backups()
        self.resize(720, 480)

    def load_backups(self) -> None:
        self.backups = list_backups(self.window_.data_dir)
        self.table.setRowCount(len(self.backups))
        for row, info in enumerate(self.backups):
            when = QTableWidgetItem(local_time(info.modified))
            when.setToolTip(info.path.name)
            size = QTableWidgetItem(locale().formattedDataSize(info.size))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 0, when)
            self.table.setItem(row, 1, size)
        if self.backups:
            self.table.selectRow(0)
        else:
            self.backup_status.setText(tr("No backup yet: one is written every day at start."))
        for button in (self.check_button, self.restore_button):
            button.setEnabled(bool(self.backups))

    def selected(self) -> BackupInfo | None:
        row = self.table.currentRow()
        return self.backups[row] if 0 <= row < len(self.backups) else None

    def _language_chosen(self, index: int) -> None:
        lang = str(self.language.itemData(index))
        set_language(lang)
        apply_qt_language(lang)
        if self.window_.app is not None:
            self.window_.app.set_meta(LANGUAGE_META, lang)
        self.window_.settings.setValue(LANGUAGE_SETTING, lang)
        self.window_.retranslate()
        self.language_note.setText(
            tr("Menus and page names have changed; restart CA Desktop to change every screen.")
        )

    def check_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        self.backup_status.setText(tr("Checking {file}…").format(file=info.path.name))

        def done(_result: object) -> None:
            self.backup_status.setText(
                tr("{file} is intact and can be restored.").format(file=info.path.name)
            )

        def failed(exc: BaseException) -> None:
            self.backup_status.setText(
                tr("{file} cannot be used: {error}").format(file=info.path.name, error=exc)
            )

        self.window_.tasks.run(lambda _p: check_database_file(info.path), done, failed)

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None:
            return
        answer = QMessageBox.question(
            self,
            tr("Restore a backup"),
            tr(
                "Restore the backup of {when}? CA Desktop closes, checks the backup and puts "
                "it in place; the current database is kept aside in the backups folder, "
                "never deleted. Start CA Desktop again afterwards."
            ).format(when=local_time(info.modified)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.window_.restore_on_exit = Path(info.path)
        self.accept()
        self.window_.close()
