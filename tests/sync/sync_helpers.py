"""Helpers for sync tests: laptops (data folders with keys) and table snapshots."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import inspect

import ca_desktop.sync  # noqa: F401  (key creation at init)
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync.service import SyncService
from tests import pg_backend

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
            # As a person would: the fingerprint read out by its owner, the role known.
            own = other.sync.own_key()
            self.sync.trust(other.pubkey(), own.fingerprint, role=own.role)

    def send(self, to: Laptop, **kw: Any) -> Path:
        path = self.folder / f"{self.name}-to-{to.name}-{next(_names)}.cabundle"
        self.sync.export(path, to=to.pubkey(), **kw)
        return path

    def receive(self, path: Path, allow_plain: bool = False) -> Any:
        [result] = self.sync.import_bundles([path], allow_plain=allow_plain)
        return result


def make_laptop(root: Path, name: str, role: str) -> Laptop:
    """A set-up data folder; on the PostgreSQL backend its records are in a fresh server
    database (`tests/pg_backend.py`)."""
    pg_backend.place_records(root / name)
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
        # (The search index's own tables follow the activities; SQLite's are its shadows.)
        tables = [t for t in inspect(conn).get_table_names() if not t.startswith("activity_fts")]
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


def forge(
    lap: Laptop,
    lines: list[bytes],
    *,
    state: bytes = b'{"devices":{}}',
    extra: dict[str, bytes] | None = None,
    patch: Any = None,
    kind: str = "field_export",
    seq: int = 1,
) -> bytes:
    """A plain bundle signed by `lap` with exactly these contents (for hostile-input tests).

    `patch(doc)` may change the manifest dict before it is signed.
    """
    import hashlib
    import io

    from ca_desktop.domain.canonical import canonical_json
    from ca_desktop.domain.ids import uuid7
    from ca_desktop.domain.revision import Revision
    from ca_desktop.sync.container import BundleZipWriter
    from ca_desktop.sync.keys import load_keys
    from ca_desktop.sync.manifest import SIGNATURE_DOMAIN, EntryInfo, Manifest, Sender, ranges_of

    keys = load_keys(lap.data_dir)
    info = lap.app.device()
    assert info is not None
    contents = {"revisions.jsonl": b"".join(lines), "state.json": state, **(extra or {})}
    buf = io.BytesIO()
    writer = BundleZipWriter(buf)
    for name, data in contents.items():
        writer.add_bytes(name, data, compress=not name.startswith("blobs/"))
    entries = {}
    for zi in writer.zip.infolist():
        start = zi.header_offset + 30 + len(zi.filename)
        stored = buf.getvalue()[start : start + zi.compress_size]
        data = contents[zi.filename]
        entries[zi.filename] = EntryInfo(
            len(data), hashlib.sha256(data).hexdigest(), len(stored), hashlib.sha256(stored).hexdigest()
        )
    seqs: dict[str, list[int]] = {}
    count = 0
    for line in lines:
        try:
            rev = Revision.from_json_dict(__import__("json").loads(line))
        except Exception:  # noqa: BLE001 - deliberately broken lines have no range
            continue
        seqs.setdefault(rev.device_id, []).append(rev.device_seq)
        count += 1
    manifest = Manifest(
        uuid7(), kind, Sender(keys.key_id, info.device_id, info.user_name, info.role, "UG-CP"),
        None, seq, "0000000000000.00000", False, ("revisions/1", "receipts/1"),
        ranges_of(seqs), count, sum(1 for n in contents if n.startswith("blobs/")), entries,
    )
    doc = manifest.to_json()
    if patch is not None:
        patch(doc)
    data = canonical_json(doc).encode()
    writer.add_bytes("manifest.json", data, compress=False)
    writer.add_bytes("manifest.sig", keys.sign(SIGNATURE_DOMAIN + data), compress=False)
    writer.close()
    return buf.getvalue()


def revision_line(lap: Laptop, seq: int = 1, device_id: str | None = None, **body: Any) -> bytes:
    """One valid wire line: a new programme record made on `lap` (or on `device_id`)."""
    from ca_desktop.domain.canonical import canonical_json
    from ca_desktop.domain.ids import uuid7
    from ca_desktop.domain.revision import Revision

    info = lap.app.device()
    assert info is not None
    rev = Revision(
        uuid7(), "programme", (), device_id or info.device_id, seq, "1790000000000.00000",
        info.user_name, False, {**PROGRAMME, **body},
    ).with_id()
    return canonical_json(rev.to_json_dict()).encode() + b"\n"
