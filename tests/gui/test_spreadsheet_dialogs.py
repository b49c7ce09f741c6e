"""The import dialog: a dry run shows counts and problems, Import writes and announces it."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ca_desktop.gui.reports.spreadsheets import ImportDialog
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.services.app import CaDesktop


@pytest.fixture
def tasks(qtbot: QtBot) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.wait()
    qtbot.wait(10)


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["name", "type", "contact"], *rows])
    return path


def test_dry_run_shows_problems_and_blocks_import(
    qtbot: QtBot, app: CaDesktop, tasks: TaskManager, tmp_path: Path
) -> None:
    path = _csv(tmp_path / "orgs.csv", [["Ok org", "ngo", ""], ["Bad", "<b>castle</b>", "x"]])
    dialog = ImportDialog(app, tasks)
    qtbot.addWidget(dialog)
    dialog.set_file(path)
    dialog.set_record_type("organisation")
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.checked is not None, timeout=10_000)
    assert "1 to create, 0 to update, 0 unchanged, 1 rejected" in dialog.summary.text()
    assert dialog.problems.rowCount() == 1
    assert [dialog.problems.item(0, c).text() for c in range(3)] == ["", "3", "type"]
    # Text from the file is shown as it is, never as rich text.
    assert "'<b>castle</b>' is not one of the allowed codes" in dialog.problems.item(0, 3).text()
    assert dialog.summary.textFormat() == Qt.TextFormat.PlainText
    assert not dialog.import_button.isEnabled()
    assert app.count("organisation") == 0
    _grab(dialog, "import-dialog-problems.png")


def test_clean_dry_run_then_import_writes_and_announces(
    qtbot: QtBot, app: CaDesktop, tasks: TaskManager, tmp_path: Path
) -> None:
    path = _csv(
        tmp_path / "orgs.csv", [["Ok org", "ngo", ""], ["Second", "Milieu universitaire", "x"]]
    )
    dialog = ImportDialog(app, tasks)
    qtbot.addWidget(dialog)
    dialog.set_file(path)
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=10_000)
    assert app.count("organisation") == 0
    with qtbot.waitSignal(tasks.records_changed, timeout=10_000) as changed:
        dialog.import_button.click()
    assert "organisation" in changed.args[0]
    qtbot.waitUntil(lambda: "Imported" in dialog.summary.text(), timeout=10_000)
    assert app.count("organisation") == 2
    assert not dialog.import_button.isEnabled()  # a second click would need a new check
    _grab(dialog, "import-dialog-done.png")


def _grab(dialog: ImportDialog, name: str) -> None:
    """Saved for a person to look at when CA_DESKTOP_SHOTS names a folder."""
    folder = os.environ.get("CA_DESKTOP_SHOTS")
    if folder:
        dialog.show()
        dialog.grab().save(str(Path(folder) / name))


def test_template_and_iati_exports_run_in_the_background(
    qtbot: QtBot,
    app: CaDesktop,
    tasks: TaskManager,
    tmp_path: Path,
    activity_body: dict[str, object],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

    from ca_desktop.gui.reports import spreadsheets

    app.save("activity", activity_body)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append("warning: " + a[2]))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a: ("CUF projects", True))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a: ("XM-DAC-41301", True))
    target = tmp_path / "cuf.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    spreadsheets.save_template(app, tasks, None)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert target.is_file() and shown == [f"Template written: {target}"]
    target = tmp_path / "iati.xml"
    spreadsheets.export_iati(app, tasks, None)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=10_000)
    assert target.is_file() and shown[1].startswith("IATI file written"), shown
    assert app.meta("iati_org_id") == "XM-DAC-41301"
