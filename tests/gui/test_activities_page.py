"""The Activities page: the table model, filters and search, edit with history, delete."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ca_desktop.gui.main_window import MainWindow
from ca_desktop.gui.models.activity_table import COLUMNS, ActivityTableModel
from ca_desktop.gui.pages.activities import ActivitiesPage
from ca_desktop.gui.widgets.locale_format import date_text
from ca_desktop.services import activity_queries as q
from ca_desktop.services.activity_queries import ActivityFilter
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.demo import generate_demo


def reload_and_wait(qtbot: QtBot, page: ActivitiesPage) -> int:
    with qtbot.waitSignal(page.loaded, timeout=10_000) as blocker:
        page.reload()
    return int(blocker.args[0])  # type: ignore[index]


@pytest.fixture
def demo(app: CaDesktop) -> CaDesktop:
    generate_demo(app, 200)
    return app


def test_model_passes_qtmodeltester(qtmodeltester: Any, demo: CaDesktop) -> None:
    model = ActivityTableModel(demo)
    model.PAGE = 64
    model.load()
    qtmodeltester.check(model, force_py=True)
    assert model.total() == 200 and model.columnCount() == len(COLUMNS)


def test_model_fetches_pages_as_asked(demo: CaDesktop) -> None:
    model = ActivityTableModel(demo)
    model.PAGE = 64
    model.load()
    assert model.rowCount() == 64 and model.canFetchMore()
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 200
    assert [model.row_at(r).num for r in range(200)] == q.activity_keys(demo)  # type: ignore[union-attr]
    first = model.row_at(0)
    assert first is not None and model.data(model.index(0, 0)) == date_text(first.start_date)


def test_sort_is_done_in_sql(qtbot: QtBot, demo: CaDesktop, activities: ActivitiesPage) -> None:
    people = [c[0] for c in COLUMNS].index("people")
    with qtbot.waitSignal(activities.loaded, timeout=10_000):
        activities.table.sortByColumn(people, Qt.SortOrder.DescendingOrder)
    model = activities.model
    shown = [model.row_at(r).num for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert shown == q.activity_keys(demo, sort="people", descending=True)


def test_scrolling_fetches_the_next_page_off_the_gui_thread(
    qtbot: QtBot, demo: CaDesktop, activities: ActivitiesPage
) -> None:
    activities.model.PAGE = 50
    with qtbot.waitSignal(activities.loaded, timeout=10_000) as blocker:  # a new query
        activities.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert blocker.args == [200]
    assert activities.model.rowCount() == 50  # one page, not every match
    activities.table.scrollToBottom()
    qtbot.waitUntil(lambda: activities.model.rowCount() > 50, timeout=10_000)
    while activities.model.canFetchMore():
        activities.model.fetchMore()
        qtbot.waitUntil(lambda: not activities.model._fetching, timeout=10_000)
    assert activities.model.rowCount() == 200


def test_selection_and_scroll_survive_a_refresh(
    qtbot: QtBot, demo: CaDesktop, activities: ActivitiesPage
) -> None:
    table = activities.table
    table.selectRow(120)
    table.scrollTo(activities.model.index(120, 0))
    chosen, scrolled = activities.current_id(), table.verticalScrollBar().value()
    assert scrolled > 0
    reload_and_wait(qtbot, activities)  # what an edit elsewhere causes
    assert activities.current_id() == chosen
    assert table.verticalScrollBar().value() == scrolled


def test_history_follows_the_selection_once_it_settles(
    qtbot: QtBot, demo: CaDesktop, activities: ActivitiesPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str | None] = []
    monkeypatch.setattr(activities.history, "show_record", lambda _t, rid: shown.append(rid))
    activities.table.setFocus()
    for _ in range(5):  # holding the arrow key down
        QTest.keyClick(activities.table, Qt.Key.Key_Down)
    assert shown == []
    qtbot.waitUntil(lambda: shown == [activities.current_id()], timeout=2_000)


def test_filter_and_search(qtbot: QtBot, demo: CaDesktop, activities: ActivitiesPage) -> None:
    assert activities.model.rowCount() == 200
    assert "200 activities" in activities.count_label.text()
    bar = activities.filters
    with qtbot.waitSignal(activities.loaded, timeout=10_000):
        bar.level.setCurrentIndex(bar.level.findData("national"))
    expected = q.count_activities(demo, ActivityFilter(level="national"))
    assert activities.model.rowCount() == expected > 0

    # search as you type: one reload after the typing settles
    key = QTest.keyClick
    key(activities.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert bar.search.hasFocus()
    with qtbot.waitSignal(activities.loaded, timeout=10_000) as blocker:
        qtbot.keyClicks(bar.search, "forum")
    wanted = q.count_activities(demo, ActivityFilter(level="national", search="forum"))
    assert blocker.args == [wanted]
    assert activities.model.rowCount() == wanted

    with qtbot.waitSignal(activities.loaded, timeout=10_000):
        qtbot.keyClicks(bar.search, "zzzz")
    assert activities.stack.currentWidget() is activities.empty
    assert activities.empty.title.text() == "No activity matches"
    with qtbot.waitSignal(activities.loaded, timeout=10_000):
        activities.empty.button.click()  # type: ignore[union-attr]
    assert activities.model.rowCount() == 200
    assert bar.value().is_empty


def test_a_common_word_lists_the_newest_matches_and_says_so(
    qtbot: QtBot, demo: CaDesktop, activities: ActivitiesPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ca_desktop.store import activity_sql

    monkeypatch.setattr(activity_sql, "BOUNDED_MATCHES", 25)
    matches = q.count_activities(demo, ActivityFilter(search="forum"))
    assert matches > 25
    with qtbot.waitSignal(activities.loaded, timeout=10_000) as blocker:
        activities.filters.search.setText("forum")
    assert blocker.args == [matches]  # the count is every match
    model = activities.model
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == model.total() == 25  # the newest 25 are listed
    assert activities.count_label.text() == f"{matches} activities, the newest 25 listed"
    assert "matching activities at most" in activities.count_label.toolTip()


def test_empty_state_without_activities(qtbot: QtBot, activities: ActivitiesPage) -> None:
    assert activities.stack.currentWidget() is activities.empty
    assert activities.empty.title.text() == "No activities yet"
    activities.empty.button.click()  # type: ignore[union-attr]
    assert activities.editor is not None and activities.editor.isVisible()
    activities.editor.done(0)


def test_edit_with_enter_and_see_it_in_history(
    qtbot: QtBot,
    window: MainWindow,
    app: CaDesktop,
    activity_body: dict[str, Any],
    activities: ActivitiesPage,
) -> None:
    record = app.save("activity", activity_body)
    reload_and_wait(qtbot, activities)
    assert activities.current_id() == record.id
    qtbot.waitUntil(lambda: "Created by Amina Nakato" in activities.history.text())
    activities.table.setFocus()
    QTest.keyClick(activities.table, Qt.Key.Key_F2)
    editor = activities.editor
    assert editor is not None and editor.record_id == record.id
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    title = editor.fields["title"].focus_widget()
    title.setFocus()
    QTest.keyClick(title, Qt.Key.Key_End)
    qtbot.keyClicks(title, " (corrected)")
    with qtbot.waitSignal(activities.loaded, timeout=10_000):
        QTest.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(editor, Qt.Key.Key_Escape)
    QApplication.processEvents()
    assert activities.editor is None
    assert app.get("activity", record.id).body["title"] == "Kisenyi settlement forum (corrected)"  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: "Changed by" in activities.history.text())
    history = activities.history.text()
    assert "Changed by Amina Nakato" in history
    assert "Kisenyi settlement forum → Kisenyi settlement forum (corrected)" in history
    assert "Amina Nakato" in history


def test_delete_asks_then_writes_a_tombstone(
    qtbot: QtBot,
    app: CaDesktop,
    activity_body: dict[str, Any],
    activities: ActivitiesPage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keep = app.save("activity", {**activity_body, "title": "Keep me", "start_date": "2026-01-01"})
    gone = app.save("activity", activity_body)
    reload_and_wait(qtbot, activities)
    assert activities.current_id() == gone.id
    answers = [False, True]
    monkeypatch.setattr(activities, "confirm_delete", lambda title: answers.pop(0))
    activities.table.setFocus()
    QTest.keyClick(activities.table, Qt.Key.Key_Delete)
    assert app.get("activity", gone.id) is not None  # "No" keeps it
    with qtbot.waitSignal(activities.loaded, timeout=10_000):
        QTest.keyClick(activities.table, Qt.Key.Key_Delete)
    assert app.get("activity", gone.id) is None
    assert app.get("activity", gone.id, include_deleted=True).deleted  # type: ignore[union-attr]
    assert activities.model.rowCount() == 1 and activities.current_id() == keep.id


def test_columns_and_sort_are_kept(
    qtbot: QtBot, app: CaDesktop, window: MainWindow, activities: ActivitiesPage
) -> None:
    activities.table.setColumnWidth(1, 321)
    title = [c[0] for c in COLUMNS].index("title")
    with qtbot.waitSignal(activities.loaded, timeout=10_000):
        activities.table.sortByColumn(title, Qt.SortOrder.AscendingOrder)
    window.save_layout()
    again = MainWindow(app)
    qtbot.addWidget(again)
    page = again.page("activities")
    assert isinstance(page, ActivitiesPage)
    assert page.table.columnWidth(1) == 321
    assert (page.model.sort_key, page.model.descending) == ("title", False)
    again.tasks.wait()


def test_columns_can_be_hidden_and_stay_hidden(
    qtbot: QtBot, app: CaDesktop, window: MainWindow, activities: ActivitiesPage
) -> None:
    menu = activities.column_menu()
    actions = menu.actions()
    assert not actions[1].isEnabled()  # the title always stays
    youth = [c[0] for c in COLUMNS].index("youth")
    actions[youth].setChecked(False)
    assert activities.table.horizontalHeader().isSectionHidden(youth)
    window.save_layout()
    again = MainWindow(app)
    qtbot.addWidget(again)
    page = again.page("activities")
    assert isinstance(page, ActivitiesPage)
    assert page.table.horizontalHeader().isSectionHidden(youth)
    again.tasks.wait()


def test_a_count_that_stopped_says_more_than() -> None:
    from ca_desktop.gui.pages.activity_captions import count_text

    found = ActivityFilter(search="forum")
    assert count_text(found, 10_001) == "More than 10,000 activities, the newest 1,000 listed"
    assert count_text(found, 10_000) == "10,000 activities, the newest 1,000 listed"
    assert count_text(ActivityFilter(), 20_000) == "20,000 activities"
