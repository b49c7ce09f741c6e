"""Finding 6 (issue 10): a record in conflict looks in conflict in lists and editors, and
the editor's banner leads to the review of that record."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from test_sync_conflicts import Office

from ca_desktop.domain.records import spec_for
from ca_desktop.gui.editors.activity_editor import ActivityEditor
from ca_desktop.gui.main_window import MainWindow
from ca_desktop.gui.models.activity_table import COLUMNS, ActivityTableModel
from ca_desktop.gui.models.record_table import RecordTableModel
from ca_desktop.gui.sync.page import SyncPage


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    o = Office(tmp_path)
    yield o
    for app in o.apps.values():
        app.close()


def test_lists_badge_records_in_conflict(qtbot: QtBot, office: Office) -> None:
    aid = office.conflict({"title": "Amina's title"}, {"title": "Brian's title"})
    coord = office.apps["coord"]
    model = ActivityTableModel(coord)
    model.load()
    title = [k for k, _ in COLUMNS].index("title")
    row = next(r for r in range(model.rowCount()) if model.id_at(r) == aid)
    index = model.index(row, title)
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "In conflict" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row, 0).data(Qt.ItemDataRole.DecorationRole) is None
    # The generic list of any record type reads the same `heads`.
    records = RecordTableModel(spec_for("activity"), ("title",))
    records.set_records(coord.list_records("activity"), {})
    first = records.index(records.row_of(aid), 0)
    assert first.data(Qt.ItemDataRole.DecorationRole) is not None
    # A record with one head carries no badge.
    pid = office.apps["coord"].list_records("programme")[0]
    plain = RecordTableModel(spec_for("programme"))
    plain.set_records([pid], {})
    assert plain.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is None


def test_editor_banner_leads_to_the_review(qtbot: QtBot, office: Office) -> None:
    aid = office.conflict({"title": "Amina's title"}, {"title": "Brian's title"})
    coord = office.apps["coord"]
    window = MainWindow(coord)
    qtbot.addWidget(window)
    window.show()
    editor = ActivityEditor(coord, aid, window.page("activities"), tasks=window.tasks)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.conflict_banner.isVisible()
    assert "in conflict" in editor.conflict_banner.text.text()
    page = window.page("sync")
    assert isinstance(page, SyncPage)
    with qtbot.waitSignal(page.review.loaded, timeout=10_000):
        qtbot.mouseClick(editor.conflict_banner.review_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    assert window.current_key() == "sync" and page.stack.currentWidget() is page.review
    assert page.review.current_record_id() == aid
    window.tasks.wait()


def test_editor_without_conflict_has_no_banner(qtbot: QtBot, office: Office) -> None:
    coord = office.apps["coord"]
    pid = coord.save(
        "programme", {"code": "X", "name": "X", "kind": "country_programme", "country": "UG"}
    ).id
    aid = coord.save(
        "activity",
        {"programme_id": pid, "level": "community", "type": "settlement_forum", "themes": [],
         "title": "One version", "start_date": "2026-11-02", "status": "completed"},
    ).id  # fmt: skip
    editor = ActivityEditor(coord, aid)
    qtbot.addWidget(editor)
    editor.show()
    assert not editor.conflict_banner.isVisible()
