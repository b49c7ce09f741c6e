"""No personal data sideways: CLI errors, logs and the files the app writes beside the
database never carry names, phone numbers or complaint text."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from ca_desktop import cli
from ca_desktop.services import protection
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync import keys
from tests.security.test_data_at_rest import COMPLAINT, NAME, PHONE, fill

MARKERS = (NAME, PHONE, COMPLAINT, "Markername")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "data"
    protection.create_encrypted(d, "a long test passphrase")
    app = CaDesktop.open(d)
    keys.ensure_keys(d, app.init_device("Officer", "officer", "UG-CP"))
    fill(app)
    app.close()
    protection.lock(d)
    phrase = tmp_path / "phrase.txt"
    phrase.write_text("a long test passphrase\n")
    monkeypatch.setenv("CA_DESKTOP_PASSPHRASE_FILE", str(phrase))
    monkeypatch.delenv(protection.NO_ENCRYPTION_ENV)
    yield d
    protection.lock(d)


def test_errors_logs_and_side_files_hold_no_personal_data(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    protection.unlock(folder, "a long test passphrase")
    app = CaDesktop.open(folder)
    rows = app.list_records("attendance_entry")
    grievance = app.list_records("grievance")[0]
    app.close()
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    os.chmod(blocked, 0o500)  # exports into it fail: their errors must not quote content
    outputs = []
    for argv in (
        ["history", rows[0].id],  # personal fields hidden without --personal
        ["history", grievance.id],
        ["export", "csv", "--records", "attendance_entry", "--out", str(blocked / "x.csv")],
        ["export", "csv", "--records", "grievance", "--out", str(blocked / "g.csv")],
        ["export", "xlsx", "--out", str(blocked / "all.xlsx")],
        ["bundle", "export", "--out", str(blocked / "b.cabundle")],
        ["db", "backup", "--out", str(blocked / "copy.sqlite")],
        ["db", "check"],
    ):
        cli.main(["--data-dir", str(folder), *argv])
        captured = capsys.readouterr()
        outputs.append(captured.err)
        if argv[0] != "history" or "--personal" in argv:
            outputs.append(captured.out)
    os.chmod(blocked, 0o700)
    text = "\n".join(outputs) + "\n" + caplog.text
    assert "ca-desktop:" in text  # the failures did happen and were reported
    for marker in MARKERS:
        assert marker not in text, marker
    written = [p for p in folder.rglob("*") if p.is_file()]
    assert written
    for path in written:
        data = path.read_bytes()
        for marker in MARKERS:
            assert marker.encode() not in data, (path, marker)
