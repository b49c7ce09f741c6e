"""Recording an activity with the keyboard: fields, counts, a ten-row register, save."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ca_desktop.gui.editors.activity_editor import ActivityEditor, draft_key
from ca_desktop.gui.main_window import MainWindow
from ca_desktop.gui.pages.activities import ActivitiesPage
from ca_desktop.services import drafts
from ca_desktop.services.app import CaDesktop
from tests.gui.editor_helpers import wait_saved

REGISTER = [
    ("Aisha Nansubuga", "f", "19"),
    ("Grace Akello", "F", "34"),
    ("Peter Okello", "m", "22"),
    ("Sarah Namutebi", "female", "61"),
    ("John Mugisha", "M", "45"),
    ("Ruth Achieng", "f", "17"),
    ("Moses Kato", "m", "29"),
    ("Esther Nakato", "f", "52"),
    ("Brian Ssali", "m", "15"),
    ("Joy Atim", "f", "24"),
]


def key(
    widget: QWidget, k: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    QTest.keyClick(widget, k, mods)
    QApplication.processEvents()  # cell editors commit on a queued call


def type_register(editor: ActivityEditor, rows: list[tuple[str, str, str]]) -> None:
    grid = editor.people.register
    editor.show()
    editor.tabs.setCurrentWidget(editor.people)
    grid.setFocus()
    grid.setCurrentCell(0, 0)
    for name, sex, age in rows:
        for text in (name, sex, age):
            target = QApplication.focusWidget() or grid
            QTest.keyClicks(grid, text[0])  # the first key opens the cell editor
            QApplication.processEvents()
            target = QApplication.focusWidget() or grid
            QTest.keyClicks(target, text[1:])
            key(target, Qt.Key.Key_Return)  # commits and moves to the next cell
        key(grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # next row


def open_new(qtbot: QtBot, page: ActivitiesPage) -> ActivityEditor:
    key(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = page.editor
    assert editor is not None and editor.isVisible()
    editor.activateWindow()
    qtbot.waitUntil(editor.fields["title"].focus_widget().hasFocus)
    return editor


def test_record_a_forum_with_a_ten_row_register_by_keyboard(
    qtbot: QtBot, activities: ActivitiesPage, app: CaDesktop, programme_id: str, settlement_id: str
) -> None:
    editor = open_new(qtbot, activities)
    title = editor.fields["title"].focus_widget()
    qtbot.keyClicks(title, "Kisenyi community forum on drainage")
    key(title, Qt.Key.Key_Tab)
    type_combo = editor.fields["type"].focus_widget()
    assert type_combo.hasFocus()
    qtbot.keyClicks(type_combo, "Settlement")
    assert editor.fields["type"].value() == "settlement_forum"
    assert editor.fields["programme_id"].value() == programme_id  # the home programme
    assert editor.fields["level"].value() == "community"
    editor.fields["place_id"].set_value(settlement_id)
    notes = editor.fields["notes"].focus_widget()
    notes.setFocus()
    qtbot.keyClicks(notes, "Residents agreed to clean the culvert before the rains.")

    key(editor, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert editor.tabs.currentWidget() is editor.people
    type_register(editor, REGISTER)
    bodies = editor.people.entry_bodies()
    assert len(bodies) == 10
    assert bodies[0] == {
        "name": "Aisha Nansubuga",
        "sex": "female",
        "age_band": "15_24",
        "organisation": None,
        "role": None,
        "phone": None,
        "consent": False,
        "signed": False,
        "line": 1,
    }
    assert "10 people — 6 women, 4 men" in editor.people.totals.text()
    editor.people.fill_button.click()
    counts = editor.people.participants.counts()
    assert counts["female_youth"] == 3 and counts["female_other"] == 3
    assert counts["male_youth"] == 2 and counts["male_other"] == 2
    assert editor.people.participants.grand_total.text() == "10"

    with qtbot.waitSignal(activities.loaded, timeout=10_000):
        key(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert editor.record_id is not None
    saved = app.get("activity", editor.record_id)
    assert saved is not None and saved.body["title"] == "Kisenyi community forum on drainage"
    assert saved.body["female_youth"] == 3
    register = app.list_records(
        "attendance_entry", where={"activity_id": editor.record_id}, order_by="line"
    )
    assert [r.body["name"] for r in register] == [r[0] for r in REGISTER]
    assert [r.body["line"] for r in register] == list(range(1, 11))
    assert {r.updated_by for r in register} == {"Amina Nakato"}
    assert not editor.is_dirty()
    key(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()
    assert activities.current_id() == saved.id
    # found again by a word in its notes
    activities.filters.search.setText("culvert")
    qtbot.waitSignal(activities.loaded, timeout=10_000).wait()
    assert activities.model.rowCount() == 1 and activities.current_id() == saved.id


def test_saving_is_one_transaction(
    qtbot: QtBot,
    activities: ActivitiesPage,
    app: CaDesktop,
    activity_body: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    record = app.save("activity", activity_body)
    editor = ActivityEditor(app, record.id)
    qtbot.addWidget(editor)
    type_register(editor, REGISTER[:2])
    calls: list[int] = []
    original = app.save_many

    def counting(changes: list[Any], **kw: Any) -> Any:
        calls.append(len(changes))
        return original(changes, **kw)

    monkeypatch.setattr(app, "save_many", counting)
    assert editor.save()
    wait_saved(editor)
    assert calls == [2]  # the unchanged activity is not rewritten; both rows in one call
    assert app.get("activity", record.id).rev_id == record.rev_id  # type: ignore[union-attr]


def test_edit_existing_register_and_delete_a_row(
    qtbot: QtBot, app: CaDesktop, activity_body: dict[str, Any]
) -> None:
    editor = ActivityEditor(app)
    qtbot.addWidget(editor)
    editor.set_body(activity_body)
    type_register(editor, REGISTER[:3])
    assert editor.save()
    wait_saved(editor)
    rid = editor.record_id
    assert rid is not None
    again = ActivityEditor(app, rid)
    qtbot.addWidget(again)
    grid = again.people.register
    assert [b["name"] for b in again.people.entry_bodies()] == [r[0] for r in REGISTER[:3]]
    grid.setFocus()
    grid.setCurrentCell(1, 0)
    key(grid, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert again.is_dirty()
    assert again.save()
    wait_saved(again)
    names = [
        r.body["name"] for r in app.list_records("attendance_entry", where={"activity_id": rid})
    ]
    assert sorted(names) == sorted([REGISTER[0][0], REGISTER[2][0]])
    gone = app.list_records("attendance_entry", where={"activity_id": rid}, include_deleted=True)
    assert sum(r.deleted for r in gone) == 1  # a tombstone, not a lost row


def test_domain_messages_show_next_to_the_fields(qtbot: QtBot, app: CaDesktop) -> None:
    editor = ActivityEditor(app)
    qtbot.addWidget(editor)
    editor.show()
    editor.fields["title"].set_value("")
    editor.fields["female_youth"].set_value("-3")
    assert not editor.save()
    assert editor.fields["title"].error() == "Title is required"
    assert editor.fields["type"].error() == "Type is required"
    assert editor.fields["female_youth"].error()
    assert "Title" in editor.message.text()
    assert app.count("activity") == 0


def test_a_bad_register_row_is_marked_and_nothing_is_saved(
    qtbot: QtBot, app: CaDesktop, activity_body: dict[str, Any]
) -> None:
    editor = ActivityEditor(app)
    qtbot.addWidget(editor)
    editor.show()
    editor.set_body(activity_body)
    editor.people.register.paste("Aisha\tf\t19\nNobody\tq\t30\n")
    assert not editor.save()
    item = editor.people.register.item(1, 1)
    assert item is not None and "not one of the allowed codes" in item.toolTip()
    assert "Register row 2" in editor.message.text()
    assert app.count("activity") == 0


def test_paste_rows_from_a_spreadsheet(qtbot: QtBot, app: CaDesktop) -> None:
    editor = ActivityEditor(app)
    qtbot.addWidget(editor)
    grid = editor.people.register
    asked: list[str] = []
    grid.ask_paper_language = lambda current: asked.append(current) or "en"  # type: ignore[func-returns-value]
    grid.setCurrentCell(0, 0)
    assert (
        grid.paste(
            "Mary Auma\tF\t15-24\tKisenyi Savings\tchair\t+256 700 111222\tx\tx\r\n"
            "Tom Odongo\tM\t40\t\t\t\t\ty\r\n"
        )
        == 2
    )
    bodies = editor.people.entry_bodies()
    assert bodies[0]["sex"] == "female" and bodies[0]["age_band"] == "15_24"
    assert bodies[0]["consent"] is True and bodies[0]["organisation"] == "Kisenyi Savings"
    assert bodies[1]["age_band"] == "35_59" and bodies[1]["signed"] is True
    assert grid.rowCount() == 3  # an empty row waits at the end
    assert grid.item(0, 1).text() == "Female"  # type: ignore[union-attr]
    assert asked == ["en"]  # "M" is a man only on an English paper: asked, once


def test_register_more_than_counts_asks_before_saving(
    qtbot: QtBot, app: CaDesktop, activity_body: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = ActivityEditor(app)
    qtbot.addWidget(editor)
    editor.set_body({**activity_body, "female_youth": 1})
    editor.people.register.paste("A\tf\t19\nB\tf\t20\n")
    assert not editor.people.issues.isHidden()
    monkeypatch.setattr(editor, "confirm_register_mismatch", lambda issues: False)
    assert not editor.save()
    monkeypatch.setattr(editor, "confirm_register_mismatch", lambda issues: True)
    assert editor.save()
    wait_saved(editor)


def test_unsaved_changes_guard(
    qtbot: QtBot, app: CaDesktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = ActivityEditor(app)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.keyClicks(editor.fields["title"].focus_widget(), "Half-typed forum")
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    monkeypatch.setattr(editor, "ask_unsaved", lambda: answers.pop(0))
    key(editor, Qt.Key.Key_Escape)
    assert editor.isVisible()  # Cancel keeps the editor open with the text
    assert editor.fields["title"].value() == "Half-typed forum"
    key(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()
    assert app.count("activity") == 0
    assert drafts.load_draft(app, draft_key(None)) is None


def test_unchanged_editor_closes_without_asking(
    qtbot: QtBot, app: CaDesktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = ActivityEditor(app)
    qtbot.addWidget(editor)
    editor.show()
    monkeypatch.setattr(editor, "ask_unsaved", lambda: pytest.fail("asked without changes"))
    key(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()


def test_a_draft_survives_a_crash_and_is_offered_back(qtbot: QtBot, app: CaDesktop) -> None:
    editor = ActivityEditor(app)
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.fields["title"].focus_widget(), "Forum typed before the power cut")
    editor.people.register.paste("Aisha\tf\t19\n")
    editor.keep_draft()
    assert drafts.load_draft(app, draft_key(None)) is not None
    editor.done(0)  # the app "dies": no guard, the draft stays
    again = ActivityEditor(app)
    qtbot.addWidget(again)
    assert not again.banner.isHidden()
    assert again.fields["title"].value() != "Forum typed before the power cut"
    again.banner.restore_button.click()
    assert again.fields["title"].value() == "Forum typed before the power cut"
    assert [b["name"] for b in again.people.entry_bodies()] == ["Aisha"]
    assert again.is_dirty()


def test_attachments_are_stored_with_the_activity(
    qtbot: QtBot, app: CaDesktop, activity_body: dict[str, Any], tmp_path: Any
) -> None:
    from PySide6.QtGui import QColor, QImage

    photo = tmp_path / "forum.png"
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    assert image.save(str(photo))
    editor = ActivityEditor(app)
    qtbot.addWidget(editor)
    editor.set_body(activity_body)
    editor.attachments.add_files([photo])
    assert editor.attachments.list.count() == 1
    assert editor.save()
    wait_saved(editor)
    from ca_desktop.services.attachments import attachments_of

    stored = attachments_of(app, editor.record_id)  # type: ignore[arg-type]
    assert [a.body["filename"] for a in stored] == ["forum.png"]
    assert editor.attachments.list.count() == 1
    assert not editor.attachments.list.item(0).icon().isNull()  # type: ignore[union-attr]


def test_window_close_with_open_editor(
    qtbot: QtBot, window: MainWindow, activities: ActivitiesPage
) -> None:
    editor = activities.open_editor(None)
    assert editor.isVisible()
    editor.done(0)
    assert activities.editor is None


def test_ctrl_n_goes_on_with_a_new_activity(
    qtbot: QtBot, app: CaDesktop, activity_body: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = ActivityEditor(app)
    qtbot.addWidget(editor)
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    editor.set_body(activity_body)
    editor.people.register.paste("Aisha\tf\t19\n")
    monkeypatch.setattr(editor, "ask_unsaved", lambda: QMessageBox.StandardButton.Save)
    key(editor, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    wait_saved(editor)
    assert app.count("activity") == 1 and app.count("attendance_entry") == 1
    assert editor.record_id is None and editor.windowTitle() == "New activity"
    assert editor.fields["title"].value() is None
    assert editor.people.entry_bodies() == []
    assert not editor.is_dirty()
