"""Finding 6 (issue 10): an ordinary edit of a record in conflict keeps the conflict open."""

from __future__ import annotations

from sync_helpers import Laptop
from test_conflicts import both_to_coordinator, edit, everyone_syncs, shared_activity


def _in_conflict(laptops: dict[str, Laptop]) -> str:
    aid = shared_activity(laptops)
    edit(laptops["amina"], aid, title="Amina's title")
    edit(laptops["coord"], aid, title="Coord's title")
    both_to_coordinator(laptops)
    return aid


def test_editing_the_shown_version_keeps_the_other_one_in_review(
    laptops: dict[str, Laptop],
) -> None:
    coord = laptops["coord"]
    aid = _in_conflict(laptops)
    shown = coord.app.get("activity", aid)
    assert shown is not None and shown.heads == 2
    # The editor saves with the version it loaded as base (what the GUI editors do).
    coord.app.save(
        "activity", {**shown.body, "notes": "typed later"}, record_id=aid, base_rev=shown.rev_id
    )
    [c] = coord.sync.conflicts()
    assert {v.body["title"] for v in c.versions} == {"Amina's title", "Coord's title"}
    rec = coord.app.get("activity", aid)
    assert rec is not None and rec.heads == 2


def test_an_edit_without_a_base_descends_from_the_shown_version(laptops: dict[str, Laptop]) -> None:
    coord = laptops["coord"]
    aid = _in_conflict(laptops)
    edit(coord, aid, notes="typed later")  # no base_rev: the CLI and form import path
    [c] = coord.sync.conflicts()
    assert len(c.versions) == 2
    # Only a resolution closes it, and it closes it everywhere.
    coord.sync.resolve(aid, take=c.winner)
    assert coord.sync.conflicts() == []
    everyone_syncs(laptops)
    for name in ("amina", "brian", "coord"):
        assert laptops[name].sync.conflicts() == []
        rec = laptops[name].app.get("activity", aid)
        assert rec is not None and rec.heads == 1
