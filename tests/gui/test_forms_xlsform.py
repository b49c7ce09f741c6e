"""Import XLSForm… and Export as XLSForm… on the Forms page."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from ca_desktop.gui.forms.page import FormsPage
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.services.app import CaDesktop
from tests.reports.xlsform.build import household


@pytest.fixture
def page(qtbot: QtBot, app: CaDesktop) -> FormsPage:
    widget = FormsPage(app, TaskManager())
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_import_lists_the_form_and_shows_a_plain_text_report(
    qtbot: QtBot, page: FormsPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    xls = household(tmp_path / "<i>hh<i>.xlsx")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(xls), ""))
    page.import_button.click()
    qtbot.waitUntil(
        lambda: page.current_form() is not None and page.current_form().code == "HH-VISIT",
        timeout=20_000,
    )  # type: ignore[union-attr]
    box = next(w for w in page.findChildren(QMessageBox))
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "<i>hh<i>.xlsx, sheet survey, row 2" in box.detailedText()
    assert page.lang.findData("sw") >= 0  # the form's own language is offered for printing
    out = tmp_path / "back.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    page.export_button.click()
    qtbot.waitUntil(out.exists, timeout=20_000)


def test_fill_an_imported_form_on_screen(qtbot: QtBot, app: CaDesktop, tmp_path: Path) -> None:
    from ca_desktop.forms.loader import get_form
    from ca_desktop.forms.mapping import load_form
    from ca_desktop.gui.forms.dialogs import FormEntryDialog
    from ca_desktop.reports.xlsform.importer import import_xlsform

    import_xlsform(app, household(tmp_path / "hh.xlsx"))
    loaded = load_form(app, get_form("HH-VISIT", app), None)
    dialog = FormEntryDialog(app, loaded, "sw", app.titles)
    qtbot.addWidget(dialog)
    entry = dialog.entry
    entry.set_value("enumerator", "Amina")
    entry.set_value("visit_date", "2024-06-12")
    entry.set_value("members", 50)
    entry.set_value("has_water", "yes")
    assert not entry.rows["sources"].isVisibleTo(entry)  # relevant: ${has_water} = 'no'
    entry.set_value("has_water", "no")
    assert entry.rows["sources"].isVisibleTo(entry)
    dialog.save()
    assert dialog.saved_id is None
    assert "Between 1 and 39" in entry.rows["members"].error.text()
    entry.set_value("members", 4)
    dialog.save()
    assert dialog.saved_id is not None
    body = app.get("form_submission", dialog.saved_id).body  # type: ignore[union-attr]
    assert body["form_code"] == "HH-VISIT" and body["lang"] == "sw"


def test_typed_fields_on_screen_and_a_photo_attached(
    qtbot: QtBot, app: CaDesktop, tmp_path: Path
) -> None:
    from ca_desktop.forms.loader import get_form
    from ca_desktop.forms.mapping import load_form
    from ca_desktop.gui.forms.dialogs import FormEntryDialog
    from ca_desktop.gui.forms.typed_editors import GeopointEditor, PatternEditor, PhotoEditor
    from ca_desktop.reports.xlsform.importer import import_xlsform
    from tests.reports.xlsform.build import typed

    import_xlsform(app, typed(tmp_path / "site.xlsx"))
    dialog = FormEntryDialog(app, load_form(app, get_form("SITE-VISIT", app), None), "en", app.titles)  # fmt: skip
    qtbot.addWidget(dialog)
    entry = dialog.entry
    entry.set_value("who", "Amina")
    arrived = entry.editor("arrived")
    assert isinstance(arrived, PatternEditor)
    arrived.edit.setText("25:00")
    spot = entry.editor("spot")
    assert isinstance(spot, GeopointEditor)
    spot.edits["lat"].setText("0,3476")
    spot.edits["lon"].setText("32.5825")
    dialog.save()
    assert dialog.saved_id is None
    assert "must be a time (HH:MM)" in entry.rows["arrived"].error.text()
    arrived.edit.setText("09:15:00")
    entry.set_value("visited", "2024-06-12T10:30")
    photo = entry.editor("photo")
    assert isinstance(photo, PhotoEditor)
    (tmp_path / "fake.jpg").write_bytes(b"MZ not a photo")
    photo.attach(tmp_path / "fake.jpg")
    assert photo.value() is None and "not a photo" in photo.name.text()
    (tmp_path / "site.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    photo.attach(tmp_path / "site.jpg")
    assert photo.name.text() == "site.jpg"
    assert photo.name.textFormat() == Qt.TextFormat.PlainText
    dialog.save()
    assert dialog.saved_id is not None
    body = app.get("form_submission", dialog.saved_id).body  # type: ignore[union-attr]
    values = {v["field"]: v["value"] for v in body["values"]}
    assert values["arrived"] == "09:15" and values["visited"] == "2024-06-12 10:30"
    assert values["spot"] == {"lat": 0.3476, "lon": 32.5825, "alt": None, "accuracy": None}
    (attachment,) = app.list_records("attachment", where={"record_id": dialog.saved_id})
    assert attachment.body["sha256"] == values["photo"]["sha256"]


def test_a_cell_hidden_by_its_rows_relevance_is_greyed_and_not_required(
    qtbot: QtBot, app: CaDesktop, tmp_path: Path
) -> None:
    from ca_desktop.forms.loader import get_form
    from ca_desktop.forms.mapping import load_form
    from ca_desktop.gui.forms.dialogs import FormEntryDialog
    from ca_desktop.gui.forms.table import TableEditor
    from ca_desktop.reports.xlsform.importer import import_xlsform
    from tests.forms.test_repeat_rows import SURVEY
    from tests.reports.xlsform.build import write_xlsform

    path = write_xlsform(tmp_path / "kids.xlsx", SURVEY, [("list_name", "name", "label")],
                         [("form_title", "form_id"), ("Kids", "kids")])  # fmt: skip
    import_xlsform(app, path)
    dialog = FormEntryDialog(app, load_form(app, get_form("KIDS", app), None), "en", app.titles)
    qtbot.addWidget(dialog)
    entry = dialog.entry
    entry.set_value("visits", 1)
    entry.set_value("kids", [{"kid": "Asha", "age": 9}, {"kid": "Tumi", "age": 3, "school": "x"}])
    table = entry.editor("kids")
    assert isinstance(table, TableEditor)
    school = 2
    assert table.table.item(0, school).flags() & Qt.ItemFlag.ItemIsEditable  # type: ignore[union-attr]
    assert not table.table.item(1, school).flags() & Qt.ItemFlag.ItemIsEditable  # type: ignore[union-attr]
    dialog.save()
    assert "1 · school: is required" in entry.rows["kids"].error.text()
    assert "2 · school" not in entry.rows["kids"].error.text()
    table.table.item(0, school).setText("Kisenyi")  # type: ignore[union-attr]
    dialog.save()
    body = app.get("form_submission", dialog.saved_id).body  # type: ignore[arg-type,union-attr]
    kids = next(v["value"] for v in body["values"] if v["field"] == "kids")
    assert kids[1] == {"kid": "Tumi", "age": 3}


def test_calculations_show_as_the_user_types(qtbot: QtBot, app: CaDesktop, tmp_path: Path) -> None:
    from ca_desktop.forms.loader import get_form
    from ca_desktop.forms.mapping import load_form
    from ca_desktop.gui.forms.dialogs import FormEntryDialog
    from ca_desktop.reports.xlsform.importer import import_xlsform
    from tests.forms.test_calculations import SURVEY
    from tests.reports.xlsform.build import write_xlsform

    path = write_xlsform(tmp_path / "calc.xlsx", SURVEY, [("list_name", "name", "label")],
                         [("form_title", "form_id"), ("Calc", "calc")])  # fmt: skip
    import_xlsform(app, path)
    dialog = FormEntryDialog(app, load_form(app, get_form("CALC", app), None), "en", app.titles)
    qtbot.addWidget(dialog)
    entry = dialog.entry
    adults = entry.editor("adults")
    assert adults.focus_widget().isReadOnly()  # type: ignore[union-attr]
    entry.set_value("members", 6)
    assert adults.value() == "5"
    assert entry.editor("big").value() == "big"
    assert entry.rows["why"].isVisibleTo(entry)  # relevance reads the calculation
    entry.set_value("members", 2)
    assert adults.value() == "1" and not entry.rows["why"].isVisibleTo(entry)
    dialog.save()
    body = app.get("form_submission", dialog.saved_id).body  # type: ignore[arg-type,union-attr]
    assert {"field": "adults", "value": "1"} in body["values"]
