"""Opening the data folder from the GUI: unlock, first passphrase, or conversion, then open.

The window is already showing; the passphrase is asked for first, and the slow parts (the
key derivation, a conversion, opening the database) run on a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox

from ca_desktop.domain.i18n import tr, tr_n
from ca_desktop.gui import preload
from ca_desktop.gui.passphrase_dialog import (
    CONVERT,
    CREATE,
    FORGOT,
    RECOVER,
    UNLOCK,
    PassphraseDialog,
)
from ca_desktop.services import protection
from ca_desktop.services.practice import is_practice

if TYPE_CHECKING:
    from ca_desktop.gui.main_window import MainWindow
    from ca_desktop.services.app import CaDesktop


def open_protected(
    window: MainWindow,
    data_dir: Path,
    done: Callable[[CaDesktop], None],
    failed: Callable[[BaseException], None],
    cancelled: Callable[[], None],
) -> None:
    """Get the folder ready (asking what is needed) and open it; one of the callbacks runs."""
    from ca_desktop.gui.app import open_app

    try:
        state = protection.state(data_dir)
    except protection.ProtectionError as exc:
        failed(exc)
        return
    if state.encrypted and not protection.is_unlocked(data_dir):
        preload.start()  # while the passphrase is typed
        _ask_unlock(window, data_dir, done, failed, cancelled, "")
        return
    if state.encrypted or state.plain_on_purpose:
        window.tasks.run(lambda _p: open_app(data_dir), done, failed)
        return
    if protection.plain_for_tests():  # the test suite's folders: left as they are
        window.tasks.run(lambda _p: open_app(data_dir), done, failed)
        return
    if is_practice(data_dir):  # made-up data, never synced: stays plain, marked so
        window.tasks.run(lambda _p: _plain_then_open(data_dir), done, failed)
        return
    mode = CONVERT if state.needs_conversion else CREATE
    preload.start()
    dialog = PassphraseDialog(mode, window)
    if not dialog.exec():
        cancelled()
        return
    phrase = dialog.passphrase
    if mode == CREATE:

        def created(result: tuple[CaDesktop, str]) -> None:
            show_recovery_code(window, result[0], result[1])
            done(result[0])

        window.tasks.run(lambda _p: _create_then_open(data_dir, phrase), created, failed)
        return

    def converted(result: tuple[CaDesktop, Any, str]) -> None:
        app, outcome, code = result
        QMessageBox.information(
            window,
            tr("Your data is now encrypted"),
            " ".join(
                (
                    tr("Your data is now encrypted."),
                    tr_n(
                        "{n} unencrypted backup in the data folder was removed.",
                        "{n} unencrypted backups in the data folder were removed.",
                        outcome.removed_backups,
                    ),
                    tr(
                        "Copies made earlier on USB sticks or other computers cannot be "
                        "reached from here and stay readable: delete them by hand."
                    ),
                )
            ),
        )
        show_recovery_code(window, app, code)
        done(app)

    window.tasks.run(lambda p: _convert_then_open(data_dir, phrase, p), converted, failed)


def _ask_unlock(
    window: MainWindow,
    data_dir: Path,
    done: Callable[[CaDesktop], None],
    failed: Callable[[BaseException], None],
    cancelled: Callable[[], None],
    error: str,
) -> None:
    from ca_desktop.gui.app import open_app

    dialog = PassphraseDialog(UNLOCK, window, error)
    result = dialog.exec()
    if result == FORGOT:
        _ask_recovery(window, data_dir, done, failed, cancelled, "")
        return
    if not result:
        cancelled()
        return
    phrase = dialog.passphrase

    def job(_progress: object) -> CaDesktop:
        preload.wait()
        protection.unlock(data_dir, phrase)
        return open_app(data_dir)

    def wrong(exc: BaseException) -> None:
        if isinstance(exc, protection.WrongPassphrase):
            _ask_unlock(
                window, data_dir, done, failed, cancelled, tr("That passphrase is not right.")
            )
        else:
            failed(exc)

    window.statusBar().showMessage(tr("Unlocking…"))
    window.tasks.run(job, done, wrong)


def _ask_recovery(
    window: MainWindow,
    data_dir: Path,
    done: Callable[[CaDesktop], None],
    failed: Callable[[BaseException], None],
    cancelled: Callable[[], None],
    error: str,
) -> None:
    """The recovery code and a new passphrase; back to unlocking when cancelled."""
    dialog = PassphraseDialog(RECOVER, window, error)
    if not dialog.exec():
        _ask_unlock(window, data_dir, done, failed, cancelled, "")
        return
    code, phrase = dialog.old_passphrase, dialog.passphrase

    def job(_progress: object) -> CaDesktop:
        preload.wait()
        from ca_desktop.gui.app import open_app
        from ca_desktop.services.data_folder import check_database_key
        from ca_desktop.services.recovery_code import key_from_code

        key = key_from_code(data_dir, code)
        check_database_key(data_dir, key)
        protection.use_recovered_key(data_dir, key, phrase)
        return open_app(data_dir)

    def wrong(exc: BaseException) -> None:
        if isinstance(exc, protection.ProtectionError):
            _ask_recovery(window, data_dir, done, failed, cancelled, str(exc))
        else:
            failed(exc)

    window.tasks.run(job, done, wrong)


def show_recovery_code(window: MainWindow, app: CaDesktop, code: str) -> None:
    """The code just made, shown once (the device may not be set up yet: no name then)."""
    from ca_desktop.gui.recovery_dialogs import RecoveryCodeDialog

    info = app.device()
    RecoveryCodeDialog(
        code, info.user_name if info else "", info.device_id if info else "", window
    ).exec()


def _plain_then_open(data_dir: Path) -> CaDesktop:
    from ca_desktop.gui.app import open_app

    state = protection.state(data_dir)
    if state.new or state.needs_conversion:
        protection.mark_plain(data_dir)
    return open_app(data_dir)


def _create_then_open(data_dir: Path, phrase: str) -> tuple[CaDesktop, str]:
    preload.wait()
    from ca_desktop.gui.app import open_app
    from ca_desktop.services.recovery_code import add_code

    key = protection.create_encrypted(data_dir, phrase)
    code = add_code(data_dir, key)
    return open_app(data_dir), code


def _convert_then_open(data_dir: Path, phrase: str, progress: Any) -> tuple[CaDesktop, Any, str]:
    preload.wait()
    from ca_desktop.gui.app import open_app
    from ca_desktop.services.convert import convert_to_encrypted
    from ca_desktop.services.recovery_code import add_code

    outcome = convert_to_encrypted(data_dir, phrase, progress)
    key = protection.key_for(data_dir)
    assert key is not None
    code = add_code(data_dir, key)
    return open_app(data_dir), outcome, code
