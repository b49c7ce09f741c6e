"""The data key: wrapped with the passphrase, unlocked per process, rewrapped on change."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from ca_desktop.services import protection
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.errors import DatabaseLocked


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    yield tmp_path / "data"
    protection.lock(tmp_path / "data")


def test_a_new_folder_is_encrypted_and_opens_only_unlocked(folder: Path) -> None:
    protection.create_encrypted(folder, "first passphrase")
    app = CaDesktop.open(folder)
    app.init_device("Amina Nakato", "officer")
    assert app.encrypted
    app.close()
    protection.lock(folder)
    with pytest.raises(DatabaseLocked):
        CaDesktop.open(folder)
    with pytest.raises(protection.WrongPassphrase):
        protection.unlock(folder, "not the passphrase")
    protection.unlock(folder, "first passphrase")
    again = CaDesktop.open(folder)
    assert again.device() is not None and again.device().user_name == "Amina Nakato"  # type: ignore[union-attr]
    again.close()


def test_changing_the_passphrase_rewraps_and_leaves_the_database_alone(folder: Path) -> None:
    protection.create_encrypted(folder, "first passphrase")
    app = CaDesktop.open(folder)
    app.init_device("Amina Nakato", "officer")
    app.close()
    digest = hashlib.sha256((folder / "ca-desktop.sqlite").read_bytes()).hexdigest()
    protection.change_passphrase(folder, "first passphrase", "second passphrase")
    protection.lock(folder)
    with pytest.raises(protection.WrongPassphrase):
        protection.unlock(folder, "first passphrase")
    protection.unlock(folder, "second passphrase")
    assert hashlib.sha256((folder / "ca-desktop.sqlite").read_bytes()).hexdigest() == digest
    CaDesktop.open(folder).close()


def test_the_stored_cost_is_never_lowered(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(protection.TEST_COST_ENV, "12")
    protection.create_encrypted(folder, "first passphrase")
    monkeypatch.setenv(protection.TEST_COST_ENV, "10")
    protection.change_passphrase(folder, "first passphrase", "second passphrase")
    stored = json.loads(protection.protection_path(folder).read_text())
    assert stored["kdf"]["log2_n"] == 12


def test_without_the_test_variable_the_real_cost_is_used(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(protection.TEST_COST_ENV)
    assert protection._new_cost(None) == protection.DEFAULT_COST
    monkeypatch.setenv(protection.TEST_COST_ENV, "3")  # out of range: ignored
    assert protection._new_cost(None) == protection.DEFAULT_COST


def test_a_plain_folder_is_marked_and_stays_plain(folder: Path) -> None:
    protection.mark_plain(folder)
    state = protection.state(folder)
    assert state.plain_on_purpose and not state.encrypted and not state.needs_conversion
    app = CaDesktop.open(folder)
    assert not app.encrypted
    app.close()


def test_a_backup_from_before_encryption_is_restored_encrypted(folder: Path, tmp_path: Path) -> None:
    from ca_desktop.services.convert import convert_to_encrypted
    from ca_desktop.services.data_folder import check_database_file, restore_backup

    app = CaDesktop.open(folder)  # an earlier version's plain folder, with a backup on a stick
    app.init_device("Amina Nakato", "officer")
    old = app.save("programme", {"code": "UG-CP", "name": "Uganda", "kind": "country_programme"})
    stick = app.backup(tmp_path / "stick.sqlite")
    app.close()
    convert_to_encrypted(folder, "first passphrase")
    restore_backup(folder, stick)
    assert not (folder / "ca-desktop.sqlite").read_bytes().startswith(b"SQLite format 3")
    check_database_file(folder / "ca-desktop.sqlite")
    for kept in (folder / "backups").glob("*.sqlite"):
        check_database_file(kept)  # encrypted backups are read with the folder's key
    again = CaDesktop.open(folder)
    assert again.encrypted and again.get("programme", old.id) is not None
    again.close()
