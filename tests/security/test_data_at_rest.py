"""Attacks on a copied data folder: without the passphrase nothing personal is readable.

Before encryption the database, its WAL and backups, drafts and the private-key file held
names, phone numbers and complaints in clear, in world-readable files.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from ca_desktop.services import protection
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.attachments import attach_file
from ca_desktop.services.drafts import save_draft
from ca_desktop.sync import keys

NAME, PHONE, COMPLAINT = "Zawadi Markername", "+256700999123", "Complaintmarker about the kiosk"
TITLE = "Titlemarker settlement forum"


def fill(app: CaDesktop) -> None:
    programme = app.save(
        "programme", {"code": "UG-CP", "name": "Uganda", "kind": "country_programme"}
    ).id
    activity = app.save(
        "activity",
        {
            "programme_id": programme, "level": "community", "type": "settlement_forum",
            "title": TITLE, "start_date": "2026-03-01", "status": "completed",
        },
    ).id
    for line in range(50):
        app.save(
            "attendance_entry",
            {"activity_id": activity, "line": line, "name": f"{NAME} {line}", "sex": "female",
             "age_band": "15_24", "phone": PHONE},
        )  # fmt: skip
    app.save(
        "grievance",
        {"date_received": "2026-03-02", "channel": "phone", "category": "other",
         "description": COMPLAINT, "complainant": NAME, "status": "open"},
    )  # fmt: skip
    save_draft(app, "attendance_entry:new", {"name": NAME, "phone": PHONE})
    photo = app.data_dir.parent / "register-photo.txt"
    photo.write_text(f"Register: {NAME}, {PHONE}\n" * 100, encoding="utf-8")
    attach_file(app, "activity", activity, photo)
    photo.unlink()
    app.backup_if_due()
    app.db.backup_now()


def every_file(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.fixture
def encrypted_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    protection.create_encrypted(folder, "a long test passphrase")
    app = CaDesktop.open(folder)
    info = app.init_device("Officer Markername", "officer")
    keys.ensure_keys(folder, info)
    fill(app)
    # The WAL is read while it still holds the latest pages (no close, no checkpoint).
    files = {p: p.read_bytes() for p in every_file(folder)}
    app.close()
    protection.lock(folder)
    (tmp_path / "seen-while-open.json").write_text(
        json.dumps({str(p): b.hex() for p, b in files.items()})
    )
    return folder


def test_no_personal_text_in_any_file_of_the_folder(encrypted_folder: Path, tmp_path: Path) -> None:
    seen = json.loads((tmp_path / "seen-while-open.json").read_text())
    contents = [bytes.fromhex(h) for h in seen.values()]
    contents += [p.read_bytes() for p in every_file(encrypted_folder)]
    names = {Path(p).name for p in seen} | {p.name for p in every_file(encrypted_folder)}
    assert any(n.endswith("-wal") for n in names), names  # the WAL was there and was read
    assert any(n.endswith(".json") and "draft" not in n for n in names)
    assert any(p.parent.parent.name == "blobs" for p in every_file(encrypted_folder))
    for marker in (NAME, PHONE, COMPLAINT, TITLE, "Markername", "signing_private"):
        for variant in (marker.encode(), marker.encode("utf-16-le")):
            assert not any(variant in blob for blob in contents), marker


def test_the_private_keys_cannot_be_read_without_the_passphrase(encrypted_folder: Path) -> None:
    with pytest.raises(keys.SyncError, match="locked"):
        keys.load_keys(encrypted_folder)
    protection.unlock(encrypted_folder, "a long test passphrase")
    assert keys.load_keys(encrypted_folder).device_id


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_folder_is_0700_and_files_0600(encrypted_folder: Path) -> None:
    assert stat.S_IMODE(encrypted_folder.stat().st_mode) == 0o700
    for path in encrypted_folder.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.is_dir():
            assert mode & 0o077 == 0, (path, oct(mode))
        else:
            assert mode & 0o077 == 0, (path, oct(mode))


def test_a_tampered_key_file_is_refused_not_trusted(encrypted_folder: Path) -> None:
    path = protection.protection_path(encrypted_folder)
    data = json.loads(path.read_text())
    data["kdf"]["log2_n"] = 40  # a file that would make unlocking take forever
    path.write_text(json.dumps(data))
    with pytest.raises(protection.ProtectionError, match="out of range"):
        protection.unlock(encrypted_folder, "a long test passphrase")
    path.write_bytes(b"{" * 100_000)
    with pytest.raises(protection.ProtectionError, match="too large"):
        protection.unlock(encrypted_folder, "a long test passphrase")


def strings(blob: bytes, least: int = 6) -> list[str]:
    """What `strings` shows an attacker: runs of printable ASCII, and of UTF-16LE text."""
    import re

    found = [m.decode() for m in re.findall(rb"[\x20-\x7e]{%d,}" % least, blob)]
    wide = re.findall(rb"(?:[\x20-\x7e]\x00){%d,}" % least, blob)
    return found + [m.decode("utf-16-le") for m in wide]


def test_a_copied_folder_with_demo_data_gives_no_name_phone_or_title(tmp_path: Path) -> None:
    """Issue 14's "done when": the whole folder of a laptop in use (database and WAL,
    backups, attachments, drafts, keys), copied as it is, shows no name, phone number,
    complaint or title to `strings`."""
    import shutil

    from ca_desktop.services.demo import generate_demo

    folder = tmp_path / "data"
    protection.create_encrypted(folder, "a long test passphrase")
    app = CaDesktop.open(folder)
    keys.ensure_keys(folder, app.init_device("Officer Markername", "officer", "UG-CP"))
    generate_demo(app, 40, seed=3)
    fill(app)
    secrets: set[str] = {NAME, PHONE, COMPLAINT, TITLE, "Officer Markername"}
    for row in app.list_records("attendance_entry"):
        secrets |= {str(row.body.get(f) or "") for f in ("name", "phone")}
    for row in app.list_records("activity"):
        secrets.add(str(row.body.get("title") or ""))
    for row in app.list_records("grievance"):
        secrets |= {str(row.body.get(f) or "") for f in ("complainant", "description")}
    secrets = {s for s in secrets if len(s) >= 6}
    assert len(secrets) > 60  # demo names, phones and titles, not only the markers
    copy = tmp_path / "stolen"
    shutil.copytree(folder, copy)  # while the app runs: the WAL is part of the copy
    app.close()
    protection.lock(folder)

    files = every_file(copy)
    kinds = {p.relative_to(copy).parts[0] for p in files} | {p.name for p in files}
    for expected in ("ca-desktop.sqlite", "ca-desktop.sqlite-wal", "backups", "blobs",
                     "drafts", "keys"):  # fmt: skip
        assert expected in kinds, (expected, sorted(kinds))
    shown = "\n".join(s for path in files for s in strings(path.read_bytes()))
    leaked = sorted(s for s in secrets if s in shown)
    assert leaked == [], leaked[:5]
