"""Reading every record of one type in batches, for exports that must not hold them all.

Rows come in the current-state table's insertion order (`num`), a page at a time by key,
so a 100,000-row export never builds the whole list. A row holds the declared fields; a
record whose winning revision was written by a newer version may hold more, so those
few bodies are read from their revisions and merged (`domain/schema.py`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from ca_desktop.domain.records import spec_for
from ca_desktop.domain.schema import SCHEMA_VERSION
from ca_desktop.store.record_reads import StoredRecord, _stored
from ca_desktop.store.revisions import current_rev_ids, revision_bodies
from ca_desktop.store.tables import RECORD_TABLES
from ca_desktop.store.tables import Revision as RevisionRow


def _table(record_type: str) -> Any:
    return RECORD_TABLES[spec_for(record_type).name].__table__  # type: ignore[attr-defined]


def record_batches(
    engine: Engine, record_type: str, batch: int = 2000
) -> Iterator[list[StoredRecord]]:
    """Live records of one type, `batch` at a time, each read in its own short connection."""
    table = _table(record_type)
    rev = RevisionRow.__table__  # type: ignore[attr-defined]
    last = -1
    while True:
        query = (
            select(table, rev.c.schema_version)
            .join(rev, rev.c.rev_id == table.c.rev_id)
            .where(table.c.deleted == False, table.c.num > last)  # noqa: E712
            .order_by(table.c.num)
            .limit(batch)
        )
        with engine.connect() as conn:
            rows = [r._mapping for r in conn.execute(query).all()]
            if not rows:
                return
            newer = [r["rev_id"] for r in rows if r["schema_version"] > SCHEMA_VERSION]
            bodies = revision_bodies(conn, newer) if newer else {}
        out = []
        for row in rows:
            record = _stored(record_type, row)
            extra = bodies.get(row["rev_id"])
            out.append(record._replace(body={**record.body, **extra}) if extra else record)
        last = rows[-1]["num"]
        yield out


def count_live(conn: Connection, record_type: str) -> int:
    from sqlalchemy import func

    table = _table(record_type)
    query = select(func.count()).select_from(table).where(table.c.deleted == False)  # noqa: E712
    return int(conn.execute(query).scalar() or 0)


def current_bodies(
    conn: Connection, record_type: str, ids: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """{id: the winning body} of the live records among `ids` (unknown ids are left out)."""
    table = _table(record_type)
    live: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        query = select(table.c.id).where(table.c.id.in_(chunk), table.c.deleted == False)  # noqa: E712
        live.update(r for (r,) in conn.execute(query))
    revs = current_rev_ids(conn, spec_for(record_type).name, sorted(live))
    bodies = revision_bodies(conn, list(revs.values()))
    return {rid: bodies[rev] for rid, rev in revs.items() if rev in bodies}


def newer_field_names(conn: Connection, record_type: str) -> set[str]:
    """Undeclared fields in live records' winning bodies (written by a newer version)."""
    import json

    table = _table(record_type)
    rev = RevisionRow.__table__  # type: ignore[attr-defined]
    query = (
        select(rev.c.body)
        .join(table, table.c.rev_id == rev.c.rev_id)
        .where(table.c.deleted == False, rev.c.schema_version > SCHEMA_VERSION)  # noqa: E712
    )
    declared = set(spec_for(record_type).field_names)
    names: set[str] = set()
    for (body,) in conn.execute(query):
        names.update(k for k in json.loads(body) if k not in declared and k[:1] != "$")
    return names
