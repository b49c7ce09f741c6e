"""The Reports page: figures follow the filters and the records, a pivot cell drills down
to the Activities page, the PDF is written off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from ca_desktop.gui.pages.activities import ActivitiesPage
from ca_desktop.gui.reports.page import ReportsPage


def _page(qtbot, window) -> ReportsPage:
    page = window.show_page("reports")
    assert isinstance(page, ReportsPage)
    qtbot.waitUntil(lambda: page.pivot_model.pivot is not None, timeout=10_000)
    return page


def _activity(app, programme_id, settlement_id, **kw) -> str:
    body = {"programme_id": programme_id, "level": "community", "type": "settlement_forum", "title": "Forum",
            "start_date": "2026-07-10", "place_id": settlement_id, "status": "completed",
            "female_youth": 5, "female_other": 10, "male_youth": 3, "male_other": 7}  # fmt: skip
    return app.save("activity", {**body, **kw}).id


def test_figures_follow_filters_and_records(qtbot, app, window, programme_id, settlement_id) -> None:
    first = _activity(app, programme_id, settlement_id)
    _activity(app, programme_id, settlement_id, start_date="2026-10-03", female_youth=1, female_other=0, male_youth=0, male_other=0)
    page = _page(qtbot, window)
    people = page.summary.tiles["people_reached"].value
    qtbot.waitUntil(lambda: people.text() == "26", timeout=10_000)
    page.filters.period.setEditText("2026Q3")
    qtbot.waitUntil(lambda: people.text() == "25", timeout=10_000)
    page.filters.period.setEditText("2026Q9")
    qtbot.waitUntil(lambda: page.filters.problem.isVisibleTo(page), timeout=5_000)
    page.filters.period.setEditText("2026Q3")
    qtbot.waitUntil(lambda: not page.filters.problem.isVisibleTo(page), timeout=5_000)
    # A save elsewhere goes through the task manager's records_changed: the page follows.
    handle = window.tasks.run(lambda _p: app.save("activity", {"male_other": 17}, first), write=True, changes={"activity"})
    qtbot.waitUntil(lambda: people.text() == "35", timeout=10_000)
    del handle


def test_pivot_cell_opens_the_activities_behind_it(qtbot, app, window, programme_id, settlement_id) -> None:
    a = _activity(app, programme_id, settlement_id)
    _activity(app, programme_id, settlement_id, start_date="2026-10-03")
    page = _page(qtbot, window)
    model = page.pivot_model
    qtbot.waitUntil(lambda: model.columnCount() == 3, timeout=10_000)  # Q3, Q4, total
    assert model.headerData(0, 1) == "2026Q3" and model.headerData(2, 1) == "Total"
    assert model.data(model.index(1, 2)) == "50"  # grand total: 25 + 25
    page.drill_pivot(model.index(0, 0))
    activities = window.page("activities")
    assert isinstance(activities, ActivitiesPage)
    qtbot.waitUntil(lambda: window.current_key() == "activities" and activities.model.rowCount() == 1, timeout=10_000)
    assert activities.only_bar.isVisibleTo(activities) and "2026Q3" in activities.only_label.text()
    assert activities.current_id() == a
    activities.show_all()
    qtbot.waitUntil(lambda: activities.model.rowCount() == 2, timeout=10_000)


def test_pdf_is_written_through_the_task_manager(qtbot, app, window, programme_id, settlement_id, tmp_path: Path, monkeypatch) -> None:
    _activity(app, programme_id, settlement_id)
    page = _page(qtbot, window)
    target = tmp_path / "q.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.save_pdf()
    qtbot.waitUntil(lambda: "q.pdf" in page.status.text(), timeout=20_000)
    assert target.read_bytes().startswith(b"%PDF")


def test_cuf_figure_opens_the_projects_behind_it(qtbot, app, window, programme_id, settlement_id) -> None:
    def project(title: str, status: str) -> str:
        body = {"title": title, "type": "water", "status": status, "settlement_id": settlement_id,
                "programme_id": programme_id, "beneficiaries_total": 10}  # fmt: skip
        return app.save("cuf_project", body).id

    delivered = project("Water kiosk", "completed")
    project("Drainage", "proposed")
    page = _page(qtbot, window)
    qtbot.waitUntil(lambda: page.summary.tiles["cuf_delivered"].value.text() == "1", timeout=10_000)
    page.summary.tiles["cuf_delivered"].button.click()
    cuf = window.page("cuf")
    qtbot.waitUntil(lambda: window.current_key() == "cuf" and cuf.model.rowCount() == 1, timeout=10_000)
    assert cuf.only_bar.isVisibleTo(cuf) and cuf.selected_id() in (None, delivered)
    cuf.show_all()
    qtbot.waitUntil(lambda: cuf.model.rowCount() == 2, timeout=10_000)


def test_spreadsheet_and_iati_actions_are_on_the_page(qtbot, app, window) -> None:
    from ca_desktop.gui.reports.spreadsheets import ImportDialog

    page = _page(qtbot, window)
    actions = [a.text() for a in page.data_button.menu().actions() if not a.isSeparator()]
    assert actions == [
        "Import a spreadsheet…",
        "Export to a spreadsheet…",
        "Blank import template…",
        "Export IATI XML…",
    ]
    page.data_button.menu().actions()[0].trigger()
    dialog = page.findChild(ImportDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
