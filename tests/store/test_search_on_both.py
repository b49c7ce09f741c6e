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
