"""`hub import-laptop`: a laptop's whole history into the hub, once, all or nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ca_desktop.services import hub, protection
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.demo import generate_demo
from ca_desktop.store.tables import RECORD_TABLES
from ca_desktop.sync.service import SyncService

ROOT = Path(__file__).resolve().parents[2]
PHRASE = "correct horse battery staple"


def _state(app: CaDesktop) -> tuple[set[str], set[tuple[object, ...]]]:
    """Every revision id, and every current row's (type, id, shown revision, heads, deleted)."""
    with app.db.engine.connect() as conn:
        revs = set(conn.exec_driver_sql("SELECT rev_id FROM revision").scalars())
        rows = set()
        for name, table in RECORD_TABLES.items():
            t = table.__tablename__  # type: ignore[attr-defined]
            for r in conn.exec_driver_sql(f"SELECT id, rev_id, heads, deleted FROM {t}"):
                rows.add((name, r[0], r[1], int(r[2]), bool(r[3])))
    return revs, rows


def _laptop(root: Path, encrypted: bool = False) -> CaDesktop:
    folder = root / "laptop"
    if encrypted:
        protection.create_encrypted(folder, PHRASE)
    app = CaDesktop.open(folder)
    app.init_device("Carla", "coordinator", "UG-CP")
    generate_demo(app, 40, seed=5)
    first = app.list_records("activity")[0]
    app.save("activity", {**first.body, "title": "Edited on the laptop"}, first.id)
    app.delete("activity", app.list_records("activity")[1].id)
    return app


def test_all_history_moves_up_once(hub_folder: Callable[..., CaDesktop], tmp_path: Path) -> None:
    laptop = _laptop(tmp_path)
    officer = CaDesktop.open(tmp_path / "officer")
    officer.init_device("Amina", "officer", "UG-CP")
    try:
        pub = tmp_path / "amina.pub"
        SyncService(officer).export_public_key(pub)
        SyncService(laptop).trust(pub, SyncService(officer).own_key().fingerprint)
        expected = _state(laptop)
        path = laptop.db.path
    finally:
        laptop.close()
        officer.close()
    server = hub_folder("dede")
    url = server.db.url
    hub.init_hub(url, "app password 123", "reader password 456")
    done = hub.import_laptop(url, path, None)
    assert done.revisions == done.new == len(expected[0]) > 40
    revs, rows = _state(server)
    assert expected[0] <= revs  # ids kept
    assert expected[1] <= rows  # the same current rows, heads and deletions
    # The officers this coordinator trusted are trusted on the hub too.
    assert [k.user_name for k in SyncService(server).trusted_keys()] == ["Amina"]
    again = hub.import_laptop(url, path, None)
    assert again.new == 0 and _state(server) == (revs, rows)
    assert hub.check_hub(url) == []


def test_an_encrypted_laptop_needs_its_passphrase(
    hub_folder: Callable[..., CaDesktop], tmp_path: Path
) -> None:
    laptop = _laptop(tmp_path, encrypted=True)
    path = laptop.db.path
    expected = _state(laptop)
    laptop.close()
    protection.lock(path.parent)
    server = hub_folder("dede")
    url = server.db.url
    with pytest.raises(hub.HubError, match="encrypted: give its passphrase"):
        hub.import_laptop(url, path, None)
    with pytest.raises(hub.HubError, match="passphrase is not right"):
        hub.import_laptop(url, path, "not the passphrase at all")
    assert hub.import_laptop(url, path, PHRASE).new == len(expected[0])
    assert expected[1] <= _state(server)[1]


def test_an_altered_laptop_file_imports_nothing(
    hub_folder: Callable[..., CaDesktop], tmp_path: Path
) -> None:
    laptop = _laptop(tmp_path)
    path = laptop.db.path
    laptop.close()
    with sqlite3.connect(path) as con:
        con.execute(
            "UPDATE revision SET body = replace(body, 'Edited on the laptop', 'Forged') "
            "WHERE body LIKE '%Edited on the laptop%'"
        )
    server = hub_folder("dede")
    before = _state(server)
    with pytest.raises(hub.HubError, match="does not match its content"):
        hub.import_laptop(server.db.url, path, None)
    assert _state(server) == before


def test_the_command_line(hub_folder: Callable[..., CaDesktop], tmp_path: Path) -> None:
    laptop = _laptop(tmp_path)
    path = laptop.db.path
    laptop.close()
    url = hub_folder("dede").db.url
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-m", "ca_desktop", "hub", "import-laptop", str(path), "--database", url]
    done = subprocess.run(run, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Imported" in done.stdout and "0 already in the hub" in done.stdout
    missing = subprocess.run(
        [*run[:5], str(tmp_path / "nope.sqlite"), *run[6:]],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert missing.returncode == 2 and "no such laptop database" in missing.stderr
