"""Attacks on trust (issue 11, items 1 and 2): a swapped or lying key file is not trusted.

Each attack was done for real against the earlier code: a key file trusted without its
fingerprint, a name that drew terminal escapes, a key claiming this laptop's device id or
another laptop's, and a file whose claimed role was believed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from ca_desktop.cli import main
from ca_desktop.sync import keys, trust_list
from ca_desktop.sync.errors import SyncError
from tests.sync.sync_helpers import PROGRAMME, Laptop, activity, make_laptop, snapshot


@pytest.fixture
def office(tmp_path: Path) -> dict[str, Laptop]:
    laps = {
        "amina": make_laptop(tmp_path, "amina", "officer"),
        "brian": make_laptop(tmp_path, "brian", "officer"),
        "coord": make_laptop(tmp_path, "coord", "coordinator"),
    }
    laps["amina"].trust(laps["coord"])
    yield laps
    for lap in laps.values():
        lap.app.close()


def run(lap: Laptop, *args: str) -> int:
    return main(["--data-dir", str(lap.data_dir), *args])


def forged_key(
    path: Path, device_id: str, name: str = "Coordinator", role: str = "coordinator"
) -> str:
    """A valid, self-signed key file made by an outsider, claiming `device_id`."""
    outsider = keys.DeviceKeys(device_id, Ed25519PrivateKey.generate(), X25519PrivateKey.generate())
    doc = keys.public_key_json(outsider, name, role)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(doc["fingerprint"])


def test_trust_without_the_fingerprint_is_refused_and_names_it(
    office: dict[str, Laptop], capsys: pytest.CaptureFixture[str]
) -> None:
    amina, brian = office["amina"], office["brian"]
    before = snapshot(amina.app)
    assert run(amina, "keys", "trust", str(brian.pubkey())) == 2
    err = capsys.readouterr().err
    assert brian.sync.own_key().fingerprint in err and "--fingerprint" in err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(amina.app) == before


def test_a_swapped_key_file_fails_the_fingerprint_check(
    office: dict[str, Laptop], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    amina, brian = office["amina"], office["brian"]
    swapped = tmp_path / "brian-swapped.pub"
    forged_key(swapped, "01890000-0000-7000-8000-000000000001", "Brian", "officer")
    before = snapshot(amina.app)
    real = brian.sync.own_key().fingerprint
    assert run(amina, "keys", "trust", str(swapped), "--fingerprint", real) == 2
    assert "does not match" in capsys.readouterr().err
    assert snapshot(amina.app) == before
    # Dashes, spaces and case do not count when the real file is checked.
    typed = real.lower().replace("-", " ")
    assert run(amina, "keys", "trust", str(brian.pubkey()), "--fingerprint", typed) == 0


def test_terminal_escapes_and_bidi_in_a_name_are_printed_visibly(
    office: dict[str, Laptop], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    amina = office["amina"]
    evil = "Eve\x1b[2J\x1b[1;1HThis laptop: 0000-0000\u202eFAKE\n  0000-0000  Coord"
    path = tmp_path / "eve.pub"
    fp = forged_key(path, "01890000-0000-7000-8000-000000000002", evil, "officer")
    assert run(amina, "keys", "trust", str(path), "--fingerprint", fp) == 0
    assert run(amina, "keys", "show") == 0
    out = capsys.readouterr().out
    for bad in ("\x1b", "\u202e"):
        assert bad not in out
    assert "␛[2J" in out and "<U+202E>FAKE" in out
    assert out.count("\n") == 1 + 1 + 2  # trust line; own line and two keys: no fake line


def test_a_key_claiming_this_laptops_own_device_is_refused(
    office: dict[str, Laptop], tmp_path: Path
) -> None:
    amina = office["amina"]
    path = tmp_path / "me.pub"
    fp = forged_key(path, amina.sync.own_key().device_id, "Amina", "officer")
    before = snapshot(amina.app)
    with pytest.raises(SyncError, match="claims to be this laptop"):
        amina.sync.trust(path, fp)
    assert snapshot(amina.app) == before


def test_a_key_claiming_another_laptops_device_is_refused(
    office: dict[str, Laptop], tmp_path: Path
) -> None:
    amina, coord = office["amina"], office["coord"]
    path = tmp_path / "fake-coord.pub"
    fp = forged_key(path, coord.sync.own_key().device_id)
    before = snapshot(amina.app)
    with pytest.raises(SyncError, match="belongs to Coord's key"):
        amina.sync.trust(path, fp, role="coordinator")
    assert snapshot(amina.app) == before


def test_trusting_again_never_changes_the_role(office: dict[str, Laptop]) -> None:
    amina, coord = office["amina"], office["coord"]
    fp = coord.sync.own_key().fingerprint
    with pytest.raises(SyncError, match="does not change its role"):
        amina.sync.trust(coord.pubkey(), fp, role="officer")
    [key] = amina.sync.trusted_keys()
    assert key.role == "coordinator"
    assert amina.sync.trust(coord.pubkey(), fp, role="coordinator").role == "coordinator"


def test_the_role_is_the_trusters_choice_not_the_files(
    office: dict[str, Laptop], tmp_path: Path
) -> None:
    """A key file saying "coordinator" trusted as an officer's cannot send reference data."""
    amina = office["amina"]
    mallory = make_laptop(tmp_path, "mallory", "coordinator")
    try:
        assert run(amina, "keys", "trust", str(mallory.pubkey()), "--fingerprint",
                   mallory.sync.own_key().fingerprint) == 0  # fmt: skip
        assert {k.user_name: k.role for k in amina.sync.trusted_keys()}["Mallory"] == "officer"
        mallory.app.save("programme", {**PROGRAMME, "name": "Renamed by Mallory"})
        path = tmp_path / "ref.cabundle"
        mallory.sync.export(path, plain=True, kind="reference_data")
        result = amina.receive(path)
        assert result.status == "rejected" and "coordinator" in result.reason
    finally:
        mallory.app.close()


def test_inspect_and_import_name_the_sender_by_its_trusted_key(
    office: dict[str, Laptop], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trusted officer renames herself "Coord" in her bundles: the reader is not fooled."""
    amina, brian = office["amina"], office["brian"]
    brian.trust(amina)
    amina.app.save("programme", PROGRAMME)  # authored "Amina", as her key was trusted
    amina.app.init_device("Coord", "officer", "UG-CP")  # the name her manifests now claim
    path = tmp_path / "from-amina.cabundle"
    amina.sync.export(path, plain=True)
    short = amina.sync.own_key().fingerprint[:9]
    assert run(brian, "bundle", "inspect", str(path)) == 0
    out = capsys.readouterr().out
    assert f"signer: Amina · {short} (officer), signature verified" in out
    assert run(brian, "bundle", "import", "--allow-plain", str(path)) == 0
    assert f"imported from Amina · {short}" in capsys.readouterr().out


def test_export_to_a_revoked_or_untrusted_key_file_is_refused(
    office: dict[str, Laptop], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    amina, coord = office["amina"], office["coord"]
    coord.trust(amina)
    coord.sync.revoke(amina.sync.own_key().fingerprint)
    out = tmp_path / "x.cabundle"
    assert run(coord, "bundle", "export", "--out", str(out), "--to", str(amina.pubkey())) == 2
    assert "revoked" in capsys.readouterr().err and not out.exists()
    outsider = tmp_path / "outsider.pub"
    forged_key(outsider, "01890000-0000-7000-8000-000000000003", "Brian", "officer")
    assert run(coord, "bundle", "export", "--out", str(out), "--to", str(outsider)) == 2
    assert "not trusted here" in capsys.readouterr().err and not out.exists()


def test_a_key_claiming_a_laptop_whose_relayed_work_names_another_key_is_refused(
    office: dict[str, Laptop], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Amina holds Brian's work, relayed by the coordinator with Brian's signatures, but not
    Brian's key (the list that would add it has not come yet): a key file claiming Brian's
    laptop is still refused."""
    amina, brian, coord = office["amina"], office["brian"], office["coord"]
    coord.trust(amina, brian)
    brian.trust(coord)
    pid = brian.app.save("programme", PROGRAMME).id
    brian.app.save("activity", activity(pid))
    assert coord.receive(brian.send(coord)).status == "imported"
    monkeypatch.setattr(trust_list, "apply", lambda _conn, _list: None)
    assert amina.receive(coord.send(amina)).status == "imported"
    assert "Brian" not in {k.user_name for k in amina.sync.trusted_keys()}
    path = tmp_path / "fake-brian.pub"
    fp = forged_key(path, brian.sync.own_key().device_id, "Brian", "officer")
    with pytest.raises(SyncError, match="belongs to another key"):
        amina.sync.trust(path, fp)


def test_a_bundle_file_name_with_escapes_is_printed_visibly(
    office: dict[str, Laptop], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "evil\x1b]0;pwned\x07\u202egpj.cabundle"
    path.write_bytes(b"not a bundle")
    assert run(office["amina"], "bundle", "import", str(path)) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err
    assert "evil␛]0;pwned␇<U+202E>gpj.cabundle: rejected" in err
