"""Round trips between two officers and a coordinator: keys, receipts, idempotence."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sync_helpers import PROGRAMME, Laptop, activity, snapshot

from ca_desktop.domain.jobs import Cancelled
from ca_desktop.services.attachments import attach_file, blob_path
from ca_desktop.sync.envelope import MAGIC
from ca_desktop.sync.errors import SyncError
from ca_desktop.sync.keys import key_path


def test_keys_are_created_at_init_and_private(laptops: dict[str, Laptop]) -> None:
    amina = laptops["amina"]
    path = key_path(amina.data_dir)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    own = amina.sync.own_key()
    assert len(own.fingerprint) == 24 and own.fingerprint.count("-") == 4
    assert "private" not in amina.pubkey().read_text()


def test_bundle_is_encrypted_and_round_trips(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    pid = amina.app.save("programme", PROGRAMME).id
    secret = "Nakato Phone 0772123456"
    amina.app.save("activity", activity(pid, notes=secret))
    path = amina.send(coord)
    raw = path.read_bytes()
    assert raw.startswith(MAGIC) and secret.encode() not in raw and b"Kisenyi" not in raw
    result = coord.receive(path)
    assert result.status == "imported" and result.records_new == 2
    [act] = coord.app.list_records("activity")
    assert act.body["notes"] == secret
    # The officer's revisions keep their author and device.
    assert act.updated_by == "Amina"


def test_second_import_changes_nothing(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    amina.app.save("programme", PROGRAMME)
    path = amina.send(coord)
    assert coord.receive(path).status == "imported"
    before = snapshot(coord.app)
    again = coord.receive(path)
    assert again.status == "unchanged" and "already imported" in again.reason
    assert snapshot(coord.app) == before


def test_export_is_cumulative_since_the_receipt(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    pid = amina.app.save("programme", PROGRAMME).id
    first = amina.send(coord)  # lost on the way
    amina.app.save("activity", activity(pid))
    second = amina.send(coord)
    assert coord.receive(second).records_new == 2  # carries what the lost one had
    assert amina.app.unsent_changes() == 2
    ret = coord.send(amina)
    assert amina.receive(ret).status == "imported"
    assert amina.app.unsent_changes() == 0  # the coordinator's receipt acknowledged both
    amina.app.save("activity", activity(pid, title="Second forum"))
    third = amina.send(coord)
    from ca_desktop.sync.keys import load_keys
    from ca_desktop.sync.reader import OpenBundle

    with OpenBundle(third, load_keys(coord.data_dir), coord.data_dir / "tmp") as b:
        assert b.manifest.revisions == 1  # only what the receipt does not cover
    assert coord.receive(first).status == "imported"  # a late, older field export is harmless
    assert coord.receive(third).records_new == 1


def test_coordinator_relays_between_officers(laptops: dict[str, Laptop]) -> None:
    amina, brian, coord = laptops["amina"], laptops["brian"], laptops["coord"]
    pid = amina.app.save("programme", PROGRAMME).id
    amina.app.save("activity", activity(pid))
    coord.receive(amina.send(coord))
    result = brian.receive(coord.send(brian))
    assert result.status == "imported" and result.records_new == 2
    assert [a.body["title"] for a in brian.app.list_records("activity")] == ["Kisenyi settlement forum"]
    assert any(d.name == "Amina" for d in brian.sync.known_devices())


def test_attachments_travel_with_their_blob(laptops: dict[str, Laptop], tmp_path: Path) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    pid = amina.app.save("programme", PROGRAMME).id
    act = amina.app.save("activity", activity(pid))
    photo = tmp_path / "forum.jpg"
    photo.write_bytes(os.urandom(5000))
    att = attach_file(amina.app, "activity", act.id, photo)
    result = coord.receive(amina.send(coord))
    assert result.status == "imported"
    assert blob_path(coord.data_dir / "blobs", att.body["sha256"]).read_bytes() == photo.read_bytes()


def test_plain_bundle_and_reference_data(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    pid = coord.app.save("programme", PROGRAMME).id
    coord.app.save("activity", activity(pid))
    path = coord.folder / "reference.cabundle"
    res = coord.sync.export(path, kind="reference_data", plain=True)
    assert res.revisions == 1 and not res.encrypted
    assert path.read_bytes().startswith(b"PK\x03\x04")
    result = amina.receive(path)
    assert result.status == "imported" and amina.app.count("programme") == 1
    assert amina.app.count("activity") == 0


def test_officer_cannot_write_coordinator_bundles(laptops: dict[str, Laptop]) -> None:
    with pytest.raises(SyncError, match="only a coordinator"):
        laptops["amina"].sync.export(laptops["amina"].folder / "x.cabundle", kind="reference_data", plain=True)


def test_revoked_key_is_refused(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    amina.app.save("programme", PROGRAMME)
    path = amina.send(coord)
    coord.sync.revoke(amina.sync.own_key().fingerprint)
    result = coord.receive(path)
    assert result.status == "rejected" and "revoked" in result.reason
    with pytest.raises(SyncError, match="revoked"):
        coord.sync.trust(amina.pubkey(), amina.sync.own_key().fingerprint)


def test_export_without_recipient_needs_plain(laptops: dict[str, Laptop], tmp_path: Path) -> None:
    coord = laptops["coord"]
    with pytest.raises(SyncError, match="choose one with --to"):
        coord.sync.export(tmp_path / "x.cabundle")
    assert not (tmp_path / "x.cabundle").exists()


def test_cancelled_export_leaves_nothing(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    amina.app.save("programme", PROGRAMME)
    out = amina.folder / "cancel.cabundle"
    with pytest.raises(Cancelled):
        amina.sync.export(out, to=coord.pubkey(), progress=lambda done, total: False)
    assert not out.exists()
    assert not list(amina.folder.glob(".cancel.cabundle*"))


def test_import_progress_and_cancel(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    amina.app.save("programme", PROGRAMME)
    path = amina.send(coord)
    before = snapshot(coord.app)
    with pytest.raises(Cancelled):
        coord.sync.import_bundles([path], bundle_progress=lambda done, total: False)
    assert snapshot(coord.app) == before
    seen: list[tuple[int, int]] = []
    [result] = coord.sync.import_bundles([path], bundle_progress=lambda d, t: seen.append((d, t)) or True)
    assert result.status == "imported" and seen[-1] == (2, 2)
