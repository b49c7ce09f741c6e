"""Finding 5 (issue 10): a deleted record keeps the same content on every laptop."""

from __future__ import annotations

from sync_helpers import Laptop
from test_conflicts import edit, everyone_syncs, shared_activity


def test_tombstone_content_is_causal_not_arrival_order(laptops: dict[str, Laptop]) -> None:
    amina, brian, coord = laptops["amina"], laptops["brian"], laptops["coord"]
    aid = shared_activity(laptops)
    edit(amina, aid, title="Amina's title")
    edit(brian, aid, title="Brian's title")
    brian.app.delete("activity", aid)
    # Coordinator gets Amina's edit first, Brian's edit and delete later; Brian gets
    # Amina's edit last: arrival orders differ, the kept content must not.
    coord.receive(amina.send(coord))
    coord.receive(brian.send(coord))
    everyone_syncs(laptops)
    kept = []
    for lap in (amina, brian, coord):
        rec = lap.app.get("activity", aid, include_deleted=True)
        assert rec is not None and rec.deleted
        kept.append(rec.body["title"])
    # The deletion's own parent (Brian's edit) is its nearest live ancestor.
    assert kept == ["Brian's title"] * 3
