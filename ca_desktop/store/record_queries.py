"""The record pages' SQL: word search over a record table, and the activities a CUF project
may name as its endorsement. Plain values out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, text
from sqlalchemy.engine import Connection
from sqlmodel import select

from ca_desktop.store.tables import RECORD_TABLES


def _columns_of(record_type: str) -> set[str]:
    return set(RECORD_TABLES[record_type].__table__.columns.keys())  # type: ignore[attr-defined]


def matching_ids(
    conn: Connection,
    record_type: str,
    text_columns: Sequence[str],
    words: Sequence[str],
    where: Mapping[str, Any],
) -> set[str]:
    """Ids of live records where every word is in one of `text_columns` (case-insensitive)
    and every `where` column equals its value. Names not of the table raise KeyError."""
    known = _columns_of(record_type)
    for name in (*text_columns, *where):
        if name not in known:  # names are put into the SQL: never anything but a column
            raise KeyError(name)
    clauses = ["deleted = 0"]
    params: dict[str, Any] = {}
    for n, word in enumerate(words):
        key = f"w{n}"
        params[key] = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        either = " OR ".join(f"{c} LIKE :{key} ESCAPE '\\'" for c in text_columns)
        clauses.append(f"({either})")
    for n, (column, value) in enumerate(where.items()):
        params[f"v{n}"] = value
        clauses.append(f"{column} = :v{n}")
    sql = f"SELECT id FROM {record_type} WHERE {' AND '.join(clauses)}"
    return set(conn.execute(text(sql), params).scalars())


def newest_activities_of_types(
    conn: Connection, types: Sequence[str], limit: int
) -> list[tuple[str, str, str]]:
    """(id, title, start date) of the newest live activities of the given types."""
    binds = ", ".join(f":t{i}" for i in range(len(types)))
    params: dict[str, Any] = {f"t{i}": t for i, t in enumerate(types)}
    rows = conn.execute(
        text(
            f"SELECT id, title, start_date FROM activity WHERE deleted = 0 "
            f"AND type IN ({binds}) ORDER BY start_date DESC LIMIT :n"
        ),
        {**params, "n": limit},
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def last_edited_id(conn: Connection, record_type: str) -> str | None:
    """The live record of this type edited last, or None."""
    if record_type not in RECORD_TABLES:
        raise KeyError(record_type)
    value = conn.execute(
        text(f"SELECT id FROM {record_type} WHERE deleted = 0 ORDER BY updated_hlc DESC LIMIT 1")
    ).scalar()
    return str(value) if value else None


def count_records(conn: Connection, record_type: str, include_deleted: bool = False) -> int:
    table = RECORD_TABLES[record_type]
    query = select(func.count()).select_from(table)
    if not include_deleted:
        query = query.where(table.deleted == False)  # type: ignore[arg-type]  # noqa: E712
    return int(conn.execute(query).scalar() or 0)


def titles_by_id(conn: Connection, record_type: str, title_field: str) -> dict[str, str]:
    """{id: title} of the live records of this type, ordered by title."""
    table = RECORD_TABLES[record_type]
    title = getattr(table, title_field)
    rows = conn.execute(
        select(table.id, title).where(table.deleted == False).order_by(title)  # type: ignore[arg-type]  # noqa: E712
    ).all()
    return {rid: name for rid, name in rows}
