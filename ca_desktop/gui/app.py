"""Start the GUI: the window at once, then the data folder opened in the background.

The storage layer (SQLAlchemy, migrations, the integrity check) takes most of a cold start
on an old laptop, so the main window frame is shown first and the database opens on a
worker thread; a damaged file leads to a dialog offering the latest backup.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ca_desktop.domain.i18n import LANGUAGES, language, set_language, tr
from ca_desktop.gui import bench_marks
from ca_desktop.gui.qt_language import apply_qt_language
from ca_desktop.gui.resources import app_icon, load_bundled_fonts
from ca_desktop.services.practice import fill_practice, is_practice, remove_practice
from ca_desktop.services.settings import SettingsError, load_settings, update_settings

if TYPE_CHECKING:
    from ca_desktop.gui.main_window import MainWindow
    from ca_desktop.services.app import CaDesktop
    from ca_desktop.services.quick_reads import QuickReads

LANGUAGE_META = "language"
LANGUAGE_SETTING = "app/language"  # also in gui.ini: known before the database is open


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


def open_app(data_dir: Path) -> CaDesktop:
    """Open the data folder (any thread); raises the storage layer's errors.

    The storage stack is first imported here, on the worker that opens the folder, so the
    window shows without waiting for it.
    """
    from ca_desktop.gui import preload

    preload.wait()  # the imports begun while the passphrase was typed, if any
    import ca_desktop.sync  # noqa: F401  (registers key creation at first start, signing)
    from ca_desktop.services.app import CaDesktop

    return CaDesktop.open(data_dir)


def recover(data_dir: Path, exc: BaseException, parent: QWidget | None = None) -> CaDesktop | None:
    """After a failed open: explain, offer the latest backup when the file is damaged.

    Returns the opened app after a restore, or None (the user was told why).
    """
    from ca_desktop.services.data_folder import latest_backup, restore_backup
    from ca_desktop.services.errors import (
        DRIVER_ERRORS,
        DatabaseDamaged,
        DatabaseTooNew,
        MigrationFailed,
    )

    if isinstance(exc, DatabaseDamaged):
        backup = latest_backup(data_dir)
        if backup is None:
            QMessageBox.critical(
                parent,
                tr("The database is damaged"),
                tr(
                    "The database in {folder} is damaged ({error}) and there is no backup "
                    "to restore. Please contact your coordinator before doing anything else."
                ).format(folder=data_dir, error=exc),
            )
            return None
        answer = QMessageBox.question(
            parent,
            tr("The database is damaged"),
            tr(
                "The database in {folder} is damaged ({error}). Restore the latest backup, "
                "{backup}? The damaged file is kept aside, never deleted."
            ).format(folder=data_dir, error=exc, backup=backup.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        restore_errors: tuple[type[BaseException], ...] = (
            DatabaseDamaged,
            DatabaseTooNew,
            MigrationFailed,
            OSError,
            *DRIVER_ERRORS,
        )
        try:
            restore_backup(data_dir, backup)
            return open_app(data_dir)
        except restore_errors as again:
            QMessageBox.critical(
                parent,
                tr("The backup could not be restored"),
                tr("The backup could not be restored: {error}").format(error=again),
            )
            return None
    if isinstance(exc, DatabaseTooNew):
        QMessageBox.critical(
            parent,
            tr("A newer version of CA Desktop is needed"),
            tr(
                "This data folder was written by a newer version of CA Desktop ({error}). "
                "Install the newer version to open it; nothing was changed."
            ).format(error=exc),
        )
        return None
    if isinstance(exc, MigrationFailed):
        QMessageBox.critical(
            parent,
            tr("The database could not be upgraded"),
            tr(
                "Upgrading the database failed and it was left as it was ({error}). "
                "Please contact your coordinator."
            ).format(error=exc),
        )
        return None
    QMessageBox.critical(
        parent,
        tr("The data folder cannot be opened"),
        tr("The data folder {folder} cannot be opened: {error}").format(folder=data_dir, error=exc),
    )
    return None


def open_data_folder(data_dir: Path, parent: QWidget | None = None) -> CaDesktop | None:
    """Open the data folder on this thread, recovering with dialogs; None when it failed."""
    try:
        return open_app(data_dir)
    except Exception as exc:  # noqa: BLE001 - every failure gets a dialog, see recover()
        return recover(data_dir, exc, parent)


def verify_in_background(window: MainWindow, app: CaDesktop) -> None:
    """SQLite's quick check of the whole file, after the window is up (opening only ran the
    bounded check). It runs as a write job, so the writes asked for meanwhile wait for it;
    a failure shows the banner, and the store refuses every write from then on."""
    from ca_desktop.services.data_folder import latest_backup
    from ca_desktop.services.errors import DatabaseDamaged

    def failed(exc: BaseException) -> None:
        if isinstance(exc, DatabaseDamaged):
            window.damage_banner.show_damage(str(exc), latest_backup(app.data_dir))
        else:  # e.g. the file became unreadable: the next write checks again
            window.statusBar().showMessage(
                tr("The database could not be checked: {error}").format(error=exc), 15_000
            )

    handle = window.tasks.run(
        app.verify_database, on_error=failed, on_cancel=lambda _exc: None, write=True
    )
    window.cancel_on_close.append(handle)


def after_start(window: MainWindow, app: CaDesktop, open_files: list[Path]) -> None:
    """Work that follows a successful start: the quick check, the daily backup, bundles given
    on the command line."""
    verify_in_background(window, app)

    def backup_failed(exc: BaseException) -> None:
        # A backup that cannot be written (full disk) must not stop the day's work; the
        # status bar says so and the next start tries again.
        window.statusBar().showMessage(
            tr("The daily backup could not be written: {error}").format(error=exc), 15_000
        )

    window.tasks.run(lambda _progress: app.backup_if_due(), on_error=backup_failed)
    # The activity editor's code (forms, register, fields) is imported while the user looks
    # at the list, so the first Enter opens it as fast as the next ones.
    window.tasks.run(lambda _progress: _preload_editor(), on_error=lambda _exc: None)
    if app.encrypted:
        from ca_desktop.sync.recovery import seal_for_trusted_coordinators

        # A coordinator trusted since the last start gets the recovery key now.
        window.tasks.run(lambda _p: seal_for_trusted_coordinators(app.data_dir, app.db.engine))

    def forms_broken(exc: BaseException) -> None:
        problems = getattr(exc, "problems", [str(exc)])
        QMessageBox.warning(
            window,
            tr("Some form definitions are broken"),
            tr("These form definitions cannot be used until they are fixed:\n{problems}").format(
                problems="\n".join(problems[:10])
            ),
        )

    # Definitions are checked at every start, so a broken one is named before a meeting,
    # not when the officer tries to print it.
    window.tasks.run(lambda _progress: _check_forms(), on_error=forms_broken)
    if open_files:
        page = window.show_page("sync")
        import_files = getattr(page, "import_files", None)
        if import_files is not None:
            import_files(open_files)


def _preload_editor() -> None:
    import ca_desktop.gui.editors.activity_editor  # noqa: F401


def _check_forms() -> int:
    from ca_desktop.forms.loader import all_forms

    return len(all_forms())


def _ready(window: MainWindow, app: CaDesktop, lang: str | None) -> bool:
    """The data folder is open: language, first start, then the pages. False: quit."""
    saved = app.meta(LANGUAGE_META)
    if lang is None and saved in LANGUAGES and saved != language():
        set_language(saved)
        apply_qt_language(saved)
        window.settings.setValue(LANGUAGE_SETTING, saved)
        window.retranslate()
    if app.device() is None and is_practice(app.data_dir):
        # A practice window: its identity and demo data are made here, never asked for.
        window.statusBar().showMessage(tr("Creating practice data…"))

        def filled(_counts: object) -> None:
            window.statusBar().clearMessage()
            window.attach(app)

        window.tasks.run(
            lambda progress: fill_practice(app, progress),
            filled,
            lambda exc: window.statusBar().showMessage(str(exc)),
            write=True,
        )
        return True
    if app.device() is None:
        from ca_desktop.gui.first_start import FirstStartDialog

        dialog = FirstStartDialog(app, window)
        if not dialog.exec():
            return False
        window.settings.setValue(LANGUAGE_SETTING, language())
        window.retranslate()
    _share_language(app.data_dir)
    window.attach(app)
    return True


def _share_language(data_dir: Path) -> None:
    """The command line speaks the GUI's language: it reads it from the folder's settings."""
    if load_settings(data_dir).language != language():
        with contextlib.suppress(OSError, SettingsError):  # a read-only folder: English CLI
            update_settings(data_dir, language=language())


def run_gui(data_dir: Path, lang: str | None, open_files: list[Path] | None = None) -> int:
    """Open the app on `data_dir`; returns the process exit code.

    `open_files` are sync bundles to import once the app is open (a double-clicked
    `.cabundle`).
    """
    qapp = make_qapplication()
    from ca_desktop.gui.main_window import MainWindow, gui_settings

    saved = gui_settings(data_dir).value(LANGUAGE_SETTING)
    set_language(lang or (saved if isinstance(saved, str) else None))
    apply_qt_language(language())
    window = MainWindow(None, data_dir=data_dir)
    bench_marks.after_next_paint(window, "window-shown")
    window.show()
    opened: list[CaDesktop] = []

    def done(app: CaDesktop) -> None:
        opened.append(app)
        # Imported here: the window shows before the storage stack is loaded.
        from ca_desktop.services.attachments import remove_opened_copies

        remove_opened_copies(app)  # plain copies left by a crash are not kept
        if not _ready(window, app, lang):
            window.close()
            qapp.exit(0)
            return
        after_start(window, app, list(open_files or []))
        from ca_desktop.gui.idle_lock import IdleLock

        window.idle_lock = IdleLock(window)  # type: ignore[attr-defined]

    def failed(exc: BaseException) -> None:
        app = recover(data_dir, exc, window)
        if app is None:
            window.close()
            qapp.exit(2)
            return
        done(app)

    def cancelled() -> None:
        window.close()
        qapp.exit(0)

    from ca_desktop.gui.start_preview import preview_then
    from ca_desktop.gui.unlock import open_protected

    previews: list[QuickReads] = []

    def start() -> None:
        # The last-used page's first rows from the lean reads, when it can; then the open.
        previews.extend(
            preview_then(
                window,
                data_dir,
                lambda: open_protected(window, data_dir, done, failed, cancelled),
            )
        )

    # From inside the event loop: a dialog asked for here may end the app (cancel).
    QTimer.singleShot(0, start)
    try:
        return qapp.exec()
    finally:
        window.tasks.shutdown()
        for reads in previews:
            reads.close()
        for app in opened:
            from ca_desktop.services.attachments import remove_opened_copies

            remove_opened_copies(app)  # the viewer's plain copies of attachments
            app.close()
        if window.discard_practice:
            window.settings.sync()
            remove_practice(data_dir)
        if window.restore_on_exit is not None:
            _restore_chosen_backup(data_dir, window.restore_on_exit)


def _restore_chosen_backup(data_dir: Path, backup: Path) -> None:
    """The backup chosen in Settings, put in place now that the database is closed."""
    from ca_desktop.services.data_folder import restore_backup

    try:
        aside = restore_backup(data_dir, backup)
    except Exception as exc:  # noqa: BLE001 - every failure is told, nothing is lost
        QMessageBox.critical(
            None,
            tr("The backup could not be restored"),
            tr("The backup could not be restored: {error}").format(error=exc),
        )
        return
    QMessageBox.information(
        None,
        tr("Backup restored"),
        tr(
            "The backup is in place. The database it replaced was kept as {file}. Start "
            "CA Desktop again to continue."
        ).format(file=aside),
    )
