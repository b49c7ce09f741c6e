"""The command line as a user meets it: real processes, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ca_desktop import __version__


def run(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("CA_DESKTOP_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "ca_desktop", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, env=env, input=stdin, timeout=300,
    )


def assert_clean_failure(done: subprocess.CompletedProcess[str], needle: str) -> None:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], done.stderr


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("cli") / "data"
    assert run(d, "init", "--name", "Kwame Mensah", "--role", "coordinator", "--programme", "GH-CP").returncode == 0
    done = run(d, "demo", "--activities", "300", "--seed", "7")
    assert done.returncode == 0, done.stderr
    return d


def test_version(tmp_path: Path) -> None:
    done = run(tmp_path, "--version")
    assert done.returncode == 0 and __version__ in done.stdout


@pytest.mark.slow
def test_init_demo_check(demo_dir: Path) -> None:
    done = run(demo_dir, "db", "check")
    assert done.returncode == 0 and "ok" in done.stdout
    con = sqlite3.connect(demo_dir / "ca-desktop.sqlite")
    counts = dict(con.execute("SELECT record_type, count(*) FROM revision GROUP BY record_type").fetchall())
    activities = con.execute("SELECT count(*) FROM activity").fetchone()[0]
    con.close()
    assert activities == 300 and counts["activity"] == 300
    assert counts["attendance_entry"] > 0 and counts["cuf_project"] > 0 and counts["grievance"] > 0


@pytest.mark.slow
def test_demo_is_reproducible(tmp_path: Path) -> None:
    titles = []
    for name in ("a", "b"):
        d = tmp_path / name
        run(d, "init", "--name", "X", "--role", "officer")
        assert run(d, "demo", "--activities", "50", "--seed", "3").returncode == 0
        con = sqlite3.connect(d / "ca-desktop.sqlite")
        titles.append(con.execute("SELECT title, female_youth, notes FROM activity ORDER BY num").fetchall())
        con.close()
    assert titles[0] == titles[1]


@pytest.mark.slow
def test_history_prints_changes(demo_dir: Path) -> None:
    con = sqlite3.connect(demo_dir / "ca-desktop.sqlite")
    record_id = con.execute("SELECT id FROM activity LIMIT 1").fetchone()[0]
    con.close()
    done = run(demo_dir, "history", record_id)
    assert done.returncode == 0, done.stderr
    assert "created" in done.stdout and "Kwame Mensah" in done.stdout and "title:" in done.stdout
    as_json = json.loads(run(demo_dir, "history", record_id, "--json").stdout)
    assert as_json[0]["created"] is True


@pytest.mark.slow
def test_history_of_an_unknown_record(demo_dir: Path) -> None:
    assert_clean_failure(run(demo_dir, "history", "01900000-0000-7000-8000-000000000000"), "no record")
    assert_clean_failure(run(demo_dir, "history", "nonsense"), "not a record id")


@pytest.mark.slow
def test_backup_and_restore(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "backup.sqlite"
    done = run(demo_dir, "db", "backup", "--out", str(out))
    assert done.returncode == 0 and out.exists(), done.stderr
    done = run(demo_dir, "db", "restore", str(out))
    assert done.returncode == 0, done.stderr
    assert run(demo_dir, "db", "check").returncode == 0


@pytest.mark.slow  # with the others sharing the demo folder, which takes seconds to build
def test_restore_refuses_a_bad_file_and_writes_nothing(demo_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(os.urandom(8192))
    before = (demo_dir / "ca-desktop.sqlite").stat().st_mtime_ns
    assert_clean_failure(run(demo_dir, "db", "restore", str(bad)), "nothing was changed")
    assert (demo_dir / "ca-desktop.sqlite").stat().st_mtime_ns == before
    assert_clean_failure(run(demo_dir, "db", "restore", str(tmp_path / "missing.sqlite")), "no such file")


@pytest.mark.slow
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    d = tmp_path / "d"
    assert_clean_failure(run(d, "init", "--name", "  ", "--role", "officer"), "name")
    assert_clean_failure(run(d, "demo", "--activities", "0"), "--activities")
    assert run(d, "init", "--role", "pilot", "--name", "x").returncode == 2  # argparse usage error


def test_a_damaged_database_gets_a_clear_message(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "ca-desktop.sqlite").write_bytes(b"SQLite format 3\0" + os.urandom(20000))
    done = run(d, "history", "01900000-0000-7000-8000-000000000000")
    assert_clean_failure(done, "db restore --latest")


def test_never_prompts_without_a_terminal(tmp_path: Path) -> None:
    done = run(tmp_path / "d", "init", "--name", "A", "--role", "officer", stdin="")
    assert done.returncode == 0


def test_a_bundle_path_without_a_command_opens_the_gui_with_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A double-clicked .cabundle starts the GUI and hands it the file to import."""
    from ca_desktop import cli
    from ca_desktop.gui import app as gui_app

    bundle = tmp_path / "from-amina.cabundle"
    bundle.write_bytes(b"x")
    seen: dict[str, object] = {}

    def fake_gui(folder: Path, lang: str | None = None, open_files: object = ()) -> int:
        seen["files"] = open_files
        return 0

    monkeypatch.setattr(gui_app, "run_gui", fake_gui)
    assert cli.main(["--data-dir", str(tmp_path / "d"), str(bundle)]) == 0
    assert seen["files"] == [bundle]
