"""The coordinator's recovery key travels in the officer's next encrypted bundle.

Two real, encrypted data folders: the officer's bundle brings the sealed data key to the
coordinator, the coordinator writes a recovery file from their own laptop, and the officer
who forgot the passphrase sets a new one with it and the code read out by phone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ca_desktop import cli
from ca_desktop.services import protection
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync import keys, recovery_entry
from ca_desktop.sync.recovery import seal_for_trusted_coordinators
from ca_desktop.sync.service import SyncService
from tests.sync.sync_helpers import PROGRAMME


def _laptop(path: Path, phrase: str, name: str, role: str) -> tuple[CaDesktop, SyncService]:
    protection.create_encrypted(path, phrase)
    app = CaDesktop.open(path)
    info = app.init_device(name, role, "UG-CP")
    keys.ensure_keys(path, info)
    return app, SyncService(app)


def _trust(me: SyncService, other: SyncService, folder: Path) -> None:
    pub = folder / f"{other.own_key().key_id}.pub"
    other.export_public_key(pub)
    me.trust(pub, other.own_key().fingerprint, role=other.own_key().role)


def _write(path: Path, text: str) -> Path:
    path.write_text(text + "\n", encoding="utf-8")
    return path


@pytest.fixture
def pair(tmp_path: Path):  # type: ignore[no-untyped-def]
    officer_dir, coord_dir = tmp_path / "officer", tmp_path / "coordinator"
    officer, o_sync = _laptop(officer_dir, "forgotten passphrase", "Amina Nakato", "officer")
    coord, c_sync = _laptop(coord_dir, "coordinator passphrase", "Kwame Mensah", "coordinator")
    _trust(o_sync, c_sync, tmp_path)
    _trust(c_sync, o_sync, tmp_path)
    assert seal_for_trusted_coordinators(officer_dir, officer.db.engine) == 1  # at next start
    yield officer, o_sync, coord, c_sync
    officer.close()
    coord.close()
    for folder in (officer_dir, coord_dir):
        protection.lock(folder)


def test_a_forgotten_passphrase_is_recovered_through_the_coordinators_laptop(
    pair, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    officer, o_sync, coord, c_sync = pair
    officer_dir, coord_dir = officer.data_dir, coord.data_dir
    records = [officer.save("programme", PROGRAMME).id]
    records += [officer.save("programme", {**PROGRAMME, "code": f"UG-{i}"}).id for i in range(3)]
    coord_key = c_sync.own_key().key_id
    bundle = tmp_path / "amina.cabundle"
    o_sync.export(bundle, to=coord_key)
    [result] = c_sync.import_bundles([bundle])
    assert result.status == "imported", result.reason
    with coord.db.engine.connect() as conn:
        assert recovery_entry.stored(conn, o_sync.own_key().key_id) is not None
    officer_key = o_sync.own_key().fingerprint
    officer.close()
    protection.lock(officer_dir)  # the officer forgets the passphrase

    # The coordinator, on their own laptop, writes the recovery file and reads the code out.
    out = tmp_path / "amina.carecovery"
    status = cli.main(
        ["--data-dir", str(coord_dir), "keys", "recovery-for", officer_key, "--out", str(out)]
    )
    assert status == 0
    said = capsys.readouterr().out
    code = re.search(r"shown only once\): (\S+)", said)
    assert code is not None and code.group(1) not in out.read_text()
    new = _write(tmp_path / "new.txt", "the officer's new passphrase")
    wrong = _write(tmp_path / "wrong.txt", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF")
    base = ["--data-dir", str(officer_dir), "--passphrase-file", str(new), "db", "recover"]
    assert cli.main([*base, "--coordinator-file", str(out), "--code-file", str(wrong)]) == 2
    assert "does not open this recovery file" in capsys.readouterr().err
    assert cli.main([*base, "--coordinator-file", str(out)]) == 2
    assert (
        cli.main(
            [
                *base,
                "--coordinator-file",
                str(out),
                "--code-file",
                str(_write(tmp_path / "c.txt", code.group(1))),
            ]
        )
        == 0
    )
    protection.lock(officer_dir)
    with pytest.raises(protection.ProtectionError):
        protection.unlock(officer_dir, "forgotten passphrase")
    protection.unlock(officer_dir, "the officer's new passphrase")
    again = CaDesktop.open(officer_dir)
    try:
        assert all(again.get("programme", rid) is not None for rid in records)  # all back
    finally:
        again.close()


def test_the_file_is_for_one_laptop_and_the_key_needs_a_bundle(
    pair, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    officer, o_sync, coord, c_sync = pair
    fingerprint = o_sync.own_key().fingerprint
    out = tmp_path / "none.carecovery"
    status = cli.main(
        ["--data-dir", str(coord.data_dir), "keys", "recovery-for", fingerprint, "--out", str(out)]
    )
    assert status == 2 and "no recovery key has come" in capsys.readouterr().err
    assert not out.exists()
    # A plain bundle never carries it.
    plain = tmp_path / "plain.cabundle"
    o_sync.export(plain, plain=True)
    assert c_sync.import_bundles([plain], allow_plain=True)[0].status == "imported"
    with coord.db.engine.connect() as conn:
        assert recovery_entry.stored(conn, o_sync.own_key().key_id) is None
    # A recovery file for another laptop does not set a passphrase here.
    sealed = tmp_path / "sealed.cabundle"
    o_sync.export(sealed, to=c_sync.own_key().key_id)
    assert c_sync.import_bundles([sealed])[0].status == "imported"
    assert (
        cli.main(
            [
                "--data-dir",
                str(coord.data_dir),
                "keys",
                "recovery-for",
                fingerprint,
                "--out",
                str(out),
            ]
        )
        == 0
    )
    code = re.search(r"shown only once\): (\S+)", capsys.readouterr().out)
    assert code is not None
    other = tmp_path / "other"
    protection.create_encrypted(other, "another laptop")
    CaDesktop.open(other).close()
    protection.lock(other)
    new = _write(tmp_path / "new.txt", "a new passphrase here")
    status = cli.main([
        "--data-dir", str(other), "--passphrase-file", str(new), "db", "recover",
        "--coordinator-file", str(out), "--code-file", str(_write(tmp_path / "c.txt", code.group(1))),
    ])  # fmt: skip
    assert status == 2 and "for another laptop" in capsys.readouterr().err
    assert json.loads(out.read_text())["format"] == "ca-desktop-recovery-file"
    protection.lock(other)
