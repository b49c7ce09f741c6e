"""Laptops on different versions keep exchanging bundles without losing a field."""

from __future__ import annotations

from pathlib import Path

import pytest
from schema_versions import CURRENT, NEWER, NEWEST, running
from sync_helpers import PROGRAMME, Laptop, activity, make_laptop, snapshot

from ca_desktop.domain import records, schema


@pytest.fixture
def trio(tmp_path: Path) -> dict[str, Laptop]:
    """An officer on each of three versions and a coordinator, who all trust each other."""
    labs = {
        "amina": make_laptop(tmp_path, "amina", "officer"),
        "brian": make_laptop(tmp_path, "brian", "officer"),
        "coord": make_laptop(tmp_path, "coord", "coordinator"),
    }
    for lab in labs.values():
        lab.trust(*(other for other in labs.values() if other is not lab))
    yield labs
    for lab in labs.values():
        lab.app.close()


def test_the_declared_shape_matches_the_schema_version() -> None:
    """Changing a record's shape must come with a new schema version (and an upgrade)."""
    assert schema.fingerprint() == schema.FINGERPRINTS[schema.SCHEMA_VERSION], (
        "the record declarations changed shape: raise SCHEMA_VERSION, add its Upgrade step "
        "(compatible or not) and record the new fingerprint in FINGERPRINTS"
    )
    versions = [u.version for u in schema.UPGRADES]
    assert versions == list(range(2, schema.SCHEMA_VERSION + 1))
    # The test versions below differ from the current one, so the check can fail.
    assert schema.fingerprint(NEWER.specs) != schema.fingerprint()


def test_a_new_field_survives_an_officer_on_the_previous_version(trio: dict[str, Laptop]) -> None:
    amina, coord = trio["amina"], trio["coord"]
    with running(CURRENT):  # the officer records it (officers change only their own records)
        pid = amina.app.save("programme", PROGRAMME).id
        rid = amina.app.save("activity", activity(pid)).id
        to_coord = amina.send(coord)
    with running(NEWER):  # the coordinator has upgraded and fills in the new field
        assert coord.receive(to_coord).status == "imported"
        coord.app.save("activity", {"budget": 1500}, rid)
        to_amina = coord.send(amina)
    with running(CURRENT):  # the officer has not
        assert amina.receive(to_amina).status == "imported"
        stored = amina.app.get("activity", rid)
        assert stored is not None and stored.body["budget"] == 1500
        # An editor of this version knows nothing of the budget: it sends what it shows.
        shown = {k: v for k, v in stored.body.items() if records.ACTIVITY.has_field(k)}
        amina.app.save(
            "activity", {**shown, "title": "Kisenyi forum (corrected)"}, rid, stored.rev_id
        )
        [_, edit] = [e for e in amina.app.history(rid) if e.author == "Amina"]
        assert [c.field for c in edit.changes] == ["title"]
        # History names the field it cannot edit, apart.
        [budget] = [e for e in amina.app.history(rid) if e.author == "Coord"]
        assert [c.field for c in budget.changes if not c.known] == ["budget"]
        back = amina.send(coord)
    with running(NEWER):
        assert coord.receive(back).status == "imported"
        body = coord.app.get("activity", rid).body
        assert body["budget"] == 1500 and body["title"] == "Kisenyi forum (corrected)"


def test_three_versions_exchange_and_an_incompatible_one_is_refused_by_name(
    trio: dict[str, Laptop],
) -> None:
    amina, brian, coord = trio["amina"], trio["brian"], trio["coord"]
    with running(CURRENT):
        pid = amina.app.save("programme", PROGRAMME).id
        old = amina.app.save("activity", activity(pid, notes="Water kiosk agreed")).id
        from_amina = amina.send(coord)
    with running(NEWER):
        new = brian.app.save("activity", activity(pid, title="Budget forum", budget=900)).id
        from_brian = brian.send(coord)
    with running(NEWEST):  # reads both older versions, upgrading on the way in
        assert coord.receive(from_amina).status == "imported"
        assert coord.receive(from_brian).status == "imported"
        upgraded = coord.app.get("activity", old)
        assert upgraded.body["remarks"] == "Water kiosk agreed" and "notes" not in upgraded.body
        assert coord.app.get("activity", new).body["budget"] == 900
        # History reads old revisions in today's shape: nothing "removed" by the rename.
        [created] = coord.app.history(old)
        assert "notes" not in {c.field for c in created.changes}
        coord.app.save("activity", {"remarks": "Water kiosk agreed; site chosen"}, old)
        to_brian, to_amina = coord.send(brian), coord.send(amina)
    for lab, version, bundle in ((brian, NEWER, to_brian), (amina, CURRENT, to_amina)):
        with running(version):
            before = snapshot(lab.app)
            result = lab.receive(bundle)
            assert result.status == "rejected"
            assert "needs CA Desktop 0.3.0 or newer" in result.reason
            assert snapshot(lab.app) == before


def test_a_relayed_old_revision_is_upgraded_by_its_own_schema(
    tmp_path: Path, trio: dict[str, Laptop]
) -> None:
    """A coordinator on 0.3.0 relays an officer's 0.1.0 revision: the revision says so."""
    amina, coord = trio["amina"], trio["coord"]
    hq = make_laptop(tmp_path, "hq", "coordinator")
    hq.trust(coord)
    coord.trust(hq)
    with running(CURRENT):
        pid = amina.app.save("programme", PROGRAMME).id
        rid = amina.app.save("activity", activity(pid, notes="Drainage")).id
        bundle = amina.send(coord)
    with running(NEWEST):
        coord.receive(bundle)
        relay = coord.send(hq, full=True)
        assert hq.receive(relay).status == "imported"
        assert hq.app.get("activity", rid).body["remarks"] == "Drainage"
    hq.app.close()


def test_a_record_type_from_a_newer_version_is_kept_and_relayed(
    tmp_path: Path, trio: dict[str, Laptop]
) -> None:
    """A coordinator on 0.1.0 relays savings groups it cannot show to an officer on 0.2.0."""
    amina, brian, coord = trio["amina"], trio["brian"], trio["coord"]
    with running(NEWER):
        group = amina.app.save("savings_group", {"name": "Tusubira women's group", "members": 24})
        bundle = amina.send(coord)
    with running(CURRENT):
        assert coord.receive(bundle).status == "imported"
        assert coord.app.find(group.id) is None  # nothing to show on this version
        [created] = coord.app.history(group.id)
        assert {(c.field, c.known) for c in created.changes} >= {("name", False)}
        assert coord.app.check() == []
        relay = coord.send(brian, full=True)
    with running(NEWER):
        assert brian.receive(relay).status == "imported"
        [seen] = brian.app.history(group.id)
        assert seen.rev_id == group.rev_id and seen.author == "Amina"
