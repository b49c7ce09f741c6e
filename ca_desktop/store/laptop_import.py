"""Moving up (`hub import-laptop`): a laptop's SQLite database, all its history, into a hub.

Revisions keep their ids and go through the one write path for foreign revisions
(`revisions.apply_foreign`: heads and current rows rebuilt from the graph), with the
author signatures, the trusted keys, the peers' receipts, the import ledger, the
proposals and the officers' sealed recovery keys: what a coordinator's laptop knows about
its officers. Rows already in the hub stay as they are, so importing twice changes
nothing. The whole import is one write transaction on the hub: all of it or nothing.

The laptop file is opened read-only and treated as hostile: it must carry this release's
schema, and every revision id is recomputed from its content.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from ca_desktop.domain.jobs import Progress, report
from ca_desktop.domain.personal import is_unverifiable
from ca_desktop.domain.revision import Revision
from ca_desktop.store import backend, migrate, postgres, sqlite
from ca_desktop.store.revisions import apply_foreign

BATCH = 5000
# Sync tables copied as they are (primary key: kept when the hub has the row already).
_COPIED = ("trusted_key", "sync_peer", "sync_import", "revision_signature", "proposal")
_META_PREFIX = "recovery_key:"  # officers' sealed data keys (sync/recovery_entry.py)


class LaptopFileError(Exception):
    """The laptop file cannot be imported; the message says why (nothing was written)."""


@dataclass(frozen=True)
class LaptopImport:
    revisions: int  # read from the laptop
    new: int  # added to the hub
    records: int  # records the laptop holds


def _open(path: Path, key: bytes | None) -> Any:
    try:
        con = sqlite.connect(path, key, readonly=True)
        version = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite.driver_errors():
        raise LaptopFileError(
            f"{path.name} is not a CA Desktop database, or needs its passphrase"
        ) from None
    if version is None or version[0] != migrate.SCHEMA_HEAD:
        con.close()
        raise LaptopFileError(
            f"{path.name} has schema {version[0] if version else 'none'}, not "
            f"{migrate.SCHEMA_HEAD}: open its folder once with this CA Desktop (which "
            "upgrades it), then import it"
        )
    return con


_COLUMNS = (
    "rev_id, record_id, record_type, parents, device_id, device_seq, hlc, author, deleted, "
    "body, schema_version, clock_flag"
)


def _revisions(con: Any) -> Iterator[tuple[list[Revision], set[str]]]:
    """Batches of checked revisions in the laptop's arrival order, with the clock-flagged."""
    cursor = con.execute(f"SELECT {_COLUMNS} FROM revision ORDER BY local_seq")
    while rows := cursor.fetchmany(BATCH):
        batch: list[Revision] = []
        flagged: set[str] = set()
        for (
            rev_id,
            rid,
            rtype,
            parents,
            device,
            seq,
            hlc,
            author,
            deleted,
            body,
            version,
            flag,
        ) in rows:
            try:
                rev = Revision(
                    record_id=rid, record_type=rtype, parents=tuple(sorted(json.loads(parents))),
                    device_id=device, device_seq=int(seq), hlc=hlc, author=author,
                    deleted=bool(deleted), body=json.loads(body), rev_id=rev_id,
                    schema_version=int(version),
                )  # fmt: skip
                ok = is_unverifiable(rev.body) or rev.computed_id() == rev_id
            except (ValueError, TypeError):
                ok = False
            if not ok:
                raise LaptopFileError(
                    f"revision {str(rev_id)[:12]} does not match its content: the file was "
                    "altered or is damaged; nothing was imported"
                )
            batch.append(rev)
            if flag:
                flagged.add(rev_id)
        yield batch, flagged


def _copy_tables(con: Any, conn: Any) -> None:
    for name in _COPIED:
        table = postgres.table_named(name)
        wanted = tuple(c.name for c in table.columns)
        cursor = con.execute(f"SELECT {', '.join(wanted)} FROM {name}")
        while rows := cursor.fetchmany(BATCH):
            backend.insert_ignore(conn, table, wanted, [tuple(r) for r in rows])
    meta = postgres.table_named("meta")
    rows = con.execute(
        "SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?",
        (len(_META_PREFIX), _META_PREFIX),
    ).fetchall()
    backend.insert_ignore(conn, meta, ("key", "value"), [tuple(r) for r in rows])


def import_laptop(
    engine: Engine, path: Path, key: bytes | None, progress: Progress | None = None
) -> LaptopImport:
    """Bring `path` (encrypted with `key`, or plain) into the hub at `engine`."""
    con = _open(path, key)
    try:
        total = int(con.execute("SELECT count(*) FROM revision").fetchone()[0])
        records = int(con.execute("SELECT count(DISTINCT record_id) FROM revision").fetchone()[0])
        done = new = 0
        report(progress, 0, total)
        with backend.write_transaction(engine) as conn:
            for batch, flagged in _revisions(con):
                new += len(apply_foreign(conn, batch, flagged))
                done += len(batch)
                report(progress, done, total)
            _copy_tables(con, conn)
    finally:
        con.close()
    return LaptopImport(total, new, records)
