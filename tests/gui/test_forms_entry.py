"""The generated entry form: relevance, repeating tables, checks next to the fields."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from ca_desktop.forms.loader import get_form
from ca_desktop.forms.mapping import load_form
from ca_desktop.gui.forms.dialogs import FormEntryDialog
from ca_desktop.gui.forms.entry import FormEntry
from ca_desktop.gui.forms.register_table import RegisterTableEditor
from ca_desktop.gui.forms.table import TableEditor
from ca_desktop.gui.widgets.fields import EnumField
from ca_desktop.services.app import CaDesktop


def _entry(qtbot: QtBot, code: str, lang: str = "en") -> FormEntry:
    entry = FormEntry(get_form(code), lang, lambda _t: {})
    qtbot.addWidget(entry)
    entry.show()
    return entry


def _visible(entry: FormEntry, name: str) -> bool:
    return entry.rows[name].isVisibleTo(entry)


def test_relevance_shows_and_hides_fields(qtbot: QtBot) -> None:
    entry = _entry(qtbot, "CA-F09")
    assert isinstance(entry.editor("report_type"), EnumField)  # the record editors' widget
    assert not _visible(entry, "period_from") and not _visible(entry, "handed_to")
    entry.set_value("report_type", "progress")
    assert _visible(entry, "period_from") and not _visible(entry, "handed_to")
    entry.set_value("report_type", "handover")
    assert not _visible(entry, "period_from") and _visible(entry, "handed_to")
    assert not _visible(entry, "committee_women")
    entry.set_value("maintenance_committee", True)
    assert _visible(entry, "committee_women")
    entry.set_value("report_type", "progress")  # hides the committee question, so its follower too
    assert not _visible(entry, "committee_women")


def test_repeating_table_rows(qtbot: QtBot) -> None:
    entry = _entry(qtbot, "CA-F01", "fr")
    table = entry.editor("follow_up")
    assert isinstance(table, TableEditor)
    table.set_value([])
    grid = table.table
    grid.item(0, 0).setText("Réparer la borne-fontaine")
    done = grid.cellWidget(0, 3)
    assert isinstance(done, QComboBox)
    done.setCurrentIndex(done.findData(True))
    grid.setCurrentCell(0, grid.columnCount() - 1)
    qtbot.keyClick(grid, Qt.Key.Key_Return)  # Enter on the last cell adds a row
    assert grid.rowCount() == 2 and grid.currentRow() == 1
    grid.item(1, 0).setText("Convoquer le comité")
    rows = table.value()
    assert [r["what"] for r in rows] == ["Réparer la borne-fontaine", "Convoquer le comité"]
    assert rows[0]["done"] is True and rows[1]["done"] is None
    table.add_row()  # an empty line is not a row
    assert len(table.value()) == 2
    grid.setCurrentCell(1, 0)
    table.remove_current_row()
    assert [r["what"] for r in table.value()] == ["Réparer la borne-fontaine"]


def test_save_marks_fields_and_cells(
    qtbot: QtBot, app: CaDesktop, activity_body: dict[str, object]
) -> None:
    activity_id = app.save("activity", activity_body).id
    loaded = load_form(app, get_form("CA-F02"), activity_id)
    dialog = FormEntryDialog(app, loaded, "en", app.titles)
    qtbot.addWidget(dialog)
    table = dialog.entry.editor("attendees")
    assert isinstance(table, RegisterTableEditor)
    table.grid.item(0, 0).setText("Ñusta Quispe")
    table.grid.item(0, 1).setText("q")  # neither letter nor word: two issues on row 1
    table.grid.item(0, 2).setText("200")
    dialog.save()
    assert dialog.result() == 0 and dialog.saved_id is None
    error = dialog.entry.rows["attendees"].error.text()
    assert "1 · sex:" in error and "1 · age_band:" in error, error
    assert app.count("attendance_entry") == 0


def test_participants_totals(qtbot: QtBot) -> None:
    entry = _entry(qtbot, "CA-F01")
    grid = entry.editor("participants")
    grid.set_value({"female_youth": 4, "female_other": 16, "male_youth": 5})
    assert grid.value()["female_other"] == 16 and grid.value()["male_other"] is None
    assert "25" in grid.grand.text()  # type: ignore[attr-defined]
