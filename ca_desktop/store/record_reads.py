"""Reading records of any declared type: one by id, a filtered list, the type of an id.

The current-state row holds the declared fields that have columns; a record's winning
revision holds them all, fields from newer versions included (`domain/schema.py`), so a
single record is read from both. Lists read rows only: they show declared columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ca_desktop.domain.records import spec_for
from ca_desktop.store.lean_reads import StoredRecord as StoredRecord
from ca_desktop.store.revisions import revision_bodies
from ca_desktop.store.rows import row_to_body
from ca_desktop.store.tables import RECORD_TABLES
from ca_desktop.store.tables import Revision as RevisionRow


def _table(record_type: str) -> Any:
    return RECORD_TABLES[spec_for(record_type).name].__table__  # type: ignore[attr-defined]


def _stored(record_type: str, row: Any) -> StoredRecord:
    return StoredRecord(
        record_type,
        row["id"],
        row["rev_id"],
        row_to_body(record_type, row),
        bool(row["deleted"]),
        row["heads"],
        row["updated_hlc"],
        row["updated_by"],
    )


def read_record(
    conn: Connection, record_type: str, record_id: str, include_deleted: bool = False
) -> StoredRecord | None:
    table = _table(record_type)
    row = conn.execute(select(table).where(table.c.id == record_id)).first()
    if row is None or (row.deleted and not include_deleted):
        return None
    record = _stored(record_type, row._mapping)
    if row.deleted:
        return record  # a tombstone's row keeps the last content; its revision has none
    body = revision_bodies(conn, [row.rev_id]).get(row.rev_id)
    return record._replace(body={**record.body, **body}) if body else record


def list_records(
    conn: Connection,
    record_type: str,
    where: Mapping[str, Any] | None = None,
    order_by: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    include_deleted: bool = False,
) -> list[StoredRecord]:
    """Rows filtered by equality on columns, ordered by a column (the title by default)."""
    table = _table(record_type)
    query = select(table)
    if not include_deleted:
        query = query.where(table.c.deleted == False)  # noqa: E712
    for column, value in (where or {}).items():
        query = query.where(table.c[column] == value)
    order_col = table.c[order_by or spec_for(record_type).title_field]
    query = query.order_by(order_col, table.c.num).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [_stored(record_type, r._mapping) for r in conn.execute(query).all()]


def record_type_of(conn: Connection, record_id: str) -> str | None:
    """The type of the record with this id, from its revisions (None: unknown id)."""
    table = RevisionRow.__table__  # type: ignore[attr-defined]
    query = select(table.c.record_type).where(table.c.record_id == record_id).limit(1)
    value = conn.execute(query).scalar()
    return str(value) if value is not None else None
