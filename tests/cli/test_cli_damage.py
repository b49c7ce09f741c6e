"""A file damaged where the bounded open does not look: reading commands still run, writing
commands stop before their first write with one line (exit 2) and write nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli.test_cli import assert_clean_failure, run
from tests.store.damage import damage_a_middle_page


def _revisions(path: Path) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM revision").fetchone()[0])
    finally:
        con.close()


def test_writing_commands_refuse_a_damaged_file_reading_ones_do_not_wait(tmp_path: Path) -> None:
    d = tmp_path / "d"
    assert run(d, "demo", "--activities", "150", "--seed", "3").returncode == 0
    path = d / "ca-desktop.sqlite"
    damage_a_middle_page(path)
    before = _revisions(path)
    listed = run(d, "figures")  # reads (aggregates may meet the damaged page, or not)
    assert "Traceback" not in listed.stderr
    done = run(d, "demo", "--activities", "5")
    assert_clean_failure(done, "db restore --latest")
    assert "nothing was written" in done.stderr
    assert_clean_failure(run(d, "init", "--name", "Ama", "--role", "officer"), "integrity check")
    assert _revisions(path) == before
    checked = run(d, "db", "check")
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
