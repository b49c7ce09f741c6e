"""Settings: language applied, where the data lives, backups listed, checked, restored on
close with the current database kept aside; Help → User guide offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from ca_desktop.domain.i18n import language, set_language
from ca_desktop.gui.app import _restore_chosen_backup
from ca_desktop.gui.main_window import MainWindow
from ca_desktop.gui.qt_language import apply_qt_language
from ca_desktop.gui.settings_dialog import SettingsDialog
from ca_desktop.gui.user_guide import UserGuideDialog
from ca_desktop.services.app import CaDesktop


def test_backups_listed_checked_and_restored_on_close(
    qtbot: QtBot,
    window: MainWindow,
    app: CaDesktop,
    activity_body: dict[str, object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backup = app.db.backup_now("manual")
    app.save("activity", activity_body)  # after the backup: the restore takes it away
    dialog = SettingsDialog(window)
    qtbot.addWidget(dialog)
    assert str(app.data_dir) in dialog.folder.text()
    assert dialog.table.rowCount() == 1 and dialog.selected().path == backup  # type: ignore[union-attr]
    dialog.check_selected()
    qtbot.waitUntil(lambda: "intact" in dialog.backup_status.text(), timeout=10_000)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.restore_selected()
    assert window.restore_on_exit == backup
    window.tasks.wait()
    app.close()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    _restore_chosen_backup(app.data_dir, backup)
    assert shown and "kept as" in shown[0]
    again = CaDesktop.open(app.data_dir)
    try:
        assert again.count("activity") == 0
    finally:
        again.close()
    assert len(list((app.data_dir / "backups").glob("replaced-*.sqlite"))) == 1


def test_language_applies_at_once(qtbot: QtBot, window: MainWindow, app: CaDesktop) -> None:
    dialog = SettingsDialog(window)
    qtbot.addWidget(dialog)
    try:
        dialog.language.setCurrentIndex(dialog.language.findData("fr"))
        dialog.language.activated.emit(dialog.language.currentIndex())
        assert language() == "fr" and app.meta("language") == "fr"
        assert window.menuBar().actions()[0].text() == "&Fichier"
        assert "redémarrez" in dialog.language_note.text()
    finally:
        set_language("en")
        apply_qt_language("en")


def test_user_guide_opens_offline(qtbot: QtBot) -> None:
    guide = UserGuideDialog()
    qtbot.addWidget(guide)
    assert "CA Desktop" in guide.browser.toPlainText()
    assert len(guide.browser.toPlainText()) > 1000
    assert Path(__file__).resolve().parents[2].joinpath("docs", "user-guide.md").is_file()


def test_name_programme_paper_folders_and_schedule_are_saved(
    qtbot: QtBot, window: MainWindow, app: CaDesktop, tmp_path: Path
) -> None:
    from ca_desktop.services.settings import load_settings

    dialog = SettingsDialog(window)
    qtbot.addWidget(dialog)
    general = dialog.general
    # No programme yet: the empty choice list says why and what to do.
    assert general.programme_hint.isVisibleTo(dialog) and "setup bundle" in (
        general.programme_hint.text()
    )
    exports, backups = tmp_path / "exports", tmp_path / "usb backups"
    exports.mkdir()
    backups.mkdir()
    general.name.setText("Awa Traoré")
    general.programme.setCurrentText("BF-CP")
    general.paper.setCurrentIndex(general.paper.findData("letter"))
    general.choose_folder = lambda _start: str(exports)
    general.export_row.findChild(QPushButton).click()  # type: ignore[union-attr]
    general.backup_dir.setText(str(backups))
    general.schedule.setCurrentIndex(general.schedule.findData("weekly"))
    dialog.save()
    assert dialog.saved_note.text() == "Settings saved."
    settings = load_settings(app.data_dir)
    assert (settings.paper, settings.backup_schedule) == ("letter", "weekly")
    assert (settings.export_dir, settings.backup_dir) == (str(exports), str(backups))
    device = app.device()
    assert device is not None and (device.user_name, device.programme_code) == (
        "Awa Traoré",
        "BF-CP",
    )
    # A folder that does not exist is refused, in words, and nothing changes.
    general.backup_dir.setText(str(tmp_path / "gone"))
    dialog.save()
    assert "No such folder" in dialog.saved_note.text()
    assert load_settings(app.data_dir).backup_dir == str(backups)


def test_the_cli_follows_the_language_chosen_in_the_gui(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ca_desktop.cli import main
    from ca_desktop.gui.app import _share_language

    set_language("fr")
    try:
        _share_language(tmp_path)
    finally:
        set_language("en")
    assert main(["--data-dir", str(tmp_path), "db", "restore", "--latest"]) == 2
    assert "aucune sauvegarde" in capsys.readouterr().err
    set_language("en")
