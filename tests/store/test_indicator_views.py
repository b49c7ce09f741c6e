"""The `ca_indicators_*` views give the reports' figures on the same data."""

from __future__ import annotations

from collections import defaultdict

from ca_desktop.domain.periods import parse_period
from ca_desktop.reports.filters import ReportFilters
from ca_desktop.reports.indicators import ACTIVITY_CODES, compute_figures
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.demo import generate_demo
from ca_desktop.store import indicator_views
from ca_desktop.store.backend import write_transaction


def _views(app: CaDesktop) -> dict[str, list[dict[str, object]]]:
    with write_transaction(app.db.engine) as conn:
        indicator_views.create_views(conn)
    with app.db.engine.connect() as conn:
        return {n: indicator_views.view_rows(conn, n) for n in indicator_views.VIEWS}


def test_views_match_the_reports_per_programme_and_quarter(app: CaDesktop) -> None:
    generate_demo(app, 400, seed=7)
    views = _views(app)
    activity: dict[tuple[object, object], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in views["ca_indicators_activities"]:
        for code in ACTIVITY_CODES:
            activity[(row["programme_id"], row["quarter"])][code] += int(row[code])  # type: ignore[call-overload]
    people: dict[tuple[object, object], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in views["ca_indicators_participants"]:
        cell = f"{row['sex']}_{'youth' if row['age_group'] == '15_24' else 'other'}"
        people[(row["programme_id"], row["quarter"])][cell] += int(row["people"])  # type: ignore[call-overload]
    grievances: dict[tuple[object, object], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in views["ca_indicators_grievances"]:
        for i, col in enumerate(("received", "resolved", "open")):
            grievances[(row["programme_id"], row["quarter"])][i] += int(row[col])  # type: ignore[call-overload]
    assert len(activity) > 8 and len(grievances) > 2  # several programmes and quarters
    checked = 0
    for (pid, quarter), sums in activity.items():
        figures = compute_figures(
            app, ReportFilters(programme=str(pid), period=parse_period(str(quarter)))
        )
        assert {c: figures.value(c) for c in ACTIVITY_CODES} == dict(
            {c: 0 for c in ACTIVITY_CODES}, **sums
        )
        assert figures.cells() == dict({c: 0 for c in figures.cells()}, **people[(pid, quarter)])
        received, resolved, still_open = grievances.get((pid, quarter), [0, 0, 0])
        assert (
            figures.value("grievances_received"),
            figures.value("grievances_resolved"),
            figures.value("grievances_open"),
        ) == (received, resolved, still_open)
        checked += 1
    assert checked == len(activity)


def test_cuf_view_matches_the_reports(app: CaDesktop) -> None:
    generate_demo(app, 300, seed=3)
    rows = _views(app)["ca_indicators_cuf"]
    figures = compute_figures(app, ReportFilters())
    assert sum(int(r["projects"]) for r in rows) == figures.value("cuf_projects") > 0  # type: ignore[call-overload]
    delivered = [r for r in rows if r["delivered"]]
    assert sum(int(r["projects"]) for r in delivered) == figures.value("cuf_delivered")  # type: ignore[call-overload]
    assert sum(int(r["beneficiaries"]) for r in delivered) == figures.value("cuf_beneficiaries")  # type: ignore[call-overload]
    committed = [r for r in rows if r["committed"]]
    funds = sum(float(r["ca_funds"]) for r in committed)  # type: ignore[arg-type]
    assert figures.money and abs(sum(f for f, _ in figures.money.values()) - funds) < 0.01


def test_a_deleted_activity_leaves_the_views(app: CaDesktop) -> None:
    generate_demo(app, 20, seed=1)
    before = sum(int(r["activities"]) for r in _views(app)["ca_indicators_activities"])  # type: ignore[call-overload]
    first = app.list_records("activity")[0]
    app.delete("activity", first.id)
    after = sum(int(r["activities"]) for r in _views(app)["ca_indicators_activities"])  # type: ignore[call-overload]
    assert after == before - 1
