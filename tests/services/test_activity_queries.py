"""The Activities table's queries: filters, SQL sort, search, batched rows."""

from __future__ import annotations

from typing import Any

import pytest

from ca_desktop.services import activity_queries as q
from ca_desktop.services.activity_queries import ActivityFilter
from ca_desktop.services.app import CaDesktop


def _add(app: CaDesktop, body: dict[str, Any], **changes: Any) -> str:
    return app.save("activity", {**body, **changes}).id


@pytest.fixture
def three(app: CaDesktop, activity_body: dict[str, Any], settlement_id: str) -> dict[str, str]:
    city = app.get("place", settlement_id).body["parent_id"]  # type: ignore[union-attr]
    return {
        "forum": _add(app, activity_body),
        "training": _add(
            app,
            activity_body,
            title="Training of municipal officials",
            level="local",
            type="training",
            place_id=city,
            themes=["equitable_economic_growth"],
            start_date="2026-10-01",
            end_date="2026-10-01",
            status="planned",
            notes="Budgeting and procurement.",
            female_youth=None,
            male_youth=0,
        ),
        "dialogue": _add(
            app,
            activity_body,
            title="National urban policy dialogue",
            level="national",
            type="policy_dialogue",
            place_id=None,
            themes=["migration"],
            start_date="2026-09-15",
            end_date=None,
            notes="Migration and informal work.",
            female_other=40,
        ),
    }


def _ids(app: CaDesktop, keys: list[int]) -> list[str]:
    rows = q.fetch_rows(app, keys)
    return [rows[k].id for k in keys]


def test_default_order_is_newest_first(app: CaDesktop, three: dict[str, str]) -> None:
    keys = q.activity_keys(app)
    assert _ids(app, keys) == [three["forum"], three["training"], three["dialogue"]]
    assert _ids(app, q.activity_keys(app, descending=False))[0] == three["dialogue"]
    assert q.count_activities(app) == 3


def test_sort_by_every_key(app: CaDesktop, three: dict[str, str]) -> None:
    for key in q.SORT_KEYS:
        assert sorted(q.activity_keys(app, sort=key)) == sorted(q.activity_keys(app))
    by_people = _ids(app, q.activity_keys(app, sort="people", descending=True))
    assert by_people[0] == three["dialogue"]  # 5+10+3+7+40 = 65
    by_title = _ids(app, q.activity_keys(app, sort="title", descending=False))
    assert by_title == [three["forum"], three["dialogue"], three["training"]]
    with pytest.raises(ValueError):
        q.activity_keys(app, sort="num; DROP TABLE activity")


def test_filters(app: CaDesktop, three: dict[str, str], settlement_id: str) -> None:
    def only(**kw: Any) -> set[str]:
        return set(_ids(app, q.activity_keys(app, ActivityFilter(**kw))))

    assert only(level="local") == {three["training"]}
    assert only(type="policy_dialogue") == {three["dialogue"]}
    assert only(status="planned") == {three["training"]}
    assert only(theme="gender") == {three["forum"]}
    assert only(theme="migration") == {three["dialogue"]}
    assert only(date_from="2026-10-01") == {three["forum"], three["training"]}
    assert only(date_to="2026-10-01") == {three["training"], three["dialogue"]}
    assert only(place_id=settlement_id) == {three["forum"]}
    city = app.get("place", settlement_id).body["parent_id"]  # type: ignore[union-attr]
    assert only(place_id=city) == {three["forum"], three["training"]}  # the city and inside it
    assert only(level="local", status="completed") == set()
    assert q.count_activities(app, ActivityFilter(level="national")) == 1


def test_search_words_and_prefix(app: CaDesktop, three: dict[str, str]) -> None:
    assert set(_ids(app, q.activity_keys(app, ActivityFilter(search="drainage")))) == {
        three["forum"]
    }
    assert set(_ids(app, q.activity_keys(app, ActivityFilter(search="procure")))) == {
        three["training"]
    }
    assert set(_ids(app, q.activity_keys(app, ActivityFilter(search="migr")))) == {
        three["dialogue"]
    }
    assert q.activity_keys(app, ActivityFilter(search='"unbalanced')) == []
    combined = ActivityFilter(search="kiosk", level="local")
    assert q.activity_keys(app, combined) == []


def test_rows_and_deleted(app: CaDesktop, three: dict[str, str]) -> None:
    key = q.key_of(app, three["forum"])
    assert key is not None
    row = q.fetch_rows(app, [key])[key]
    assert row.title == "Kisenyi settlement forum"
    assert row.place == "Kisenyi" and row.programme == "UG-CP"
    assert (row.people, row.women, row.youth) == (25, 15, 8)
    assert set(row.themes) == {"gender", "resilience"}
    assert row.updated_by == "Amina Nakato"
    app.delete("activity", three["forum"])
    assert key not in q.activity_keys(app)
    assert q.count_activities(app) == 2
    assert q.fetch_rows(app, []) == {}


def test_place_choices(app: CaDesktop, settlement_id: str) -> None:
    labels = [label for _, label in q.place_choices(app)]
    assert labels == ["Kampala, Uganda", "Kisenyi, Kampala", "Uganda"]


def test_a_search_lists_the_newest_matches_and_counts_them_all(
    app: CaDesktop, three: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert q.search_query("w") == '"w"*'
    assert q.search_query("water k") == '"water" "k"*'
    assert q.search_query("  ") == ""
    # "k" finds the forum (Kisenyi) and the training (Kampala) by the start of a word.
    found = set(_ids(app, q.activity_keys(app, ActivityFilter(search="k"))))
    assert found == {three["forum"], three["training"]}
    from ca_desktop.store import activity_sql as store

    monkeypatch.setattr(store, "BOUNDED_MATCHES", 1)
    [newest] = _ids(app, q.activity_keys(app, ActivityFilter(search="k")))
    assert newest == three["training"]  # saved after the forum
    [row] = q.activity_page(app, ActivityFilter(search="k"), "title", False)
    assert row.id == three["training"]  # not the first by title: the newest, sorted
    # The count is every match; the list holds the newest one.
    assert q.count_activities(app, ActivityFilter(search="k")) == 2
    assert q.listed(ActivityFilter(search="k"), 2) == 1 and q.listed(q.NO_FILTER, 2) == 2
    # The other filters apply before the bound: the newest community match is the forum.
    community = ActivityFilter(search="k", level="community")
    assert _ids(app, q.activity_keys(app, community)) == [three["forum"]]
    assert [r.id for r in q.activity_page(app, community)] == [three["forum"]]


def test_pages_follow_the_full_order_for_every_sort_key(
    app: CaDesktop, three: dict[str, str]
) -> None:
    for key in q.SORT_KEYS:
        for descending in (True, False):
            whole = q.activity_keys(app, sort=key, descending=descending)
            paged = [
                r.num
                for offset in range(3)
                for r in q.activity_page(app, q.NO_FILTER, key, descending, offset, 1)
            ]
            assert paged == whole, key
    forum = q.activity_page(app, ActivityFilter(search="drainage"), limit=10)
    assert [r.id for r in forum] == [three["forum"]] and forum[0].people == 25
    with pytest.raises(ValueError):
        q.activity_page(app, q.NO_FILTER, "num; DROP TABLE activity")


@pytest.mark.parametrize("bound", [1, 2, 1000])
def test_a_search_page_follows_the_listed_order(
    app: CaDesktop, three: dict[str, str], bound: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ca_desktop.store import activity_sql as store

    monkeypatch.setattr(store, "BOUNDED_MATCHES", bound)
    for words in ("kisenyi", "se", "settlement forum", "k"):
        for key in q.SORT_KEYS:
            for descending in (True, False):
                found = ActivityFilter(search=words)
                whole = q.activity_keys(app, found, sort=key, descending=descending)
                assert len(whole) <= bound
                page = q.activity_page(app, found, key, descending, 0, 10)
                assert [r.num for r in page] == whole
                paged = [
                    r.num
                    for i in range(3)
                    for r in q.activity_page(app, found, key, descending, i, 1)
                ]
                assert paged == whole


def test_place_and_programme_pages_walk_names_in_the_full_order(app: CaDesktop) -> None:
    """Walked name by name (no index gives these orders): same rows as one ORDER BY, with
    unnamed activities, a place this laptop does not have, and two places of one name."""
    import sqlite3

    from ca_desktop.services.demo import generate_demo

    generate_demo(app, 120, seed=5)
    con = sqlite3.connect(app.data_dir / "ca-desktop.sqlite")
    nums = [r[0] for r in con.execute("SELECT num FROM activity ORDER BY num")]
    con.execute("UPDATE activity SET place_id = NULL WHERE num IN (?, ?)", nums[3:5])
    con.execute(
        "UPDATE activity SET place_id = '01900000-0000-7000-8000-00000000dead' WHERE num = ?",
        (nums[7],),
    )
    con.execute(
        "UPDATE activity SET programme_id = '01900000-0000-7000-8000-00000000beef' WHERE num = ?",
        (nums[9],),
    )
    twin = con.execute(
        "SELECT name FROM place WHERE id IN (SELECT place_id FROM activity) LIMIT 1"
    ).fetchone()[0]
    con.execute(
        "UPDATE place SET name = upper(?) WHERE id = (SELECT place_id FROM activity WHERE num = ?)",
        (twin, nums[20]),
    )
    con.commit()
    con.close()
    for key in ("place", "programme"):
        for descending in (True, False):
            for found in (q.NO_FILTER, ActivityFilter(level="community")):
                whole = q.activity_keys(app, found, sort=key, descending=descending)
                paged = [
                    r.num
                    for offset in range(0, len(whole) + 37, 37)
                    for r in q.activity_page(app, found, key, descending, offset, 37)
                ]
                assert paged == whole, (key, descending)


def test_a_search_alone_is_counted_from_the_index_like_the_table(
    app: CaDesktop, three: dict[str, str]
) -> None:
    from ca_desktop.store import activity_queries as store

    app.delete("activity", three["training"])  # a deleted activity leaves the index too
    for words in ("k", "kisenyi", "se", "procure", "zzzz", "forum kiosk"):
        found = ActivityFilter(search=words)
        assert q.count_activities(app, found) == len(q.activity_keys(app, found)), words
    with app.db.engine.connect() as conn:  # the same through the table, for a filter with it
        both = ActivityFilter(search="k", level="community")
        assert store.count_activities(conn, both) == len(q.activity_keys(app, both)) == 1
