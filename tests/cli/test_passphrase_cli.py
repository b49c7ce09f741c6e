"""The passphrase on the command line: from a file, never a hang, one line when missing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ca_desktop.services import protection
from ca_desktop.services.app import CaDesktop


def run(data_dir: Path, *args: str, passphrase: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("CA_DESKTOP_DATA_DIR", "CA_DESKTOP_TEST_NO_ENCRYPTION", "CA_DESKTOP_PASSPHRASE_FILE"):
        env.pop(name, None)
    if passphrase is not None:
        env["CA_DESKTOP_PASSPHRASE_FILE"] = str(passphrase)
    return subprocess.run(
        [sys.executable, "-m", "ca_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, env=env, input="", timeout=300,
    )


def one_line(done: subprocess.CompletedProcess[str], needle: str) -> None:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in done.stderr, done.stderr


@pytest.fixture
def phrase(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text("a long test passphrase\n", encoding="utf-8")
    return path


def test_without_a_terminal_or_a_file_it_says_how_and_writes_nothing(tmp_path: Path) -> None:
    d = tmp_path / "d"
    one_line(run(d, "init", "--name", "A", "--role", "officer"), "--passphrase-file")
    assert not (d / "ca-desktop.sqlite").exists()


def test_init_with_a_passphrase_file_encrypts_and_a_wrong_one_is_refused(tmp_path: Path, phrase: Path) -> None:
    d = tmp_path / "d"
    assert run(d, "init", "--name", "Amina", "--role", "officer", passphrase=phrase).returncode == 0
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(d / "ca-desktop.sqlite").execute("SELECT * FROM sqlite_master").fetchall()
    done = run(d, "--passphrase-file", str(phrase), "db", "check")
    assert done.returncode == 0 and "ok" in done.stdout, done.stderr
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase")
    one_line(run(d, "db", "check", passphrase=wrong), "passphrase is not right")
    one_line(run(d, "db", "check"), "needs a passphrase")
    one_line(run(d, "db", "check", passphrase=tmp_path / "missing"), "no such passphrase file")


def test_init_no_encryption_makes_a_plain_folder(tmp_path: Path) -> None:
    d = tmp_path / "d"
    assert run(d, "init", "--name", "Demo", "--role", "officer", "--no-encryption").returncode == 0
    con = sqlite3.connect(d / "ca-desktop.sqlite")
    assert con.execute("SELECT user_name FROM local_device").fetchone() == ("Demo",)
    con.close()
    assert protection.state(d).plain_on_purpose
    assert run(d, "db", "check").returncode == 0  # no passphrase asked for later either


def test_a_database_from_before_encryption_is_converted_on_first_use(tmp_path: Path, phrase: Path) -> None:
    d = tmp_path / "d"
    app = CaDesktop.open(d)  # as an earlier version left it: plain, no key file
    app.init_device("Amina Nakato", "officer")
    app.db.backup_now("auto")
    app.close()
    done = run(d, "history", "01900000-0000-7000-8000-000000000000", passphrase=phrase)
    assert "now encrypted" in done.stderr and "other media" in done.stderr
    assert not sqlite3_readable(d / "ca-desktop.sqlite")
    assert not any(sqlite3_readable(b) for b in (d / "backups").glob("*.sqlite"))
    assert run(d, "db", "check", passphrase=phrase).returncode == 0


def sqlite3_readable(path: Path) -> bool:
    return path.read_bytes()[:16] == b"SQLite format 3\x00"
