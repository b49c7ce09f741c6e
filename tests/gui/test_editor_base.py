"""The editor base: dirty check, the unsaved-changes question, drafts, issues, saving off
the GUI thread, and never dropping a field the editor does not show."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from ca_desktop.domain import records
from ca_desktop.domain.validation import FieldIssue, ValidationError
from ca_desktop.gui.editors import record_editor
from ca_desktop.gui.editors.activity_editor import ActivityEditor
from ca_desktop.gui.editors.record_editor import RecordEditorDialog
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.services import drafts
from ca_desktop.services.app import CaDesktop
from tests.gui.editor_helpers import wait_saved


@pytest.fixture(autouse=True)
def _never_block_on_close(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        RecordEditorDialog, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard
    )


def _cuf(app: CaDesktop, settlement_id: str) -> str:
    return app.save(
        "cuf_project",
        {
            "title": "Kisenyi water kiosk",
            "settlement_id": settlement_id,
            "type": "water",
            "status": "proposed",
            "description": "Two taps at the market end",
        },
    ).id


def _without_description(monkeypatch: pytest.MonkeyPatch) -> None:
    """The editor shows no widget for `description`, as an older editor would not."""
    spec = records.CUF_PROJECT
    hidden = tuple(replace(f, group=None) if f.name == "description" else f for f in spec.fields)
    monkeypatch.setitem(records.RECORD_SPECS, "cuf_project", replace(spec, fields=hidden))


def test_dirty_follows_what_differs_from_the_stored_record(qtbot: QtBot, app, programme_id):
    dialog = RecordEditorDialog(app, "programme", programme_id)
    qtbot.addWidget(dialog)
    assert not dialog.is_dirty()
    name = dialog.fields["name"]
    name.set_value("Uganda CP")
    assert dialog.is_dirty()
    name.set_value("Uganda Country Programme")  # typed back: nothing to save
    assert not dialog.is_dirty()


def test_unsaved_question_defaults_to_a_safe_answer(qtbot: QtBot, app) -> None:
    dialog = RecordEditorDialog(app, "programme")
    qtbot.addWidget(dialog)
    seen: dict[str, Any] = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)
            return
        seen["default"] = box.standardButton(box.defaultButton())
        seen["escape"] = box.standardButton(box.escapeButton())  # type: ignore[arg-type]
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, answer)
    assert record_editor.RecordEditor.ask_unsaved(dialog) == QMessageBox.StandardButton.Cancel
    # Neither Enter nor Esc throws the changes away.
    assert seen["default"] != QMessageBox.StandardButton.Discard
    assert seen["escape"] == QMessageBox.StandardButton.Cancel


def test_cancel_in_the_question_keeps_the_editor_and_its_text(
    qtbot: QtBot, app, monkeypatch
) -> None:
    dialog = RecordEditorDialog(app, "programme")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.fields["name"].set_value("Ghana Country Programme")
    monkeypatch.setattr(dialog, "ask_unsaved", lambda: QMessageBox.StandardButton.Cancel)
    dialog.reject()
    assert dialog.isVisible() and dialog.fields["name"].value() == "Ghana Country Programme"


def test_save_runs_off_the_gui_thread_and_announces_the_change(
    qtbot: QtBot, app, programme_id, monkeypatch
) -> None:
    tasks = TaskManager()
    dialog = RecordEditorDialog(app, "programme", programme_id, tasks=tasks)
    qtbot.addWidget(dialog)
    threads: list[threading.Thread] = []
    original = app.save

    def recording(*args: Any, **kw: Any) -> Any:
        threads.append(threading.current_thread())
        return original(*args, **kw)

    monkeypatch.setattr(app, "save", recording)
    dialog.fields["name"].set_value("Uganda CP")
    with qtbot.waitSignal(tasks.records_changed) as changed:
        assert dialog.save()
    wait_saved(dialog)
    assert threads and threads[0] is not threading.main_thread()
    assert changed.args == [frozenset({"programme"})]
    assert dialog.result() == RecordEditorDialog.DialogCode.Accepted
    assert app.get("programme", programme_id).body["name"] == "Uganda CP"  # type: ignore[union-attr]
    tasks.wait()


def test_issues_raised_by_the_save_job_show_at_the_fields(
    qtbot: QtBot, app, programme_id, monkeypatch
) -> None:
    dialog = RecordEditorDialog(app, "programme", programme_id)
    qtbot.addWidget(dialog)
    dialog.show()

    def refuse(*_a: Any, **_kw: Any) -> Any:
        raise ValidationError([FieldIssue("code", "is already used")])

    monkeypatch.setattr(app, "save", refuse)
    dialog.fields["name"].set_value("Uganda CP")
    with qtbot.waitSignal(dialog.save_finished) as finished:
        assert dialog.save()
    assert finished.args == [False]
    assert dialog.fields["code"].error() == "Code is already used"
    assert dialog.problem_label.isVisible() and "Code" in dialog.problem_label.text()
    assert dialog.isVisible() and dialog.isEnabled()  # still open, and editable again


def test_record_editor_keeps_a_field_it_does_not_show(
    qtbot: QtBot, app, settlement_id, monkeypatch
) -> None:
    cuf_id = _cuf(app, settlement_id)
    _without_description(monkeypatch)
    dialog = RecordEditorDialog(app, "cuf_project", cuf_id)
    qtbot.addWidget(dialog)
    assert "description" not in dialog.fields
    dialog.fields["title"].set_value("Kisenyi water kiosk, phase 2")
    assert dialog.save()
    wait_saved(dialog)
    body = app.get("cuf_project", cuf_id).body  # type: ignore[union-attr]
    assert body["title"] == "Kisenyi water kiosk, phase 2"
    assert body["description"] == "Two taps at the market end"
    assert len(app.history(cuf_id)) == 2


def test_draft_restore_keeps_the_stored_fields_it_does_not_show(
    qtbot: QtBot, app, settlement_id, monkeypatch
) -> None:
    cuf_id = _cuf(app, settlement_id)
    _without_description(monkeypatch)
    key = f"cuf_project:{cuf_id}"
    # A draft that knows nothing of the description, or says something stale about it.
    drafts.save_draft(
        app, key, {"body": {"title": "Drafted title", "description": "stale"}, "base_rev": None}
    )
    dialog = RecordEditorDialog(app, "cuf_project", cuf_id)
    qtbot.addWidget(dialog)
    assert dialog.banner.isVisibleTo(dialog)
    dialog.banner.restore_button.click()
    assert dialog.fields["title"].value() == "Drafted title" and dialog.is_dirty()
    assert dialog.values()["description"] == "Two taps at the market end"
    assert dialog.save()
    wait_saved(dialog)
    body = app.get("cuf_project", cuf_id).body  # type: ignore[union-attr]
    assert body["title"] == "Drafted title" and body["description"] == "Two taps at the market end"
    assert drafts.load_draft(app, key) is None


def test_activity_editor_keeps_a_field_it_does_not_show(
    qtbot: QtBot, app, activity_body, monkeypatch
) -> None:
    record = app.save("activity", activity_body)
    # This laptop now runs a version whose activities have no notes: to it, the stored
    # notes are a field from a newer version, and its editor has no widget for them.
    older = tuple(f for f in records.ACTIVITY.fields if f.name != "notes")
    monkeypatch.setitem(records.RECORD_SPECS, "activity", replace(records.ACTIVITY, fields=older))
    editor = ActivityEditor(app, record.id)
    qtbot.addWidget(editor)
    assert "notes" not in editor.fields
    editor.fields["title"].set_value("Kisenyi settlement forum (corrected)")
    assert editor.save()
    wait_saved(editor)
    body = app.get("activity", record.id).body  # type: ignore[union-attr]
    assert body["title"] == "Kisenyi settlement forum (corrected)"
    assert body["notes"] == activity_body["notes"]
    assert body["female_other"] == activity_body["female_other"]


def test_form_entry_keeps_the_record_fields_the_form_does_not_show(
    qtbot: QtBot, app, activity_body
) -> None:
    from ca_desktop.forms.loader import get_form
    from ca_desktop.forms.mapping import load_form
    from ca_desktop.gui.forms.dialogs import FormEntryDialog

    activity_id = app.save("activity", activity_body).id
    loaded = load_form(app, get_form("CA-F02"), activity_id)
    dialog = FormEntryDialog(app, loaded, "en", app.titles)
    qtbot.addWidget(dialog)
    assert "notes" not in dialog.entry.rows
    dialog.entry.set_value("title", "Kisenyi forum, typed from the register")
    dialog.save()
    assert dialog.saved_id == activity_id
    body = app.get("activity", activity_id).body  # type: ignore[union-attr]
    assert body["title"] == "Kisenyi forum, typed from the register"
    assert body["notes"] == activity_body["notes"]
    assert sorted(body["themes"]) == sorted(activity_body["themes"])  # type: ignore[call-overload]
