"""CUF projects, grievances and programmes pages, driven through the UI with the keyboard."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from ca_desktop.domain.records import CUF_PROJECT
from ca_desktop.gui.editors.record_editor import RecordEditorDialog
from ca_desktop.gui.models.record_table import RecordTableModel
from ca_desktop.gui.pages.records import RecordListPage
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.services.app import CaDesktop
from tests.gui.editor_helpers import wait_saved


@pytest.fixture(autouse=True)
def _never_block_on_close(monkeypatch) -> None:
    """A failing test must not hang on the "unsaved changes" question at teardown."""
    monkeypatch.setattr(
        RecordEditorDialog, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard
    )


@pytest.fixture
def tasks(qtbot) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.wait()
    qtbot.wait(10)  # deliver results still queued, while the pages still exist


def _show(qtbot, widget) -> None:
    """Show and activate: shortcuts (Ctrl+S, Esc) only reach an active window."""
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def _page(qtbot, record_type: str, app: CaDesktop, tasks: TaskManager):
    page = RecordListPage(app, tasks, record_type=record_type)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    _show(qtbot, page)
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    return page


def _in_dialog(action: Callable[[RecordEditorDialog], None]) -> list[str]:
    """Run `action` on the editor once its modal loop runs; collects failures to re-raise."""
    failures: list[str] = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RecordEditorDialog):
            QTimer.singleShot(10, run)
            return
        try:
            action(dialog)
            wait_saved(dialog)
            if dialog.isVisible():  # the action should have closed it: say why it did not
                errors = {n: w.error() for n, w in dialog.fields.items() if w.error()}
                raise AssertionError(f"editor still open; errors: {errors}")
        except Exception as exc:  # noqa: BLE001 - reported by the test after exec returns
            failures.append(repr(exc))
            dialog.done(0)

    QTimer.singleShot(0, run)
    return failures


def _cuf(app: CaDesktop, settlement_id: str, **kw: object) -> str:
    body = {
        "title": "Kisenyi water kiosk",
        "settlement_id": settlement_id,
        "type": "water",
        "status": "proposed",
        "ca_funds": 12000,
        "beneficiaries_total": 800,
        **kw,
    }
    return app.save("cuf_project", body).id


def test_model_passes_qt_model_tester(qtmodeltester, app, settlement_id) -> None:
    _cuf(app, settlement_id)
    _cuf(app, settlement_id, title="Kisenyi drainage", type="drainage", ca_funds=None)
    model = RecordTableModel(CUF_PROJECT)
    model.set_records(app.list_records("cuf_project"), {"place": app.titles("place")})
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.index(0, 1).data() == "Kisenyi"  # the reference shown by name
    model.sort(4, Qt.SortOrder.DescendingOrder)  # CA funds; the blank one sorts last
    assert model.index(0, 4).data() == "12,000" and model.index(1, 4).data() == ""


def test_empty_state_then_create_through_the_ui(qtbot, app, tasks, settlement_id) -> None:
    page = _page(qtbot, "cuf_project", app, tasks)
    assert page.stack.currentWidget() is page.empty

    def fill(dialog: RecordEditorDialog) -> None:
        qtbot.keyClicks(dialog.fields["title"].focus_widget(), "Kisenyi toilet block")
        QTest.keyClick(dialog.fields["type"].focus_widget(), Qt.Key.Key_Down)
        QTest.keyClick(dialog.fields["status"].focus_widget(), Qt.Key.Key_Down)
        settlement = dialog.fields["settlement_id"]
        qtbot.keyClicks(settlement.focus_widget(), "Kisenyi (Kampala)")
        settlement._settle()  # what leaving the box does
        qtbot.keyClicks(dialog.fields["ca_funds"].focus_widget(), "25000")
        qtbot.keyClicks(dialog.fields["beneficiaries_total"].focus_widget(), "1500")
        QTest.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    failures = _in_dialog(fill)
    with qtbot.waitSignal(page.loaded):
        QTest.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert not failures
    [record] = app.list_records("cuf_project")
    assert record.body["title"] == "Kisenyi toilet block"
    assert record.body["type"] == "water" and record.body["status"] == "proposed"
    assert record.body["settlement_id"] == settlement_id
    assert record.body["ca_funds"] == 25000 and record.body["beneficiaries_total"] == 1500
    assert page.stack.currentIndex() == 1
    assert page.count_label.text() == "1 record"
    assert page.selected_id() == record.id  # the new record is selected
    assert "Created by Amina Nakato" in page.history.toPlainText()


def test_validation_message_is_shown_next_to_the_field(qtbot, app, settlement_id) -> None:
    dialog = RecordEditorDialog(app, "cuf_project")
    qtbot.addWidget(dialog)
    _show(qtbot, dialog)
    qtbot.keyClicks(dialog.fields["title"].focus_widget(), "Kiosk")
    qtbot.keyClicks(dialog.fields["beneficiaries_total"].focus_widget(), "10")
    qtbot.keyClicks(dialog.fields["beneficiaries_women"].focus_widget(), "20")
    QTest.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and app.count("cuf_project") == 0
    women = dialog.fields["beneficiaries_women"]
    assert women.error() == "Beneficiaries women cannot exceed the total number of beneficiaries"
    assert women.findChild(QLabel, "fieldError").isVisible()
    assert dialog.fields["settlement_id"].error() == "Settlement is required"
    assert dialog.fields["title"].error() is None
    assert women.focus_widget().accessibleDescription() == women.error()
    # Fixing the field clears its message while typing.
    women.focus_widget().clear()
    qtbot.keyClicks(women.focus_widget(), "5")
    assert women.error() is None
    assert dialog.fields["settlement_id"].error() == "Settlement is required"
    dialog.reject()  # answered Discard (see _never_block_on_close)


def test_edit_with_enter_and_history_shows_the_change(qtbot, app, tasks, settlement_id) -> None:
    rid = _cuf(app, settlement_id)
    page = _page(qtbot, "cuf_project", app, tasks)
    page.table.setFocus()
    page.table.selectRow(0)

    def change_status(dialog: RecordEditorDialog) -> None:
        assert dialog.fields["title"].value() == "Kisenyi water kiosk"
        combo = dialog.fields["status"].focus_widget()
        QTest.keyClick(combo, Qt.Key.Key_Down)
        QTest.keyClick(combo, Qt.Key.Key_Down)
        dialog.save_button.click()

    failures = _in_dialog(change_status)
    with qtbot.waitSignal(page.loaded):
        QTest.keyClick(page.table, Qt.Key.Key_Return)
    assert not failures
    assert app.get("cuf_project", rid).body["status"] == "approved"
    assert page.selected_id() == rid
    assert "Status: Proposed → Approved" in page.history.toPlainText()
    assert "Changed by Amina Nakato" in page.history.toPlainText()


def test_delete_asks_then_deletes(qtbot, app, tasks, settlement_id, monkeypatch) -> None:
    rid = _cuf(app, settlement_id)
    page = _page(qtbot, "cuf_project", app, tasks)
    page.table.setFocus()
    page.table.selectRow(0)
    asked: list[str] = []
    monkeypatch.setattr(page, "confirm_delete", lambda name: asked.append(name) or False)
    QTest.keyClick(page.table, Qt.Key.Key_Delete)
    assert asked == ["Kisenyi water kiosk"] and app.get("cuf_project", rid) is not None
    monkeypatch.setattr(page, "confirm_delete", lambda name: True)
    with qtbot.waitSignal(tasks.records_changed) as changed, qtbot.waitSignal(page.loaded):
        page.delete_button.click()
    assert changed.args == [frozenset({"cuf_project"})]
    assert app.get("cuf_project", rid) is None
    assert page.stack.currentWidget() is page.empty


def test_a_page_reloads_only_for_the_types_it_shows(qtbot, app, tasks, settlement_id) -> None:
    _cuf(app, settlement_id)
    page = _page(qtbot, "cuf_project", app, tasks)
    loads: list[bool] = []
    page.loaded.connect(lambda: loads.append(True))
    tasks.notify_changed({"grievance", "attendance_entry"})
    qtbot.wait(50)
    assert loads == []
    with qtbot.waitSignal(page.loaded):
        tasks.notify_changed({"place"})  # a settlement's name shows in the list
    page.hide()
    tasks.notify_changed({"cuf_project"})
    qtbot.wait(50)
    assert len(loads) == 1  # hidden: nothing loaded yet
    with qtbot.waitSignal(page.loaded):
        page.show()
    assert len(loads) == 2


def test_search_and_filter_narrow_the_list(qtbot, app, tasks, settlement_id) -> None:
    _cuf(app, settlement_id)
    _cuf(app, settlement_id, title="Kisenyi drainage channel", type="drainage", status="approved")
    page = _page(qtbot, "cuf_project", app, tasks)
    assert page.model.rowCount() == 2
    with qtbot.waitSignal(page.loaded):
        qtbot.keyClicks(page.search, "drain")
    assert page.model.rowCount() == 1 and page.count_label.text() == "1 of 2 records"
    page.search.clear()
    with qtbot.waitSignal(page.loaded):
        pass
    with qtbot.waitSignal(page.loaded):
        page.filter.setCurrentIndex(page.filter.findData("proposed"))
    assert [page.model.record(0).body["title"]] == ["Kisenyi water kiosk"]


def test_grievance_created_through_the_ui(qtbot, app, tasks, settlement_id) -> None:
    page = _page(qtbot, "grievance", app, tasks)

    def fill(dialog: RecordEditorDialog) -> None:
        QTest.keyClick(dialog.fields["date_received"].focus_widget(), Qt.Key.Key_Up)  # today
        QTest.keyClick(dialog.fields["channel"].focus_widget(), Qt.Key.Key_Down)
        QTest.keyClick(dialog.fields["category"].focus_widget(), Qt.Key.Key_Down)
        qtbot.keyClicks(dialog.fields["description"].focus_widget(), "Trench left open")
        QTest.keyClick(dialog.fields["status"].focus_widget(), Qt.Key.Key_Down)
        dialog.save_button.click()

    failures = _in_dialog(fill)
    with qtbot.waitSignal(page.loaded):
        page.new_button.click()
    assert not failures
    [grievance] = app.list_records("grievance")
    assert grievance.body["description"] == "Trench left open"
    assert grievance.body["channel"] == "in_person" and grievance.body["status"] == "open"
    assert grievance.body["date_received"]


def test_unsaved_changes_guard_and_draft(qtbot, app, monkeypatch) -> None:
    dialog = RecordEditorDialog(app, "programme")
    qtbot.addWidget(dialog)
    _show(qtbot, dialog)
    qtbot.keyClicks(dialog.fields["name"].focus_widget(), "Ghana Country Programme")
    dialog.keep_draft()  # what the timer does every few seconds
    monkeypatch.setattr(dialog, "ask_unsaved", lambda: QMessageBox.StandardButton.Cancel)
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # Cancel keeps the editor open
    dialog.hide()  # the app "dies" with the draft on disk

    again = RecordEditorDialog(app, "programme")
    qtbot.addWidget(again)
    _show(qtbot, again)
    assert again.draft_banner.isVisible()
    again.restore_draft()
    assert again.fields["name"].value() == "Ghana Country Programme"
    monkeypatch.setattr(again, "ask_unsaved", lambda: QMessageBox.StandardButton.Discard)
    QTest.keyClick(again, Qt.Key.Key_Escape)
    assert not again.isVisible() and again.result() == 0
    assert app.count("programme") == 0

    third = RecordEditorDialog(app, "programme")  # discarding removed the draft
    qtbot.addWidget(third)
    assert not third.draft_banner.isVisibleTo(third)


def test_programmes_page_filters_by_kind(qtbot, app, tasks, programme_id) -> None:
    app.save(
        "programme", {"code": "IP-1", "name": "Innovation call", "kind": "innovation_programme"}
    )
    page = _page(qtbot, "programme", app, tasks)
    assert page.model.rowCount() == 2
    with qtbot.waitSignal(page.loaded):
        page.filter.setCurrentIndex(page.filter.findData("country_programme"))
    assert page.model.rowCount() == 1 and page.model.record(0).id == programme_id


def test_grievance_resolved_then_deleted_through_the_ui(
    qtbot, app, tasks, settlement_id, monkeypatch
) -> None:
    gid = app.save(
        "grievance",
        {
            "date_received": "2026-10-01",
            "channel": "phone",
            "category": "construction",
            "description": "Trench left open",
            "status": "open",
        },
    ).id
    page = _page(qtbot, "grievance", app, tasks)
    page.table.setFocus()
    page.table.selectRow(0)

    def resolve(dialog: RecordEditorDialog) -> None:
        status = dialog.fields["status"].focus_widget()
        QTest.keyClick(status, Qt.Key.Key_Down)
        QTest.keyClick(status, Qt.Key.Key_Down)  # open → in progress → resolved
        dialog.save_button.click()
        # The domain wants a resolution and its date once resolved: shown at those fields.
        assert dialog.fields["resolution"].error() == (
            "Resolution is required when the grievance is resolved"
        )
        assert dialog.fields["date_resolved"].error()
        qtbot.keyClicks(dialog.fields["resolution"].focus_widget(), "Trench covered")
        QTest.keyClick(dialog.fields["date_resolved"].focus_widget(), Qt.Key.Key_Up)
        assert dialog.fields["resolution"].error() is None  # cleared while fixing
        dialog.save_button.click()

    failures = _in_dialog(resolve)
    with qtbot.waitSignal(page.loaded):
        QTest.keyClick(page.table, Qt.Key.Key_Return)
    assert not failures
    body = app.get("grievance", gid).body
    assert body["status"] == "resolved" and body["resolution"] == "Trench covered"
    assert "Status: Open → Resolved" in page.history.toPlainText()

    monkeypatch.setattr(page, "confirm_delete", lambda name: name == "Trench left open")
    with qtbot.waitSignal(page.loaded):
        page.delete_button.click()
    assert app.get("grievance", gid) is None and page.stack.currentWidget() is page.empty
