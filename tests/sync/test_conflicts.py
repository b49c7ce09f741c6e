"""Two people edit one record: classification, the shown winner, review and resolution."""

from __future__ import annotations

import pytest
from sync_helpers import PROGRAMME, Laptop, activity, replica_state

from ca_desktop.sync.errors import SyncError


def shared_activity(laptops: dict[str, Laptop]) -> str:
    """An activity Amina recorded that Brian has received through the coordinator."""
    amina, brian, coord = laptops["amina"], laptops["brian"], laptops["coord"]
    pid = amina.app.save("programme", PROGRAMME).id
    aid = amina.app.save("activity", activity(pid)).id
    coord.receive(amina.send(coord))
    amina.receive(coord.send(amina))
    brian.receive(coord.send(brian))
    return aid


def edit(lap: Laptop, aid: str, **changes: object) -> None:
    rec = lap.app.get("activity", aid)
    assert rec is not None
    lap.app.save("activity", {**rec.body, **changes}, record_id=aid)


def both_to_coordinator(laptops: dict[str, Laptop]) -> None:
    coord = laptops["coord"]
    for name in ("amina", "brian"):
        assert coord.receive(laptops[name].send(coord)).status == "imported"


def everyone_syncs(laptops: dict[str, Laptop]) -> None:
    amina, brian, coord = laptops["amina"], laptops["brian"], laptops["coord"]
    for _ in range(2):
        coord.receive(amina.send(coord))
        coord.receive(brian.send(coord))
        amina.receive(coord.send(amina))
        brian.receive(coord.send(brian))


def test_different_fields_give_a_soft_conflict_with_a_merge(laptops: dict[str, Laptop]) -> None:
    aid = shared_activity(laptops)
    edit(laptops["amina"], aid, title="Forum (minutes typed)")
    edit(laptops["brian"], aid, notes="Water kiosk discussed")
    both_to_coordinator(laptops)
    coord = laptops["coord"]
    [c] = coord.sync.conflicts()
    assert c.kind == "soft" and c.record_id == aid and len(c.versions) == 2
    assert c.base is not None and c.base.body["title"] == "Kisenyi settlement forum"
    assert c.proposed is not None
    assert c.proposed["title"] == "Forum (minutes typed)" and c.proposed["notes"] == "Water kiosk discussed"
    assert {v.author for v in c.versions} == {"Amina", "Brian"}
    coord.sync.resolve(aid, accept_merge=True)
    assert coord.sync.conflicts() == []
    everyone_syncs(laptops)
    states = [replica_state(laptops[n].app) for n in ("amina", "brian", "coord")]
    assert states[0] == states[1] == states[2]
    histories = [[(e.rev_id, e.author) for e in laptops[n].app.history(aid)] for n in laptops]
    assert histories[0] == histories[1] == histories[2] and len(histories[0]) == 4
    assert {a for _, a in histories[0]} == {"Amina", "Brian", "Coord"}
    for name in ("amina", "brian"):
        rec = laptops[name].app.get("activity", aid)
        assert rec is not None and rec.heads == 1
        assert rec.body["title"] == "Forum (minutes typed)" and rec.body["notes"] == "Water kiosk discussed"
        assert laptops[name].sync.conflicts() == []


def test_same_field_is_hard_and_resolved_per_field(laptops: dict[str, Laptop]) -> None:
    aid = shared_activity(laptops)
    edit(laptops["amina"], aid, title="Amina's title", female_youth=6)
    edit(laptops["brian"], aid, title="Brian's title")
    both_to_coordinator(laptops)
    coord = laptops["coord"]
    [c] = coord.sync.conflicts()
    assert c.kind == "hard" and c.hard_fields == ("title",) and c.proposed is None
    with pytest.raises(SyncError, match="hard conflict"):
        coord.sync.resolve(aid, accept_merge=True)
    brian_rev = next(v.rev_id for v in c.versions if v.author == "Brian")
    amina_rev = next(v.rev_id for v in c.versions if v.author == "Amina")
    coord.sync.resolve(aid, fields={"title": brian_rev[:10], "female_youth": amina_rev[:10]})
    everyone_syncs(laptops)
    for name in ("amina", "brian", "coord"):
        rec = laptops[name].app.get("activity", aid)
        assert rec is not None and rec.heads == 1
        assert (rec.body["title"], rec.body["female_youth"]) == ("Brian's title", 6)


def test_edit_against_delete_is_hard_and_the_deletion_shows(laptops: dict[str, Laptop]) -> None:
    aid = shared_activity(laptops)
    laptops["amina"].app.delete("activity", aid)
    edit(laptops["brian"], aid, notes="late edit")
    both_to_coordinator(laptops)
    coord = laptops["coord"]
    [c] = coord.sync.conflicts()
    assert c.kind == "hard" and "deleted" in c.reason
    # A late edit never brings a deleted record back...
    assert coord.app.get("activity", aid) is None
    # ...but it is kept, and the reviewer may restore it.
    edit_rev = next(v.rev_id for v in c.versions if not v.deleted)
    coord.sync.resolve(aid, take=edit_rev)
    everyone_syncs(laptops)
    for name in ("amina", "brian", "coord"):
        rec = laptops[name].app.get("activity", aid)
        assert rec is not None and rec.body["notes"] == "late edit" and rec.heads == 1


def test_winner_is_identical_everywhere_before_resolution(laptops: dict[str, Laptop]) -> None:
    aid = shared_activity(laptops)
    edit(laptops["amina"], aid, title="A")
    edit(laptops["brian"], aid, title="B")
    everyone_syncs(laptops)
    shown = {laptops[n].app.get("activity", aid).rev_id for n in ("amina", "brian", "coord")}  # type: ignore[union-attr]
    assert len(shown) == 1
    lines = {tuple((c.record_id, c.kind, c.winner) for c in laptops[n].sync.conflicts()) for n in laptops}
    assert len(lines) == 1
