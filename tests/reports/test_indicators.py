"""Figures, filters, pivot totals and drill-down against a hand count (conftest `hand`)."""

from __future__ import annotations

import pytest

from ca_desktop.domain.periods import parse_period
from ca_desktop.reports.filters import ReportFilters
from ca_desktop.reports.indicators import INDICATORS, compute_figures, drill_down
from ca_desktop.reports.pivot import compute_pivot, drill_cell
from ca_desktop.store.report_queries import ACTIVITY_MEASURES

Q3 = ReportFilters(period=parse_period("2026Q3"))


def test_every_indicator_has_a_query_and_a_definition() -> None:
    for ind in INDICATORS:
        assert ind.label and ind.definition.endswith(".")
        if ind.source == "activity":
            assert ind.code in ACTIVITY_MEASURES


def test_quarter_figures_equal_the_hand_count(app, hand) -> None:
    f = compute_figures(app, Q3)
    v = f.values
    # Q3: A1, A2, A3, A5, A6 (A4 is in Q4, A7 deleted); A1, A2, A5 took place.
    assert v["activities"] == 5 and v["activities_held"] == 3
    assert v["people_reached"] == 25 + 12 + 50
    assert v["women_reached"] == 15 + 6 + 20
    assert v["youth_reached"] == 8 + 4  # A3 (planned) and A6 (cancelled) reach nobody
    assert f.cells() == {
        "female_youth": 7, "female_other": 34, "male_youth": 4,
        "male_other": 40, "not_recorded_youth": 1, "not_recorded_other": 1,
    }  # fmt: skip
    assert (v["forums_settlement"], v["forums_municipal"], v["forums_national"]) == (1, 1, 1)
    assert f.by_level == {"community": 3, "local": 1, "national": 1}
    assert f.by_theme == {"gender": 2, "resilience": 1, "migration": 1, "": 2}
    assert f.by_status == {"completed": 2, "ongoing": 1, "planned": 1, "cancelled": 1}
    assert sum(f.people_by_level["community"].values()) == 25
    # CUF projects stand as they are, whatever the period.
    assert (v["cuf_projects"], v["cuf_delivered"]) == (4, 2)
    assert (v["cuf_beneficiaries"], v["cuf_beneficiaries_women"], v["cuf_beneficiaries_youth"]) == (
        140,
        80,
        30,
    )
    assert (v["cuf_ca_funds"], v["cuf_community_contribution"]) == (1800, 350)
    # Grievances received in Q3: G1..G4; G1 and G2 resolved in 10 and 20 days.
    assert (v["grievances_received"], v["grievances_resolved"], v["grievances_open"]) == (4, 2, 2)
    assert v["grievance_median_days"] == 15
    assert (v["registers_typed"], v["registers_matching"]) == (2, 1)


@pytest.mark.parametrize(
    ("filters", "activities", "people"),
    [
        (Q3.with_(programme="UG"), 4, 37),
        (Q3.with_(country="GH"), 1, 50),
        (Q3.with_(city="kampala"), 4, 37),
        (Q3.with_(settlement="kisenyi"), 2, 25),
        (Q3.with_(level="community"), 3, 25),
        (Q3.with_(theme="gender"), 2, 37),
        (Q3.with_(type="settlement_forum"), 2, 25),
        (ReportFilters(period=parse_period("2026-10")), 1, 10),
        (ReportFilters(period=parse_period("2026-07..2026-07")), 3, 75),
        (ReportFilters(), 6, 97),
    ],
)
def test_filters(app, hand, filters: ReportFilters, activities: int, people: int) -> None:
    resolved = {
        k: hand.ids.get(v, v)
        for k, v in vars(filters).items()
        if isinstance(v, str) and k in ("programme", "city", "settlement")
    }
    f = compute_figures(app, filters.with_(**resolved))
    assert (f.values["activities"], f.values["people_reached"]) == (activities, people)


def test_programme_filter_narrows_cuf_and_grievances(app, hand) -> None:
    v = compute_figures(app, Q3.with_(programme=hand.ids["UG"])).values
    assert (v["cuf_projects"], v["cuf_delivered"], v["cuf_ca_funds"]) == (3, 1, 1500)
    assert (v["grievances_received"], v["grievances_open"]) == (3, 1)


def test_drill_down_lists_the_records_behind_a_figure(app, hand) -> None:
    ids = hand.ids
    assert drill_down(app, Q3, "people_reached") == ("activity", [ids["A1"], ids["A5"], ids["A2"]])
    assert drill_down(app, Q3, "forums_settlement")[1] == [ids["A1"]]
    assert drill_down(app, Q3, "registers_matching")[1] == [ids["A2"]]
    assert set(drill_down(app, Q3, "cuf_delivered")[1]) == {ids["P1"], ids["P3"]}
    assert drill_down(app, Q3, "grievances_open") == ("grievance", [ids["G4"], ids["G3"]])
    assert drill_down(app, Q3, "grievance_median_days")[1] == [ids["G1"], ids["G2"]]


def test_pivot_programme_by_quarter_with_totals(app, hand) -> None:
    ids = hand.ids
    p = compute_pivot(
        app, ReportFilters(period=parse_period("2026")), "programme", "quarter", "people_reached"
    )
    assert p.cells == {
        (ids["UG"], "2026Q3"): 37,
        (ids["UG"], "2026Q4"): 10,
        (ids["GH"], "2026Q3"): 50,
    }
    assert p.row_totals == {ids["UG"]: 47, ids["GH"]: 50}
    assert p.column_totals == {"2026Q3": 87, "2026Q4": 10}
    assert p.total == 97
    assert [p.label("programme", r) for r in p.rows] == ["GH-CP", "UG-CP"]
    assert drill_cell(app, p, ids["UG"], "2026Q3") == [ids["A1"], ids["A2"]]
    assert drill_cell(app, p, None, "2026Q4") == [ids["A4"]]
    assert len(drill_cell(app, p, None, None)) == 4


def test_pivot_by_theme_counts_each_activity_once_in_totals(app, hand) -> None:
    p = compute_pivot(app, Q3, "level", "theme", "activities")
    assert p.cells[("community", "gender")] == 1 and p.cells[("community", "")] == 2
    assert p.row_totals == {"community": 3, "local": 1, "national": 1}
    assert p.column_totals == {"gender": 2, "resilience": 1, "migration": 1, "": 2}
    assert p.total == 5  # not 6: A1 has two themes
    ids = hand.ids
    assert sorted(drill_cell(app, p, "community", "")) == sorted([ids["A3"], ids["A6"]])


def test_pivot_by_country_and_city_folds_the_place_tree(app, hand) -> None:
    p = compute_pivot(app, Q3, "country", "city", "people_reached")
    ids = hand.ids
    assert p.cells == {("UG", ids["kampala"]): 37, ("GH", ""): 50}
    assert p.label("city", ids["kampala"]) == "Kampala"
    assert drill_cell(app, p, "GH", "") == [ids["A5"]]
    assert drill_cell(app, p, "UG", ids["kampala"]) == [ids["A1"], ids["A2"]]


def test_pivot_refuses_unknown_dimensions_and_measures(app) -> None:
    with pytest.raises(ValueError):
        compute_pivot(app, Q3, "nonsense", None, "activities")
    with pytest.raises(ValueError):
        compute_pivot(app, Q3, "level", None, "grievances_open")


def test_docs_define_every_indicator() -> None:
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "indicators.md").read_text(
        encoding="utf-8"
    )
    for ind in INDICATORS:
        assert f"`{ind.code}`" in docs, ind.code


def test_pivot_rows_follow_the_declared_order_of_codes(app, hand) -> None:
    p = compute_pivot(app, Q3, "level", None, "activities")
    assert p.rows == ["community", "local", "national"]
    assert p.columns == [""] and p.label("level", "community") == "Community"
