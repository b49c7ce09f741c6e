"""Helpers for sync tests: laptops (data folders with keys) and table snapshots."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ca_desktop.sync  # noqa: F401  (key creation at init)
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync.service import SyncService

_names = itertools.count()


@dataclass
class Laptop:
    name: str
    app: CaDesktop
    sync: SyncService
    folder: Path

    @property
    def data_dir(self) -> Path:
        return self.app.data_dir

    def pubkey(self) -> Path:
        path = self.folder / f"{self.name}.pub"
        if not path.exists():
            self.sync.export_public_key(path)
        return path

    def trust(self, *others: Laptop) -> None:
        for other in others:
            self.sync.trust(other.pubkey())

    def send(self, to: Laptop, **kw: Any) -> Path:
        path = self.folder / f"{self.name}-to-{to.name}-{next(_names)}.cabundle"
        self.sync.export(path, to=to.pubkey(), **kw)
        return path

    def receive(self, path: Path) -> Any:
        [result] = self.sync.import_bundles([path])
        return result


def make_laptop(root: Path, name: str, role: str) -> Laptop:
    app = CaDesktop.open(root / name)
    app.init_device(name.title(), role, "UG-CP")
    return Laptop(name, app, SyncService(app), root)


PROGRAMME = {"code": "UG-CP", "name": "Uganda Country Programme", "kind": "country_programme", "country": "UG"}


def activity(programme_id: str, title: str = "Kisenyi settlement forum", **kw: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "programme_id": programme_id,
        "level": "community",
        "type": "settlement_forum",
        "themes": ["gender"],
        "title": title,
        "start_date": "2026-11-02",
        "status": "completed",
        "female_youth": 5,
        "female_other": 10,
        "male_youth": 3,
        "male_other": 7,
    }
    body.update(kw)
    return body


def snapshot(app: CaDesktop) -> dict[str, int]:
    """Row counts of every table, to prove a rejected bundle wrote nothing."""
    with app.db.engine.connect() as conn:
        tables = [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                " AND name NOT LIKE 'activity_fts_%'"
            )
        ]
        counts = {t: conn.exec_driver_sql(f'SELECT COUNT(*) FROM "{t}"').scalar() for t in tables}
        counts["_clock"] = hash(conn.exec_driver_sql("SELECT clock FROM local_device").scalar())
    return counts  # type: ignore[return-value]


def replica_state(app: CaDesktop) -> tuple[dict[str, tuple[Any, ...]], set[str]]:
    """Every record's winner, heads and deletion flag, and every revision id held."""
    with app.db.engine.connect() as conn:
        revs = set(conn.exec_driver_sql("SELECT rev_id FROM revision").scalars())
        heads: dict[str, list[str]] = {}
        for rid, rev in conn.exec_driver_sql("SELECT record_id, rev_id FROM record_head"):
            heads.setdefault(rid, []).append(rev)
        records: dict[str, tuple[Any, ...]] = {}
        from ca_desktop.store.tables import RECORD_TABLES

        for name, table in RECORD_TABLES.items():
            for row in conn.exec_driver_sql(
                f'SELECT id, rev_id, heads, deleted FROM "{table.__tablename__}"'  # type: ignore[attr-defined]
            ):
                records[row[0]] = (name, row[1], row[2], bool(row[3]), tuple(sorted(heads[row[0]])))
    return records, revs
