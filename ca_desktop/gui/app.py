"""Start the GUI: open the data folder (recovering from a damaged file), language, style."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from ca_desktop.domain.i18n import set_language, tr
from ca_desktop.gui.resources import app_icon, load_bundled_fonts
from ca_desktop.services.app import CaDesktop
from ca_desktop.store.database import latest_backup, restore
from ca_desktop.store.migrate import DatabaseTooNew, MigrationFailed
from ca_desktop.store.sqlite import DatabaseDamaged

LANGUAGE_META = "language"


def make_qapplication() -> QApplication:
    """The one QApplication, with the Fusion style, the app icon and readable fonts."""
    existing = QApplication.instance()
    qapp = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    qapp.setApplicationName("CA Desktop")
    qapp.setOrganizationName("Cities Alliance")
    qapp.setStyle("Fusion")
    qapp.setWindowIcon(app_icon())
    load_bundled_fonts()
    return qapp


def open_data_folder(data_dir: Path) -> CaDesktop | None:
    """Open the data folder, offering to restore the latest backup when the file is damaged.

    Returns None (after telling the user why) when it cannot be opened.
    """
    try:
        return CaDesktop.open(data_dir)
    except DatabaseDamaged as exc:
        backup = latest_backup(data_dir)
        if backup is None:
            QMessageBox.critical(
                None,
                tr("The database is damaged"),
                tr(
                    "The database in {folder} is damaged ({error}) and there is no backup "
                    "to restore. Please contact your coordinator before doing anything else."
                ).format(folder=data_dir, error=exc),
            )
            return None
        answer = QMessageBox.question(
            None,
            tr("The database is damaged"),
            tr(
                "The database in {folder} is damaged ({error}). Restore the latest backup, "
                "{backup}? The damaged file is kept aside, never deleted."
            ).format(folder=data_dir, error=exc, backup=backup.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        try:
            restore(data_dir, backup)
            return CaDesktop.open(data_dir)
        except (DatabaseDamaged, DatabaseTooNew, MigrationFailed, sqlite3.DatabaseError, OSError) as again:
            QMessageBox.critical(
                None,
                tr("The backup could not be restored"),
                tr("The backup could not be restored: {error}").format(error=again),
            )
            return None
    except DatabaseTooNew as exc:
        QMessageBox.critical(
            None,
            tr("A newer version of CA Desktop is needed"),
            tr(
                "This data folder was written by a newer version of CA Desktop ({error}). "
                "Install the newer version to open it; nothing was changed."
            ).format(error=exc),
        )
        return None
    except MigrationFailed as exc:
        QMessageBox.critical(
            None,
            tr("The database could not be upgraded"),
            tr(
                "Upgrading the database failed and it was left as it was ({error}). "
                "Please contact your coordinator."
            ).format(error=exc),
        )
        return None


def run_gui(data_dir: Path, lang: str | None) -> int:
    """Open the app on `data_dir`; returns the process exit code."""
    qapp = make_qapplication()
    app = open_data_folder(data_dir)
    if app is None:
        return 2
    try:
        set_language(lang or app.meta(LANGUAGE_META))
        if app.device() is None:
            from ca_desktop.gui.first_start import FirstStartDialog

            dialog = FirstStartDialog(app)
            if not dialog.exec():
                return 0
        from ca_desktop.gui.main_window import MainWindow

        window = MainWindow(app)
        window.show()
        return qapp.exec()
    finally:
        app.close()
