""" "Forget this person…": a reason is required, nothing is a default button, the person's
name is shown as plain text, and the erasure runs and empties the row."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from ca_desktop.domain.i18n import tr
from ca_desktop.gui.editors.activity_editor import ActivityEditor
from ca_desktop.gui.editors.record_editor import RecordEditorDialog
from ca_desktop.gui.widgets.forget_dialog import ForgetDialog
from ca_desktop.services.app import CaDesktop

HOSTILE = "<b>Bold</b> <a href='x'>Kato</a>"


def test_dialog_needs_a_reason_and_has_no_default_button(qtbot: QtBot) -> None:
    dialog = ForgetDialog(HOSTILE)
    qtbot.addWidget(dialog)
    dialog.show()
    shown = [lab for lab in dialog.findChildren(QLabel) if lab.text() == HOSTILE]
    assert shown and shown[0].textFormat() == Qt.TextFormat.PlainText
    assert not dialog.forget_button.isEnabled()
    assert not any(b.isDefault() or b.autoDefault() for b in dialog.findChildren(QPushButton))
    QTest.keyClicks(dialog.reason_edit, "asked at the forum")
    assert dialog.forget_button.isEnabled()
    QTest.keyClick(dialog.reason_edit, Qt.Key.Key_Return)  # Enter by habit: nothing happens
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    dialog.forget_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.reason() == "asked at the forum"


def _accept_with(monkeypatch: pytest.MonkeyPatch, asked: list[dict[str, Any]]) -> None:
    def exec_(self: ForgetDialog) -> int:
        asked.append({"consent": any("Consent" in lab.text() for lab in self.findChildren(QLabel))})
        self.reason_edit.setText("consent withdrawn")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ForgetDialog, "exec", exec_)


def test_register_row_forgotten_and_consent_withdrawal_offers_it(
    qtbot: QtBot, app: CaDesktop, activity_body: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    act = app.save("activity", activity_body).id
    row = app.save(
        "attendance_entry",
        {"activity_id": act, "line": 1, "name": "Forgetmarker Auma", "sex": "female",
         "age_band": "15_24", "phone": "0772000111", "consent": True},
    ).id  # fmt: skip
    asked: list[dict[str, Any]] = []
    _accept_with(monkeypatch, asked)
    editor = ActivityEditor(app, act)
    qtbot.addWidget(editor)
    editor.show()
    editor.tabs.setCurrentWidget(editor.people)
    grid = editor.people.register
    consent_col = 6
    grid.item(0, consent_col).setText("")  # consent withdrawn: the erasure is offered
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert asked[0]["consent"]
    qtbot.waitUntil(lambda: grid.item(0, 0).text() == "", timeout=10000)
    stored = app.get("attendance_entry", row)
    assert stored is not None and stored.body.get("name") is None
    assert not grid.check_rows(act)  # the erased row does not block saving the activity
    QApplication.processEvents()


def test_grievance_editor_offers_forget(
    qtbot: QtBot, app: CaDesktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    g = app.save(
        "grievance",
        {"date_received": "2026-03-02", "channel": "phone", "category": "other",
         "description": "Forgetmarker complaint", "complainant": HOSTILE, "status": "open"},
    ).id  # fmt: skip
    asked: list[dict[str, Any]] = []
    _accept_with(monkeypatch, asked)
    editor = RecordEditorDialog(app, "grievance", g)
    qtbot.addWidget(editor)
    editor.show()
    [button] = [
        b for b in editor.findChildren(QPushButton) if b.text() == tr("Forget this person…")
    ]
    assert not button.autoDefault()
    button.click()
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=10000)
    stored = app.get("grievance", g)
    assert stored is not None and stored.body.get("description") is None


def test_history_shows_who_erased_and_why_not_the_values(
    qtbot: QtBot, app: CaDesktop, activity_body: dict[str, object]
) -> None:
    from ca_desktop.gui.widgets.history_panel import HistoryPanel
    from ca_desktop.services.erasure import erase_record

    act = app.save("activity", activity_body).id
    app.save(
        "attendance_entry",
        {"activity_id": act, "line": 1, "name": "Historymarker Okello", "sex": "male",
         "age_band": "15_24"},
    )  # fmt: skip
    [row] = app.list_records("attendance_entry")
    erase_record(app, row.id, "<b>asked</b> at the forum")
    panel = HistoryPanel(app, show_personal=True)
    qtbot.addWidget(panel)
    panel.show_record("activity", act)
    text = panel.text()
    assert "personal data erased by Amina Nakato" in text
    assert "Historymarker" not in text
    grievance = app.save(
        "grievance",
        {"date_received": "2026-03-02", "channel": "phone", "category": "other",
         "description": "Historymarker text", "status": "open"},
    ).id  # fmt: skip
    erase_record(app, grievance, "<b>asked</b>")
    panel.show_record("grievance", grievance)
    text = panel.text()
    assert "Personal data erased by Amina Nakato" in text and "Reason: <b>asked</b>" in text
    assert "Historymarker" not in text
