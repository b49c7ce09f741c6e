"""Drafts survive a crash: written atomically, read back, listed, discarded."""

from __future__ import annotations

import datetime as dt

from ca_desktop.services.app import CaDesktop
from ca_desktop.services.drafts import (
    discard_draft,
    draft_saved_at,
    drafts_dir,
    list_drafts,
    load_draft,
    save_draft,
)


def test_round_trip_and_replace(app: CaDesktop) -> None:
    assert load_draft(app, "activity:new") is None
    save_draft(app, "activity:new", {"title": "Forum", "rows": [{"name": "Aisha"}]})
    assert load_draft(app, "activity:new") == {"title": "Forum", "rows": [{"name": "Aisha"}]}
    save_draft(app, "activity:new", {"title": "Forum 2"})
    assert load_draft(app, "activity:new") == {"title": "Forum 2"}
    assert draft_saved_at(app, "activity:new")


def test_keys_with_any_characters_stay_apart(app: CaDesktop) -> None:
    save_draft(app, "activity:0192/ab", {"n": 1})
    save_draft(app, "activity:0192_ab", {"n": 2})
    save_draft(app, "grievance:é", {"n": 3})
    assert load_draft(app, "activity:0192/ab") == {"n": 1}
    assert load_draft(app, "activity:0192_ab") == {"n": 2}
    assert {d.key for d in list_drafts(app)} == {
        "activity:0192/ab",
        "activity:0192_ab",
        "grievance:é",
    }
    # only draft files, no temp files left behind
    assert all(p.suffix == ".json" for p in drafts_dir(app).iterdir())


def test_non_json_values_are_stored_as_text(app: CaDesktop) -> None:
    save_draft(app, "k", {"date": dt.date(2026, 11, 2)})
    assert load_draft(app, "k") == {"date": "2026-11-02"}


def test_discard_and_unreadable_files(app: CaDesktop) -> None:
    discard_draft(app, "nothing-here")  # no error
    path = save_draft(app, "k", {"a": 1})
    discard_draft(app, "k")
    assert load_draft(app, "k") is None and not path.exists()
    path = save_draft(app, "broken", {"a": 1})
    path.write_text("{not json", encoding="utf-8")
    assert load_draft(app, "broken") is None
    assert list_drafts(app) == []
    (drafts_dir(app) / "!!!.json").write_text("{}", encoding="utf-8")
    assert list_drafts(app) == []


def test_list_is_newest_first(app: CaDesktop) -> None:
    save_draft(app, "a", {})
    save_draft(app, "b", {})
    drafts = list_drafts(app)
    assert [d.key for d in drafts][0] in {"a", "b"}
    assert drafts == sorted(drafts, key=lambda d: d.saved_at, reverse=True)
