"""Places & organisations: the place tree, creating, editing and deleting places and
organisations through the UI."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from ca_desktop.gui.editors.record_editor import RecordEditorDialog
from ca_desktop.gui.pages.places import PlaceIdRole, PlacesPage
from ca_desktop.gui.tasks import TaskManager
from tests.gui.editor_helpers import wait_saved


@pytest.fixture(autouse=True)
def _never_block_on_close(monkeypatch) -> None:
    monkeypatch.setattr(
        RecordEditorDialog, "ask_unsaved", lambda self: QMessageBox.StandardButton.Discard
    )


@pytest.fixture
def tasks(qtbot) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.wait()
    qtbot.wait(10)  # deliver results still queued, while the pages still exist


def _page(qtbot, app, tasks) -> PlacesPage:
    page = PlacesPage(app, tasks)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    with qtbot.waitSignal(page.places.loaded), qtbot.waitSignal(page.organisations.loaded):
        page.refresh()
    return page


def _in_dialog(action: Callable[[RecordEditorDialog], None]) -> list[str]:
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
        except Exception as exc:  # noqa: BLE001 - re-raised by the test
            failures.append(repr(exc))
            dialog.done(0)

    QTimer.singleShot(0, run)
    return failures


def test_tree_shows_country_city_settlement(
    qtmodeltester, qtbot, app, tasks, settlement_id
) -> None:
    page = _page(qtbot, app, tasks)
    qtmodeltester.check(page.places.model)
    qtmodeltester.check(page.places.proxy)
    model = page.places.model
    uganda = model.item(0, 0)
    assert uganda.text() == "Uganda" and model.item(0, 1).text() == "Country"
    kampala = uganda.child(0, 0)
    assert kampala.text() == "Kampala" and kampala.child(0, 0).text() == "Kisenyi"
    assert kampala.child(0, 0).data(PlaceIdRole) == settlement_id
    assert page.places.count_label.text() == "1 countries · 1 cities · 1 settlements"


def test_empty_state_then_new_country(qtbot, app, tasks) -> None:
    page = _page(qtbot, app, tasks)
    assert page.places.stack.currentWidget() is page.places.empty

    def fill(dialog: RecordEditorDialog) -> None:
        assert dialog.fields["kind"].value() == "country"  # the first place is a country
        qtbot.keyClicks(dialog.fields["name"].focus_widget(), "Ghana")
        qtbot.keyClicks(dialog.fields["country"].focus_widget(), "GH")
        dialog.save_button.click()

    failures = _in_dialog(fill)
    with qtbot.waitSignal(page.places.loaded), qtbot.waitSignal(tasks.records_changed) as changed:
        QTest.keyClick(page.places, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert changed.args == [frozenset({"place"})]
    assert not failures
    [ghana] = app.list_records("place")
    assert ghana.body["name"] == "Ghana" and ghana.body["country"] == "GH"
    assert page.places.selected_id() == ghana.id


def test_new_place_inside_the_selected_city(qtbot, app, tasks, settlement_id) -> None:
    page = _page(qtbot, app, tasks)
    kampala = app.get("place", app.get("place", settlement_id).body["parent_id"])
    page.places.select(kampala.id)

    def fill(dialog: RecordEditorDialog) -> None:
        assert dialog.fields["kind"].value() == "settlement"
        assert dialog.fields["parent_id"].value() == kampala.id
        qtbot.keyClicks(dialog.fields["name"].focus_widget(), "Kawempe")
        qtbot.keyClicks(dialog.fields["households"].focus_widget(), "4200")
        qtbot.keyClicks(dialog.fields["latitude"].focus_widget(), "0.37")
        dialog.save_button.click()  # latitude without longitude: refused

        assert dialog.isVisible()
        assert dialog.fields["longitude"].error() == (
            "Longitude is needed when the other coordinate is given"
        )
        qtbot.keyClicks(dialog.fields["longitude"].focus_widget(), "32.56")
        dialog.save_button.click()

    failures = _in_dialog(fill)
    with qtbot.waitSignal(page.places.loaded):
        page.places.new_button.click()
    assert not failures
    kawempe = next(p for p in app.list_records("place") if p.body["name"] == "Kawempe")
    assert kawempe.body["parent_id"] == kampala.id and kawempe.body["households"] == 4200
    assert kawempe.body["longitude"] == 32.56


def test_edit_and_delete_a_place(qtbot, app, tasks, settlement_id, monkeypatch) -> None:
    page = _page(qtbot, app, tasks)
    page.places.select(settlement_id)

    def rename(dialog: RecordEditorDialog) -> None:
        name = dialog.fields["name"].focus_widget()
        name.selectAll()
        qtbot.keyClicks(name, "Kisenyi II")
        dialog.save_button.click()

    failures = _in_dialog(rename)
    with qtbot.waitSignal(page.places.loaded):
        page.places.tree.setFocus()
        QTest.keyClick(page.places.tree, Qt.Key.Key_Return)
    assert not failures and app.get("place", settlement_id).body["name"] == "Kisenyi II"
    assert "Name: Kisenyi → Kisenyi II" in page.places.history.toPlainText()

    # A city that still contains settlements is not deleted.
    kampala_id = app.get("place", settlement_id).body["parent_id"]
    refused: list[str] = []
    monkeypatch.setattr(page.places, "refuse_delete", lambda name, n: refused.append(name))
    page.places.select(kampala_id)
    assert not page.places.delete_selected()
    assert refused == ["Kampala"] and app.get("place", kampala_id) is not None

    monkeypatch.setattr(page.places, "confirm_delete", lambda name: True)
    page.places.select(settlement_id)
    page.activateWindow()  # the closed editor took the activation with it
    qtbot.waitUntil(page.isActiveWindow)
    with qtbot.waitSignal(page.places.loaded):
        page.places.tree.setFocus()
        QTest.keyClick(page.places.tree, Qt.Key.Key_Delete)
    assert app.get("place", settlement_id) is None
    assert page.places.model.item(0, 0).child(0, 0).rowCount() == 0


def test_organisations_reload_when_a_place_changes(qtbot, app, tasks, settlement_id) -> None:
    page = _page(qtbot, app, tasks)
    page.tabs.setCurrentWidget(page.organisations)
    with qtbot.waitSignal(page.organisations.loaded):
        body = {**app.get("place", settlement_id).body, "name": "K2"}
        tasks.run(
            lambda _p: app.save("place", body, record_id=settlement_id),
            write=True,
            changes={"place"},
        )
    with qtbot.waitSignal(page.places.loaded):  # the places tab was hidden: it reloads when shown
        page.tabs.setCurrentWidget(page.places)
    assert page.places.nodes[settlement_id].name == "K2"


def test_search_keeps_the_path_to_a_match(qtbot, app, tasks, settlement_id) -> None:
    page = _page(qtbot, app, tasks)
    qtbot.keyClicks(page.places.search, "kisen")
    proxy = page.places.proxy
    uganda = proxy.index(0, 0)
    assert proxy.rowCount() == 1 and uganda.data() == "Uganda"
    assert proxy.index(0, 0, proxy.index(0, 0, uganda)).data() == "Kisenyi"
    page.places.search.setText("nowhere")
    assert proxy.rowCount() == 0


def test_organisation_created_in_its_tab(qtbot, app, tasks, settlement_id) -> None:
    page = _page(qtbot, app, tasks)
    page.tabs.setCurrentWidget(page.organisations)
    orgs = page.organisations
    assert orgs.stack.currentWidget() is orgs.empty

    def fill(dialog: RecordEditorDialog) -> None:
        qtbot.keyClicks(dialog.fields["name"].focus_widget(), "Kisenyi Savings Group")
        QTest.keyClick(dialog.fields["type"].focus_widget(), Qt.Key.Key_Down)
        dialog.fields["place_id"].set_value(settlement_id)
        dialog.save_button.click()

    failures = _in_dialog(fill)
    with qtbot.waitSignal(orgs.loaded):
        orgs.new_button.click()
    assert not failures
    [org] = app.list_records("organisation")
    assert org.body["type"] == "national_government" and org.body["place_id"] == settlement_id
    assert orgs.model.index(0, 3).data() == "Kisenyi"
