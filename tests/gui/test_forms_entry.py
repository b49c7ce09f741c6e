"""The generated entry form: relevance, repeating tables, checks next to the fields."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from ca_desktop.forms.loader import get_form
from ca_desktop.forms.mapping import load_form
from ca_desktop.gui.forms.dialogs import FormEntryDialog
from ca_desktop.gui.forms.entry import FormEntry
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
    entry = _entry(qtbot, "CA-F02", "fr")
    table = entry.editor("attendees")
    assert isinstance(table, TableEditor)
    table.set_value([])
    grid = table.table
    grid.item(0, 0).setText("Nguyễn Thị Hoa")
    sex = grid.cellWidget(0, 1)
    assert isinstance(sex, QComboBox)
    sex.setCurrentIndex(sex.findData("female"))
    age = grid.cellWidget(0, 2)
    assert isinstance(age, QComboBox)
    age.setCurrentIndex(age.findData("15_24"))
    grid.setCurrentCell(0, grid.columnCount() - 1)
    qtbot.keyClick(grid, Qt.Key.Key_Return)  # Enter on the last cell adds a row
    assert grid.rowCount() == 2 and grid.currentRow() == 1
    grid.item(1, 0).setText("Zoë Mwangi")
    rows = table.value()
    assert [r["name"] for r in rows] == ["Nguyễn Thị Hoa", "Zoë Mwangi"]
    assert rows[0]["sex"] == "female" and rows[0]["age_band"] == "15_24"
    assert rows[1]["sex"] is None
    table.add_row()  # an empty line is not a row
    assert len(table.value()) == 2
    grid.setCurrentCell(1, 0)
    table.remove_current_row()
    assert [r["name"] for r in table.value()] == ["Nguyễn Thị Hoa"]


def test_save_marks_fields_and_cells(
    qtbot: QtBot, app: CaDesktop, activity_body: dict[str, object]
) -> None:
    activity_id = app.save("activity", activity_body).id
    loaded = load_form(app, get_form("CA-F02"), activity_id)
    dialog = FormEntryDialog(app, loaded, "en", app.titles)
    qtbot.addWidget(dialog)
    table = dialog.entry.editor("attendees")
    assert isinstance(table, TableEditor)
    table.table.item(0, 0).setText("Ñusta Quispe")  # no sex, no age: two issues on row 1
    dialog.save()
    assert dialog.result() == 0 and dialog.saved_id is None
    error = dialog.entry.rows["attendees"].error
    assert "1 · sex: is required" in error.text() and "1 · age_band: is required" in error.text()
    assert app.count("attendance_entry") == 0


def test_participants_totals(qtbot: QtBot) -> None:
    entry = _entry(qtbot, "CA-F01")
    grid = entry.editor("participants")
    grid.set_value({"female_youth": 4, "female_other": 16, "male_youth": 5})
    assert grid.value()["female_other"] == 16 and grid.value()["male_other"] is None
    assert "25" in grid.grand.text()  # type: ignore[attr-defined]
