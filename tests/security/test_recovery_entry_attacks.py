"""A sealed data key in a bundle: only encrypted, only the signer's own, only for us."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ca_desktop.domain.canonical import canonical_json
from ca_desktop.sync import recovery_entry
from ca_desktop.sync.envelope import encrypt_stream
from ca_desktop.sync.keys import parse_public_key
from ca_desktop.sync.recovery import seal_to
from tests.sync.sync_helpers import Laptop, forge, make_laptop


@pytest.fixture
def lan(tmp_path: Path):  # type: ignore[no-untyped-def]
    laps = {
        n: make_laptop(tmp_path, n, r)
        for n, r in (("amina", "officer"), ("brian", "officer"), ("coord", "coordinator"))
    }
    laps["coord"].trust(laps["amina"], laps["brian"])
    yield laps
    for lap in laps.values():
        lap.app.close()


def _entry(officer: Laptop, coord: Laptop, **change: str) -> bytes:
    pub = parse_public_key(coord.pubkey().read_bytes())
    doc = {
        "format": recovery_entry.FORMAT, "version": 1,
        "officer": officer.sync.own_key().key_id, "coordinator": pub.key_id,
        **seal_to(pub.x25519(), b"k" * 32), **change,
    }  # fmt: skip
    return canonical_json(doc).encode()


def _bundle(signer: Laptop, coord: Laptop, entry: bytes, path: Path, encrypt: bool = True) -> Path:
    def patch(doc: dict) -> None:  # type: ignore[type-arg]
        doc["requires"] = sorted({*doc["requires"], recovery_entry.CAPABILITY})
        if encrypt:
            doc["recipient"] = coord.sync.own_key().key_id

    plain = forge(signer, [], extra={recovery_entry.ENTRY: entry}, patch=patch)
    if encrypt:
        out = io.BytesIO()
        encrypt_stream(io.BytesIO(plain), out, parse_public_key(coord.pubkey().read_bytes()))
        plain = out.getvalue()
    path.write_bytes(plain)
    return path


def _stored(coord: Laptop, officer: Laptop) -> object:
    with coord.app.db.engine.connect() as conn:
        return recovery_entry.stored(conn, officer.sync.own_key().key_id)


def test_the_honest_entry_is_kept(lan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    amina, coord = lan["amina"], lan["coord"]
    result = coord.receive(_bundle(amina, coord, _entry(amina, coord), tmp_path / "ok.cabundle"))
    assert result.status == "imported", result.reason
    assert _stored(coord, amina) is not None


def test_a_recovery_entry_in_a_plain_bundle_is_refused(lan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    amina, coord = lan["amina"], lan["coord"]
    path = _bundle(amina, coord, _entry(amina, coord), tmp_path / "p.cabundle", encrypt=False)
    result = coord.receive(path, allow_plain=True)
    assert result.status == "rejected" and "only accepted in a bundle encrypted" in result.reason
    assert _stored(coord, amina) is None


def test_another_officers_box_relayed_by_a_signer_is_refused(lan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    amina, brian, coord = lan["amina"], lan["brian"], lan["coord"]
    path = _bundle(brian, coord, _entry(amina, coord), tmp_path / "relay.cabundle")
    result = coord.receive(path)
    assert result.status == "rejected" and "not the signer's" in result.reason
    assert _stored(coord, amina) is None and _stored(coord, brian) is None


def test_a_box_that_does_not_open_or_names_another_coordinator_is_refused(
    lan, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    amina, brian, coord = lan["amina"], lan["brian"], lan["coord"]
    other = parse_public_key(brian.pubkey().read_bytes())
    sealed_elsewhere = seal_to(other.x25519(), b"k" * 32)  # a box coord cannot open
    bad = coord.receive(
        _bundle(amina, coord, _entry(amina, coord, **sealed_elsewhere), tmp_path / "a.cabundle")
    )
    assert bad.status == "rejected" and "does not open" in bad.reason
    named = _entry(amina, coord, coordinator=other.key_id)
    bad = coord.receive(_bundle(amina, coord, named, tmp_path / "b.cabundle"))
    assert bad.status == "rejected" and "sealed to another key" in bad.reason
    unrequired = forge(amina, [], extra={recovery_entry.ENTRY: _entry(amina, coord)})
    (tmp_path / "c.cabundle").write_bytes(unrequired)
    bad = coord.receive(tmp_path / "c.cabundle", allow_plain=True)
    assert bad.status == "rejected" and "requirement do not match" in bad.reason
    assert _stored(coord, amina) is None
