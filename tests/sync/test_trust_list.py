"""The coordinator-signed key list: officers check one fingerprint, the coordinator's."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from sync_helpers import PROGRAMME, Laptop, activity, make_laptop

from ca_desktop.domain.canonical import canonical_json
from ca_desktop.store import backend
from ca_desktop.sync import keys, trust_list
from ca_desktop.sync.errors import BundleRejected


def roles(lap: Laptop) -> dict[str, tuple[str, bool, bool]]:
    """{name: (role, revoked, vouched by a list)}"""
    return {
        k.user_name: (k.role, k.revoked_at is not None, k.vouched_by is not None)
        for k in lap.sync.trusted_keys()
    }


def test_an_officer_learns_her_colleagues_from_the_coordinators_bundle(
    laptops: dict[str, Laptop],
) -> None:
    amina, brian, coord = laptops["amina"], laptops["brian"], laptops["coord"]
    assert roles(amina) == {"Coord": ("coordinator", False, False)}
    assert amina.receive(coord.send(amina)).status == "imported"
    assert roles(amina) == {
        "Coord": ("coordinator", False, False),
        "Brian": ("officer", False, True),
    }
    # Brian's work relayed or sent directly is now from a known key.
    pid = brian.app.save("programme", PROGRAMME).id
    brian.app.save("activity", activity(pid))
    path = brian.folder / "brian-plain.cabundle"
    brian.sync.export(path, plain=True)
    assert amina.receive(path, allow_plain=True).status == "imported"


def test_a_revocation_travels_with_the_next_list(laptops: dict[str, Laptop]) -> None:
    amina, brian, coord = laptops["amina"], laptops["brian"], laptops["coord"]
    amina.receive(coord.send(amina))
    coord.sync.revoke(brian.sync.own_key().fingerprint)
    amina.receive(coord.send(amina))
    assert roles(amina)["Brian"] == ("officer", True, True)
    path = brian.folder / "late.cabundle"
    brian.sync.export(path, plain=True)
    result = amina.receive(path)
    assert result.status == "rejected" and "revoked" in result.reason


def test_a_persons_own_choice_wins_over_a_list(laptops: dict[str, Laptop], tmp_path: Path) -> None:
    """Brian trusted here as an officer stays one, whatever the list says."""
    amina, brian, coord = laptops["amina"], laptops["brian"], laptops["coord"]
    amina.trust(brian)
    coord2 = make_laptop(tmp_path, "coord2", "coordinator")
    try:
        coord.trust(coord2)
        amina.receive(coord.send(amina))
        got = roles(amina)
        assert got["Brian"] == ("officer", False, False)
        assert got["Coord2"] == ("coordinator", False, True)
        # A key added by a list does not issue lists itself: no chains of trust.
        coord2.trust(laptops["coord"], amina)
        eve = make_laptop(tmp_path, "eve", "officer")
        try:
            coord2.trust(eve)
            coord2.app.save("programme", PROGRAMME)
            assert amina.receive(coord2.send(amina)).status == "imported"
            assert "Eve" not in roles(amina)
        finally:
            eve.app.close()
    finally:
        coord2.app.close()


def test_an_older_list_does_not_undo_a_newer_one(laptops: dict[str, Laptop]) -> None:
    amina, brian, coord = laptops["amina"], laptops["brian"], laptops["coord"]
    own = keys.load_keys(coord.data_dir)
    with coord.app.db.engine.connect() as conn:
        old = trust_list.build(conn, own, "1790000000000.00000")
    coord.sync.revoke(brian.sync.own_key().fingerprint)
    with coord.app.db.engine.connect() as conn:
        new = trust_list.build(conn, own, "1790000000001.00000")
    [signer] = [k for k in amina.sync.trusted_keys() if k.user_name == "Coord"]
    me = amina.sync.own_key()
    lists = [
        trust_list.read(_bundle(data), _manifest(), signer, me.key_id, (me.device_id,))
        for data in (old, new)
    ]
    with backend.write_transaction(amina.app.db.engine) as conn:
        trust_list.apply(conn, lists[0])
        trust_list.apply(conn, lists[1])
        trust_list.apply(conn, lists[0])  # arrives late: ignored
    assert roles(amina)["Brian"] == ("officer", True, True)


def _bundle(data: bytes) -> SimpleNamespace:
    return SimpleNamespace(chunks=lambda _name, _limit: iter([data]))


def _manifest(kind: str = "coordinator_return") -> SimpleNamespace:
    return SimpleNamespace(
        entries={trust_list.ENTRY: None}, requires=(trust_list.CAPABILITY,), kind=kind
    )


def test_a_forged_or_misplaced_list_is_refused(laptops: dict[str, Laptop]) -> None:
    amina, brian, coord = laptops["amina"], laptops["brian"], laptops["coord"]
    [signer] = [k for k in amina.sync.trusted_keys() if k.user_name == "Coord"]
    me = amina.sync.own_key()

    def read(data: bytes, kind: str = "coordinator_return") -> object:
        return trust_list.read(_bundle(data), _manifest(kind), signer, me.key_id, (me.device_id,))

    with coord.app.db.engine.connect() as conn:
        good = trust_list.build(conn, keys.load_keys(coord.data_dir), "1790000000000.00000")
    assert read(good) is not None
    with pytest.raises(BundleRejected, match="only accepted from a trusted coordinator"):
        read(good, kind="field_export")
    # Signed by someone else (Brian) but claiming the coordinator as issuer.
    with brian.app.db.engine.connect() as conn:
        forged = trust_list.build(conn, keys.load_keys(brian.data_dir), "1790000000000.00000")
    with pytest.raises(BundleRejected, match="issued by another key"):
        read(forged)
    doc = __import__("json").loads(forged)
    doc["list"]["issuer"] = signer.key_id
    with pytest.raises(BundleRejected, match="does not match its signature"):
        read(canonical_json(doc).encode())
    # An added entry breaks the coordinator's signature too.
    doc = __import__("json").loads(good)
    doc["list"]["keys"].append({**doc["list"]["keys"][0], "role": "coordinator"})
    with pytest.raises(BundleRejected, match="signature"):
        read(canonical_json(doc).encode())
