"""The lean read path returns what the app returns, on the same database, and steps aside
whenever the folder needs work on open."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from ca_desktop.services import activity_queries as q
from ca_desktop.services import protection
from ca_desktop.services.activity_queries import ActivityFilter
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.laptops import laptop_names
from ca_desktop.services.quick_reads import QuickReads
from ca_desktop.store import erasure, lean_reads, search_index, sync_queries
from ca_desktop.store.database import DB_NAME

FILTERS = (
    ActivityFilter(),
    ActivityFilter(search="kis"),
    ActivityFilter(search="k"),
    ActivityFilter(search="forum"),
    ActivityFilter(level="community"),
    ActivityFilter(search="zzzz"),
)


@pytest.fixture
def filled(app: CaDesktop, activity_body: dict[str, Any], settlement_id: str) -> CaDesktop:
    city = app.get("place", settlement_id).body["parent_id"]  # type: ignore[union-attr]
    ids = []
    for i in range(12):
        body = {
            **activity_body,
            "title": f"{'Kisenyi forum' if i % 3 else 'Training'} {i}",
            "start_date": f"2026-0{1 + i % 9}-1{i % 10}",
            "male_youth": i,
            "female_other": 12 - i,
            "place_id": city if i % 4 == 0 else settlement_id,
        }
        ids.append(app.save("activity", body).id)
    for n in range(3):
        row = app.save(
            "attendance_entry",
            {
                "activity_id": ids[1],
                "line": n + 1,
                "name": f"Person {n}",
                "sex": "female",
                "age_band": "15_24",
            },
        )
    app.save("attendance_entry", {"name": "Person 2, corrected"}, row.id)
    app.save("activity", {**app.get("activity", ids[1]).body, "title": "Kisenyi forum, edited"})  # type: ignore[union-attr]
    app.delete("activity", ids[2])
    return app


def test_lean_and_normal_reads_return_the_same_values(filled: CaDesktop) -> None:
    reads = QuickReads.open(filled.data_dir)
    assert reads is not None
    try:
        for filters in FILTERS:
            assert q.count_activities(reads, filters) == q.count_activities(filled, filters)
            for sort in q.SORT_KEYS:
                for descending in (True, False):
                    for offset, limit in ((0, 300), (3, 4)):
                        lean = q.activity_page(reads, filters, sort, descending, offset, limit)
                        normal = q.activity_page(filled, filters, sort, descending, offset, limit)
                        assert lean == normal, (filters, sort, descending, offset)
        every = q.activity_page(filled, ActivityFilter(), limit=100)
        records = [
            *(("activity", r.id) for r in every),
            *(("attendance_entry", v.id) for v in filled.list_records("attendance_entry")),
            *(("place", v.id) for v in filled.list_records("place")),
        ]
        deleted = next(
            v for v in filled.list_records("activity", include_deleted=True) if v.deleted
        )
        for record_type, record_id in [*records, ("activity", deleted.id)]:
            assert reads.find(record_id) == filled.find(record_id)
            assert reads.history_with_parts(record_type, record_id) == filled.history_with_parts(
                record_type, record_id
            )
        assert reads.find("01a22b2d-372e-7083-83b1-4d16c6f94155") is None
        assert reads.device() == filled.device()
        assert reads.laptop_names() == laptop_names(filled)
    finally:
        reads.close()


def test_lean_reads_see_the_same_trusted_laptops(filled: CaDesktop) -> None:
    with filled.db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO trusted_key (key_id, device_id, user_name, role, signing_key, "
            "encryption_key, fingerprint, trusted_at) VALUES "
            "('k1', 'dev-1', 'Kofi A.', 'officer', 's', 'e', 'AB12-CD34', '2026-01-01')"
        )
        conn.exec_driver_sql("INSERT INTO meta (key, value) VALUES ('device_key:dev-0', 'k1')")
    reads = QuickReads.open(filled.data_dir)
    assert reads is not None
    try:
        names = reads.laptop_names()
        assert names == laptop_names(filled)
        assert names.owners == {
            "dev-1": ("Kofi A.", "AB12-CD34"),
            "dev-0": ("Kofi A.", "AB12-CD34"),
        }
    finally:
        reads.close()


def _poke(folder: Path, sql: str, *params: Any) -> None:
    con = sqlite3.connect(folder / DB_NAME)
    with con:
        con.execute(sql, params)
    con.close()


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE alembic_version SET version_num = '0009'",  # an upgrade to run
        "UPDATE alembic_version SET version_num = '9999'",  # a newer version's file
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('erasures_due', '{\"x\": [\"name\"]}')",
        "UPDATE meta SET value = 'title' WHERE key = 'search_fields'",  # index to rebuild
    ],
)
def test_a_folder_with_work_to_do_on_open_takes_the_normal_path(
    filled: CaDesktop, change: str
) -> None:
    assert QuickReads.open(filled.data_dir) is not None
    filled.close()
    _poke(filled.data_dir, change)
    assert QuickReads.open(filled.data_dir) is None


def test_a_missing_damaged_or_locked_database_takes_the_normal_path(
    filled: CaDesktop, tmp_path: Path
) -> None:
    assert QuickReads.open(tmp_path / "nowhere") is None
    filled.close()
    path = filled.data_dir / DB_NAME
    data = bytearray(path.read_bytes())
    data[:16] = b"not a database!!"
    path.write_bytes(bytes(data))
    assert QuickReads.open(filled.data_dir) is None


def test_a_desktop_on_a_server_never_shows_the_folder_own_file(
    filled: CaDesktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records on a server (named by the option, the environment or the settings): the
    laptop file a coordinator had before moving to the hub is not what the window shows."""
    url = "postgresql://coordinator@hub.example/office"
    assert QuickReads.open(filled.data_dir, url) is None
    monkeypatch.setenv("CA_DESKTOP_DATABASE", url)
    assert QuickReads.open(filled.data_dir) is None
    monkeypatch.delenv("CA_DESKTOP_DATABASE")
    settings = filled.data_dir / "settings.json"
    settings.write_text(json.dumps({"database": url}), encoding="utf-8")
    assert QuickReads.open(filled.data_dir) is None
    settings.unlink()
    reads = QuickReads.open(filled.data_dir)
    assert reads is not None
    reads.close()


def test_an_encrypted_folder_is_read_with_its_key_and_not_without(
    tmp_path: Path, activity_body: dict[str, Any]
) -> None:
    folder = tmp_path / "sealed"
    protection.create_encrypted(folder, "a test passphrase")
    app = CaDesktop.open(folder)
    app.init_device("Amina Nakato", "officer", "UG-CP")
    record_id = app.save("place", {"name": "Uganda", "kind": "country", "country": "UG"}).id
    expected = app.history_with_parts("place", record_id)
    app.close()
    reads = QuickReads.open(folder)
    assert reads is not None and reads.encrypted
    try:
        assert reads.history_with_parts("place", record_id) == expected
    finally:
        reads.close()
    protection.lock(folder)
    assert QuickReads.open(folder) is None


def test_the_meta_keys_are_those_the_full_stack_writes() -> None:
    assert lean_reads.ERASURES_DUE_KEY == erasure.DUE_KEY
    assert lean_reads.SEARCH_FIELDS_KEY == search_index._META_KEY  # noqa: SLF001
    assert lean_reads.DEVICE_KEY_PREFIX == sync_queries._BOUND  # noqa: SLF001
