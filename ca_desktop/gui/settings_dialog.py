"""File → Settings: language, where the data lives, name, programme, paper and folders
(`settings_general.py`), data protection (passphrase, idle lock), and backups: their folder
and schedule, and those to check or restore.

A restore replaces the open database, so it happens as CA Desktop closes: the window
records the chosen backup (`MainWindow.restore_on_exit`) and `run_gui` restores it once the
database is closed, keeping the current one aside in `backups/` (never deleted).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import LANGUAGE_NAMES, LANGUAGES, language, set_language, tr
from ca_desktop.gui.app import LANGUAGE_META, LANGUAGE_SETTING
from ca_desktop.gui.protection_settings import ProtectionBox
from ca_desktop.gui.qt_language import apply_qt_language
from ca_desktop.gui.settings_general import GeneralSettings
from ca_desktop.gui.widgets.locale_format import local_time, locale
from ca_desktop.gui.widgets.screen_fit import fit_to_screen
from ca_desktop.services.data_folder import BackupInfo, check_database_file, list_backups
from ca_desktop.services.settings import SettingsError, update_settings

if TYPE_CHECKING:
    from ca_desktop.gui.main_window import MainWindow


class SettingsDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle(tr("Settings"))
        layout = QVBoxLayout(self)
        # Tabs keep the dialog within a 1024×600 screen in every language.
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)
        first = QWidget(self.tabs)
        first_layout = QVBoxLayout(first)
        self.tabs.addTab(first, tr("General"))

        # One form for every row of the tab, so the labels line up.
        rows: list[tuple[str, QWidget | QHBoxLayout]] = []
        self.language = QComboBox(self)
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(LANGUAGES.index(language()))
        self.language.activated.connect(self._language_chosen)
        rows.append((tr("&Language"), self.language))
        self.language_note = QLabel(self)
        self.language_note.setWordWrap(True)
        rows.append(("", self.language_note))
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
        rows.append((tr("Your data lives in"), folder))
        self.general = GeneralSettings(window.app, window.data_dir, first)
        for i, (text, item) in enumerate(rows):
            self.general.form.insertRow(i, text, item)
        first_layout.addWidget(self.general)
        first_layout.addStretch(1)
        # Passphrase and idle lock: a tab of their own keeps the dialog within 1024×600.
        protection = QWidget(self.tabs)
        protection_layout = QVBoxLayout(protection)
        self.protection = ProtectionBox(window, protection)
        protection_layout.addWidget(self.protection)
        protection_layout.addStretch(1)
        self.tabs.addTab(protection, tr("Data protection"))
        # The backup folder and schedule belong with the backups they produce.
        box = QWidget(self.tabs)
        box_layout = QVBoxLayout(box)
        box_layout.addLayout(self.general.backup_rows())
        self.tabs.addTab(box, tr("Backups"))
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
        self.check_button.clicked.connect(self.check_selected)
        self.restore_button.clicked.connect(self.restore_selected)

        self.saved_note = QLabel(self)
        self.saved_note.setWordWrap(True)
        self.saved_note.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.saved_note)
        close = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close, self
        )
        close.accepted.connect(self.save)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.backups: list[BackupInfo] = []
        self.load_backups()
        fit_to_screen(self, 720, 520)

    def save(self) -> None:
        """Save name, programme, paper, folders and schedule; the dialog stays open."""
        problem = self.general.save()
        self.saved_note.setText(problem or tr("Settings saved."))
        if problem is None:
            self.load_backups()

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
            self.backup_status.setText(
                tr("No backup yet: one is written at start when the schedule says so.")
            )
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
        with contextlib.suppress(OSError, SettingsError):  # the database keeps it too
            update_settings(self.window_.data_dir, language=lang)  # the CLI reads it there
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
