"""Reading the revision log of one record, and finding records with several heads.

Plain values out: `StoredRevision` is a frozen copy of a `revision` row (JSON columns left as
text, for the caller to parse only what it needs).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlmodel import col

from ca_desktop.store.lean_reads import StoredRevision as StoredRevision
from ca_desktop.store.tables import RECORD_TABLES
from ca_desktop.store.tables import Revision as RevisionRow


def revisions_of(conn: Connection, record_id: str) -> list[StoredRevision]:
    """Every revision of the record, oldest first (by clock, then arrival here)."""
    rows = conn.execute(
        select(RevisionRow)
        .where(RevisionRow.record_id == record_id)  # type: ignore[arg-type]
        .order_by(RevisionRow.hlc, RevisionRow.local_seq)  # type: ignore[arg-type]
    ).all()
    return [
        StoredRevision(
            r.rev_id,
            r.record_id,
            r.record_type,
            r.parents,
            r.device_id,
            r.device_seq,
            r.hlc,
            r.author,
            bool(r.deleted),
            r.body,
            r.local_seq,
            bool(r.clock_flag),
            r.schema_version,
        )  # fmt: skip
        for r in rows
    ]


def conflicted_records(conn: Connection) -> list[tuple[str, str, str]]:
    """(record type, record id, winning rev id) of every record with more than one head,
    by record type, oldest record first within a type."""
    out: list[tuple[str, str, str]] = []
    for record_type, table in RECORD_TABLES.items():
        rows = conn.execute(
            select(col(table.id), col(table.rev_id)).where(table.heads > 1).order_by(table.num)  # type: ignore[arg-type, operator]
        ).all()
        out += [(record_type, rid, winner) for rid, winner in rows]
    return out
