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
from ca_desktop.gui.passphrase_dialog import CONVERT, CREATE, UNLOCK, PassphraseDialog
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
        _ask_unlock(window, data_dir, done, failed, cancelled, "")
        return
    if state.encrypted or state.plain_on_purpose:
        window.tasks.run(lambda _p: open_app(data_dir), done, failed)
        return
    if is_practice(data_dir) or protection.plain_for_tests():
        # Practice data is made up and never synced; the test suite asks for plain folders.
        window.tasks.run(lambda _p: _plain_then_open(data_dir), done, failed)
        return
    mode = CONVERT if state.needs_conversion else CREATE
    dialog = PassphraseDialog(mode, window)
    if not dialog.exec():
        cancelled()
        return
    phrase = dialog.passphrase
    if mode == CREATE:
        window.tasks.run(lambda _p: _create_then_open(data_dir, phrase), done, failed)
        return

    def converted(result: tuple[CaDesktop, Any]) -> None:
        app, outcome = result
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
    if not dialog.exec():
        cancelled()
        return
    phrase = dialog.passphrase

    def job(_progress: object) -> CaDesktop:
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


def _plain_then_open(data_dir: Path) -> CaDesktop:
    from ca_desktop.gui.app import open_app

    state = protection.state(data_dir)
    if state.new or state.needs_conversion:
        protection.mark_plain(data_dir)
    return open_app(data_dir)


def _create_then_open(data_dir: Path, phrase: str) -> CaDesktop:
    from ca_desktop.gui.app import open_app

    protection.create_encrypted(data_dir, phrase)
    return open_app(data_dir)


def _convert_then_open(data_dir: Path, phrase: str, progress: Any) -> tuple[CaDesktop, Any]:
    from ca_desktop.gui.app import open_app
    from ca_desktop.services.convert import convert_to_encrypted

    outcome = convert_to_encrypted(data_dir, phrase, progress)
    return open_app(data_dir), outcome
