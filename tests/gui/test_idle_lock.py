"""The idle lock closes the database and drops the data key; the passphrase brings the user
back where they were, unsaved work included (issue 14)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ca_desktop.gui import passphrase_dialog
from ca_desktop.gui.editors.record_editor import RecordEditorDialog
from ca_desktop.gui.idle_lock import IdleLock
from ca_desktop.gui.main_window import MainWindow
from ca_desktop.gui.passphrase_dialog import PassphraseDialog
from ca_desktop.services import at_rest, protection
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.errors import DatabaseLocked

PHRASE = "the right passphrase"
MARKER = "Zebulon Marker-Complainant"


def open_encrypted(qtbot: QtBot, data_dir: Path) -> tuple[CaDesktop, MainWindow]:
    protection.create_encrypted(data_dir, PHRASE)
    app = CaDesktop.open(data_dir)
    app.init_device("Amina Nakato", "officer")
    window = MainWindow(app)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=20_000)  # the first page loaded
    return app, window


def answer(monkeypatch: pytest.MonkeyPatch, phrases: list[str], at_ask: list[object]) -> None:
    """Each lock dialog records what `at_ask` says then, and gets the next phrase."""
    calls: list[object] = []

    def exec_(self: PassphraseDialog) -> int:
        probe = at_ask[0]
        assert callable(probe)
        calls.append(probe())
        self.first.setText(phrases.pop(0))
        self._accept()
        return int(self.result())

    at_ask.append(calls)
    monkeypatch.setattr(passphrase_dialog.PassphraseDialog, "exec", exec_)


def test_the_idle_lock_drops_the_key_and_brings_back_the_unsaved_work(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, window = open_encrypted(qtbot, data_dir)
    editor = RecordEditorDialog(app, "grievance", None, window, tasks=window.tasks)
    qtbot.addWidget(editor)
    editor.show()
    editor.fields["complainant"].set_value(MARKER)
    held = protection._UNLOCKED[str(data_dir.resolve())]
    wal = data_dir / "ca-desktop.sqlite-wal"

    def state() -> tuple[object, ...]:
        return (protection.key_for(data_dir), app.locked, wal.exists(), editor.isVisible())

    probe: list[object] = [state]
    answer(monkeypatch, ["a wrong one", PHRASE], probe)
    lock = IdleLock(window)
    lock.lock_now()

    # While the dialog asks: no key held (its bytes overwritten), the database closed
    # (the last connection gone: SQLite removed the WAL), the editor hidden.
    assert probe[1][0] == (None, True, False, False)
    assert held == bytearray(32)
    with pytest.raises(DatabaseLocked):
        app.device()
    drafts = list((data_dir / "drafts").glob("*.json"))
    assert len(drafts) == 1
    sealed = drafts[0].read_bytes()
    assert at_rest.is_sealed(sealed) and MARKER.encode() not in sealed

    qtbot.waitUntil(lambda: not lock.locked, timeout=30_000)
    assert len(probe[1]) == 2  # the wrong passphrase asked again
    assert editor.isVisible() and window.isVisible()
    assert editor.fields["complainant"].value() == MARKER
    assert editor.is_dirty()
    assert protection.key_for(data_dir) is not None and not app.locked
    assert app.device() is not None  # the database is open again
    editor.done(0)
    app.close()


def test_a_running_job_finishes_before_the_database_closes(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, window = open_encrypted(qtbot, data_dir)
    release = threading.Event()
    finished: list[object] = []

    def job(_progress: object) -> str:
        release.wait(20)
        info = app.device()  # a job started before the lock still reads the database
        assert info is not None
        return info.user_name

    window.tasks.run(job, finished.append, finished.append)
    seen: list[bool] = []

    def while_asked() -> bool:
        locked_at_ask = app.locked
        release.set()
        qtbot.waitUntil(lambda: app.locked, timeout=20_000)  # once the job is done
        seen.append(locked_at_ask)
        return locked_at_ask

    probe: list[object] = [while_asked]
    answer(monkeypatch, [PHRASE], probe)
    lock = IdleLock(window)
    lock.lock_now()
    assert seen == [False]
    assert finished == ["Amina Nakato"]
    qtbot.waitUntil(lambda: not lock.locked, timeout=30_000)
    assert not app.locked and app.device() is not None
    app.close()
