"""A data folder's name is the user's: "?", "#", "%" and spaces in it must not put the
database outside the folder (a file URL parsed as text took "?" for its query) nor make a
read-only open (the bounded open check, the lean reads) look at another file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ca_desktop.services.app import CaDesktop
from ca_desktop.services.quick_reads import QuickReads
from ca_desktop.store import sqlite


@pytest.mark.parametrize("name", ["data ?mode=rw", "team #2", "100% field", "ü é ?#%"])
def test_the_database_lives_in_the_folder_named(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    app = CaDesktop.open(folder)
    app.init_device("Amina K.", "officer", "UG-CP")
    app.close()
    assert (folder / "ca-desktop.sqlite").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing beside the folder

    con = sqlite.connect(folder / "ca-desktop.sqlite", None, readonly=True)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()
    assert "revision" in tables
    reads = QuickReads.open(folder)
    assert reads is not None
    reads.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]
