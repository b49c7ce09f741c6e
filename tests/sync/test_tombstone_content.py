"""Finding 5 (issue 10): a deleted record keeps the same content on every laptop."""

from __future__ import annotations

from sync_helpers import Laptop
from test_conflicts import edit, everyone_syncs, shared_activity


def test_tombstone_content_is_causal_not_arrival_order(laptops: dict[str, Laptop]) -> None:
    amina, brian, coord = laptops["amina"], laptops["brian"], laptops["coord"]
    aid = shared_activity(laptops)
    edit(amina, aid, title="Amina's title")
    edit(coord, aid, title="Coord's title")
    coord.app.delete("activity", aid)
    # The coordinator has its own edit and delete before Amina's edit; Amina and Brian get
    # them after hers: arrival orders differ, the kept content must not.
    coord.receive(amina.send(coord))
    everyone_syncs(laptops)
    kept = []
    for lap in (amina, brian, coord):
        rec = lap.app.get("activity", aid, include_deleted=True)
        assert rec is not None and rec.deleted
        kept.append(rec.body["title"])
    # The deletion's own parent (the coordinator's edit) is its nearest live ancestor.
    assert kept == ["Coord's title"] * 3
