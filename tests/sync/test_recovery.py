"""A forgotten passphrase loses nothing: the recovery code, and the coordinator's key."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ca_desktop import cli
from ca_desktop.services import protection, recovery_code
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync import keys
from ca_desktop.sync.recovery import PREFIX, seal_for_trusted_coordinators


def write(path: Path, text: str) -> Path:
    path.write_text(text + "\n", encoding="utf-8")
    return path


def run(data_dir: Path, *args: str, passphrase: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, CA_DESKTOP_PASSPHRASE_FILE=str(passphrase))
    env.pop("CA_DESKTOP_TEST_NO_ENCRYPTION", None)
    return subprocess.run(
        [sys.executable, "-m", "ca_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, env=env, input="", timeout=300,
    )


def test_the_recovery_code_shown_at_init_sets_a_new_passphrase(tmp_path: Path) -> None:
    d = tmp_path / "d"
    first = write(tmp_path / "first.txt", "the passphrase I forget")
    done = run(d, "init", "--name", "Amina Nakato", "--role", "officer", passphrase=first)
    assert done.returncode == 0, done.stderr
    code = re.search(r"shown only once\): (\S+)", done.stdout)
    assert code is not None and code.group(1) not in protection.protection_path(d).read_text()
    second = write(tmp_path / "second.txt", "a brand new passphrase")
    wrong = write(tmp_path / "wrong.txt", recovery_code.new_code())
    refused = run(d, "db", "recover", "--recovery-code-file", str(wrong), passphrase=second)
    assert refused.returncode == 2 and "recovery code is not right" in refused.stderr
    typed = write(tmp_path / "code.txt", code.group(1).lower().replace("-", " "))
    done = run(d, "db", "recover", "--recovery-code-file", str(typed), passphrase=second)
    assert done.returncode == 0, done.stderr
    assert run(d, "db", "check", passphrase=first).returncode == 2
    assert run(d, "history", "nonsense", passphrase=second).stderr.strip().endswith(
        "not a record id: 'nonsense'"
    )
    protection.unlock(d, "a brand new passphrase")
    app = CaDesktop.open(d)
    assert app.device() is not None and app.device().user_name == "Amina Nakato"  # type: ignore[union-attr]
    app.close()
    protection.lock(d)


def _folder(path: Path, phrase: str, name: str, role: str) -> tuple[CaDesktop, keys.DeviceKeys]:
    protection.create_encrypted(path, phrase)
    app = CaDesktop.open(path)
    info = app.init_device(name, role, "UG-CP")
    return app, keys.ensure_keys(path, info)


def test_the_coordinator_opens_a_forgotten_folder_with_their_own_key(tmp_path: Path) -> None:
    coord_dir, officer_dir = tmp_path / "coordinator", tmp_path / "officer"
    coord, coord_keys = _folder(coord_dir, "coordinator passphrase", "Kwame Mensah", "coordinator")
    officer, officer_keys = _folder(officer_dir, "forgotten passphrase", "Amina Nakato", "officer")
    record = officer.save("programme", {"code": "UG-CP", "name": "Uganda", "kind": "country_programme"})
    pub = keys.parse_public_key(
        json.dumps(keys.public_key_json(coord_keys, "Kwame Mensah", "coordinator")).encode()
    )
    keys.trust(
        officer.db.engine,
        pub,
        officer_keys.key_id,
        fingerprint=keys.fingerprint_of(coord_keys.key_id),
        role="coordinator",
    )
    assert seal_for_trusted_coordinators(officer_dir, officer.db.engine) == 1
    assert seal_for_trusted_coordinators(officer_dir, officer.db.engine) == 0  # once per key
    assert PREFIX + coord_keys.key_id in protection.recovery_slots(officer_dir)
    officer.close()
    coord.close()
    for folder in (coord_dir, officer_dir):
        protection.lock(folder)

    new = write(tmp_path / "new.txt", "the officer's new passphrase")
    coord_phrase = write(tmp_path / "coord.txt", "coordinator passphrase")
    status = cli.main([
        "--data-dir", str(officer_dir), "--passphrase-file", str(new), "db", "recover",
        "--with-coordinator-key", str(coord_dir), "--coordinator-passphrase-file", str(coord_phrase),
    ])  # fmt: skip
    assert status == 0
    protection.lock(officer_dir)
    protection.unlock(officer_dir, "the officer's new passphrase")
    again = CaDesktop.open(officer_dir)
    try:
        assert again.get("programme", record.id) is not None
    finally:
        again.close()
        for folder in (coord_dir, officer_dir):
            protection.lock(folder)


def test_a_folder_without_the_coordinators_box_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    coord_dir, officer_dir = tmp_path / "coordinator", tmp_path / "officer"
    coord, _ = _folder(coord_dir, "coordinator passphrase", "Kwame Mensah", "coordinator")
    officer, _ = _folder(officer_dir, "forgotten passphrase", "Amina Nakato", "officer")
    coord.close()
    officer.close()
    protection.lock(officer_dir)
    status = cli.main([
        "--data-dir", str(officer_dir), "--passphrase-file", str(write(tmp_path / "n.txt", "new passphrase")),
        "db", "recover", "--with-coordinator-key", str(coord_dir),
    ])  # fmt: skip
    assert status == 2 and "no recovery key for this coordinator" in capsys.readouterr().err
    for folder in (coord_dir, officer_dir):
        protection.lock(folder)
