"""Search finds the same activities on an SQLite file and on a PostgreSQL server: every
word required, the last one a prefix, accents and case folded, punctuation a separator."""

from __future__ import annotations

import pytest

from ca_desktop.services.app import CaDesktop

NOTES = {
    "kiosk": "Residents discussed the water-kiosk and drainage.",
    "reunion": "Réunion à Ouagadougou avec les ÉLUS municipaux",
    "savings": "Savings group (women_youth) met; 12 members.",
}


@pytest.fixture
def found(app: CaDesktop, activity_body: dict) -> dict[str, str]:
    return {
        name: app.save("activity", {**activity_body, "notes": text}).id
        for name, text in NOTES.items()
    }


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("kios", {"kiosk"}),  # the last word as a prefix
        ("water kiosk", {"kiosk"}),
        ("kiosk water", {"kiosk"}),  # order does not matter
        ("water-kio", {"kiosk"}),  # a hyphenated word is its parts
        ("reunion", {"reunion"}),  # accents folded
        ("ÉLUS munic", {"reunion"}),  # case folded, prefix
        ("ouaga elus", set()),  # only the last word is a prefix
        ("youth", {"savings"}),  # underscore separates words
        ("12 members", {"savings"}),
        ("kisenyi", {"kiosk", "reunion", "savings"}),  # the title and the place's name
        ("kiosk savings", set()),  # every word required
        ('" OR * ) NEAR(', set()),  # no syntax leaks through
        ("   ", set()),
    ],
)
def test_search_finds_the_same_on_both_backends(
    app: CaDesktop, found: dict[str, str], typed: str, expected: set[str]
) -> None:
    ids = {found[name] for name in expected}
    assert set(app.search_activity_ids(typed)) == ids


def test_the_activities_page_searches_sorts_and_counts_alike(
    app: CaDesktop, found: dict[str, str]
) -> None:
    from ca_desktop.services.activity_queries import (
        SORT_KEYS,
        ActivityFilter,
        activity_keys,
        activity_page,
        count_activities,
        key_of,
    )

    kiosk = key_of(app, found["kiosk"])
    for words, n in (("w", 2), ("water kio", 1), ("kisenyi", 3), ("nothing", 0)):
        f = ActivityFilter(search=words)
        assert count_activities(app, f) == n, words
        assert len(activity_keys(app, f, "start_date", True)) == n, words
    assert activity_keys(app, ActivityFilter(search="kiosk"), "title", False) == [kiosk]
    for sort in SORT_KEYS:
        for descending in (True, False):
            rows = activity_page(app, ActivityFilter(search="kisenyi"), sort, descending, 0, 50)
            assert len(rows) == 3, sort


# Six activities, oldest first: "pump" in each, "repair" in three, "latrine" in one. The
# bounds are made small, for a few rows to reach them.
WORDS = ("pump repair", "pump", "pump latrine", "pump repair", "pump", "pump repair")


@pytest.fixture
def pumps(app: CaDesktop, activity_body: dict) -> list[str]:
    """The activities' ids, oldest first."""
    return [app.save("activity", {**activity_body, "notes": text}).id for text in WORDS]


@pytest.mark.parametrize("walked", [1, 3, 20_000])  # the gather path, both, the walk alone
@pytest.mark.parametrize("bound", [1, 2, 1000])
def test_the_newest_matches_are_the_same_however_they_are_found(
    app: CaDesktop, pumps: list[str], walked: int, bound: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ca_desktop.services.activity_queries import ActivityFilter, activity_keys, key_of
    from ca_desktop.store import activity_sql, pg_search

    monkeypatch.setattr(pg_search, "WALKED_ROWS", walked)
    monkeypatch.setattr(activity_sql, "BOUNDED_MATCHES", bound)
    for found, matching in (
        (ActivityFilter(search="pump"), [0, 1, 2, 3, 4, 5]),
        (ActivityFilter(search="repair"), [0, 3, 5]),
        (ActivityFilter(search="pump lat"), [2]),
        (ActivityFilter(search="pump", level="community"), [0, 1, 2, 3, 4, 5]),  # looked up
        (ActivityFilter(search="repair", level="national"), []),
        (ActivityFilter(search="nothing"), []),
    ):
        newest = [key_of(app, pumps[i]) for i in reversed(matching)][:bound]
        # The same start date: the order is by `num`, the newest first.
        assert activity_keys(app, found, "start_date", True) == newest, found


def test_a_search_counts_up_to_its_bound_on_both_backends(
    app: CaDesktop, pumps: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ca_desktop.services.activity_queries import (
        ActivityFilter,
        count_activities,
        counted_every_match,
        listed,
    )
    from ca_desktop.store import activity_sql

    monkeypatch.setattr(activity_sql, "BOUNDED_MATCHES", 2)
    monkeypatch.setattr(activity_sql, "COUNTED_MATCHES", 4)
    for words, more, n in (("pump", {}, 5), ("pump", {"level": "community"}, 5), ("repair", {}, 3)):
        found = ActivityFilter(search=words, **more)
        assert count_activities(app, found) == n, (words, more)  # 6 "pump": stops at 4 + 1
        assert counted_every_match(found, n) == (n <= 4)
        assert listed(found, n) == 2
    # Without a search every activity is counted, whatever the bound.
    assert count_activities(app, ActivityFilter()) == 6
    assert counted_every_match(ActivityFilter(), 6)
