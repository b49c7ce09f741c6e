"""Home dashboard: empty state, figures equal to the records, recent changes open records."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ca_desktop.gui.editors.record_editor import RecordEditorDialog
from ca_desktop.gui.pages.home import HomePage, wrap_label
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.gui.widgets.send_status import short_state
from ca_desktop.services.dashboard import load_dashboard
from ca_desktop.services.demo import generate_demo
from ca_desktop.services.practice import is_practice, practice_dir
from ca_desktop.sync.send_state import send_state


@pytest.fixture
def tasks(qtbot) -> Iterator[TaskManager]:
    manager = TaskManager()
    yield manager
    manager.wait()
    qtbot.wait(10)  # deliver results still queued, while the pages still exist


def _home(qtbot, app, tasks) -> HomePage:
    page = HomePage(app, tasks)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    return page


def test_fresh_database_shows_first_steps(qtbot, app, tasks) -> None:
    page = _home(qtbot, app, tasks)
    assert page.stack.currentWidget() is page.empty
    assert "try practice mode" in page.empty.text.text()
    assert page.demo_button.isVisible() and page.empty.button is not None


def test_practice_mode_from_the_empty_state_never_touches_this_folder(
    qtbot, app, tasks, monkeypatch
) -> None:
    started: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(
        "ca_desktop.gui.practice.QProcess.startDetached",
        lambda program, args: (started.append((program, args)) or True, 1),
    )
    page = _home(qtbot, app, tasks)
    page.demo_button.click()
    [(_program, args)] = started
    folder = practice_dir(app.data_dir)
    assert args[args.index("--data-dir") + 1] == str(folder) and is_practice(folder)
    assert "separate window" in page.demo_status.text()
    assert app.count("activity") == 0  # nothing written here


def test_figures_equal_the_records(qtbot, app, tasks) -> None:
    generate_demo(app, 200, seed=3)
    page = _home(qtbot, app, tasks)
    assert page.stack.currentIndex() == 1
    d = load_dashboard(app)
    assert page.activities_card.value.text() == f"{app.count('activity'):,}"
    reached = sum(
        sum(r.body[c] or 0 for c in d.people.cells)
        for r in app.list_records("activity")
        if r.body["status"] in ("ongoing", "completed")
    )
    assert page.people_card.value.text() == f"{reached:,}"
    delivered = [
        r
        for r in app.list_records("cuf_project")
        if r.body["status"] in ("completed", "handed_over")
    ]
    assert page.cuf_card.value.text() == str(len(delivered))
    open_ = [r for r in app.list_records("grievance") if r.body["status"] != "resolved"]
    assert page.grievance_card.value.text() == str(len(open_))
    assert page.unsent_card.value.text() == short_state(send_state(app))
    assert "not exported yet" in page.unsent_card.detail.text()
    # The people chart shows the sex × youth split: two stacked sets over three sexes.
    series = page.people_chart.chart().series()[0]
    youth, other = series.barSets()
    assert [youth.at(i) for i in range(3)] == [
        d.people.cells[c] for c in ("female_youth", "male_youth", "not_recorded_youth")
    ]
    assert sum(other.at(i) for i in range(3)) + sum(youth.at(i) for i in range(3)) == reached
    assert page.recent.topLevelItemCount() == 12


def test_recent_change_opens_the_record(qtbot, app, tasks, settlement_id, monkeypatch) -> None:
    rid = app.save(
        "cuf_project",
        {
            "title": "Kisenyi kiosk",
            "settlement_id": settlement_id,
            "type": "water",
            "status": "proposed",
        },
    ).id
    app.save(
        "activity",
        {  # makes the dashboard non-empty
            "programme_id": app.save(
                "programme", {"code": "P", "name": "P", "kind": "country_programme"}
            ).id,
            "level": "community",
            "type": "other",
            "title": "Forum",
            "start_date": "2026-01-01",
            "status": "planned",
        },
    )
    page = _home(qtbot, app, tasks)
    opened: list[tuple[str, str | None]] = []
    monkeypatch.setattr(
        RecordEditorDialog,
        "exec",
        lambda self: opened.append((self.record_type, self.record_id)) or 0,
    )
    items = [page.recent.topLevelItem(i) for i in range(page.recent.topLevelItemCount())]
    cuf_item = next(i for i in items if "CUF project “Kisenyi kiosk”" in i.text(1))
    assert cuf_item.text(1) == "Amina Nakato created the CUF project “Kisenyi kiosk”"
    page.recent.setCurrentItem(cuf_item)
    page.recent.setFocus()
    page.recent.itemActivated.emit(cuf_item, 1)
    assert opened == [("cuf_project", rid)]


def test_wrap_label_keeps_words_whole() -> None:
    assert wrap_label("Equitable economic growth") == "Equitable<br>economic<br>growth"
    assert wrap_label("Gender") == "Gender"
