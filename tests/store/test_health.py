"""Opening checks a bounded part of the file; the quick check guards every write."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ca_desktop.domain.jobs import Cancelled
from ca_desktop.services.app import CaDesktop
from ca_desktop.store import database, health
from ca_desktop.store.sqlite import DatabaseDamaged
from tests.store.damage import damage_a_middle_page

pytestmark = pytest.mark.sqlite_only(
    "the SQLite file's own checks (header, pages, quick check); a server checks its pages itself"
)


def _filled(data_dir: Path, activity_body: dict, n: int = 300) -> Path:
    app = CaDesktop.open(data_dir)
    for i in range(n):
        app.save("activity", {**activity_body, "title": f"Settlement forum number {i} " * 3})
    app.close()
    return data_dir / database.DB_NAME


def _activity_count(path: Path) -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM revision").fetchone()[0])
    finally:
        con.close()


def test_a_healthy_file_passes_the_bounded_check(
    data_dir: Path, app: CaDesktop, activity_body: dict
) -> None:
    app.save("activity", activity_body)
    health.check_bounded(data_dir / database.DB_NAME)


def test_a_file_cut_short_is_refused_at_open(data_dir: Path, activity_body: dict) -> None:
    path = _filled(data_dir, activity_body)
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DatabaseDamaged, match="cut short"):
        CaDesktop.open(data_dir)


def test_damage_in_the_last_pages_is_refused_at_open(data_dir: Path, activity_body: dict) -> None:
    path = _filled(data_dir, activity_body)
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    last = con.execute(
        "SELECT max(pageno) FROM dbstat WHERE name = 'activity' AND pagetype = 'leaf'"
    ).fetchone()[0]
    con.close()
    data = bytearray(path.read_bytes())
    data[(last - 1) * 4096 + 8 : last * 4096] = b"\xa5" * (4096 - 8)
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamaged):
        CaDesktop.open(data_dir)


def test_damage_the_open_misses_stops_the_first_write(data_dir: Path, activity_body: dict) -> None:
    path = _filled(data_dir, activity_body)
    damage_a_middle_page(path)
    revisions = _activity_count(path)
    app = CaDesktop.open(data_dir)  # bounded: does not read the middle of the table
    try:
        with pytest.raises(DatabaseDamaged):
            app.save("activity", activity_body)
        assert app.db.damage is not None
        with pytest.raises(DatabaseDamaged):  # and every write after it, without checking again
            app.init_device("Someone Else", "officer")
        with pytest.raises(DatabaseDamaged):
            app.verify_database()
    finally:
        app.close()
    assert _activity_count(path) == revisions  # nothing was written


def test_the_background_check_finds_it_before_any_write(
    data_dir: Path, activity_body: dict
) -> None:
    path = _filled(data_dir, activity_body)
    damage_a_middle_page(path)
    app = CaDesktop.open(data_dir)
    try:
        with pytest.raises(DatabaseDamaged):
            app.verify_database()
        with pytest.raises(DatabaseDamaged):
            app.save("activity", activity_body)
    finally:
        app.close()


def test_a_verified_file_is_checked_once(
    data_dir: Path, activity_body: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    _filled(data_dir, activity_body, n=5)
    app = CaDesktop.open(data_dir)
    calls: list[bool] = []
    from ca_desktop.store import sqlite

    real = sqlite.check_file
    monkeypatch.setattr(sqlite, "check_file", lambda *a, **k: calls.append(True) or real(*a, **k))
    try:
        app.verify_database()
        app.save("activity", activity_body)
        app.save("activity", activity_body)
    finally:
        app.close()
    assert calls == [True]


def test_a_cancelled_check_leaves_the_next_write_to_check(
    data_dir: Path, activity_body: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ca_desktop.store import sqlite

    path = _filled(data_dir, activity_body)
    damage_a_middle_page(path)
    monkeypatch.setattr(sqlite, "CHECK_STEPS", 100)  # a small file: ask often
    app = CaDesktop.open(data_dir)
    try:
        with pytest.raises(Cancelled):
            app.verify_database(lambda done, total: False)
        assert app.db.damage is None
        with pytest.raises(DatabaseDamaged):
            app.save("activity", activity_body)
    finally:
        app.close()
