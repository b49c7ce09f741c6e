"""The Home dashboard's SQL: aggregates over the current-state tables, and the latest
revisions with their records' current titles.

Each figure is one aggregate query (no rows are loaded into Python), so the dashboard stays
quick on 100,000 activities. Deleted records never count. Table and column names put into
the SQL are the callers' own constants and declared field names, never user input.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from ca_desktop.domain.records import spec_for


def live_counts(conn: Connection, table: str, column: str, codes: Sequence[str]) -> dict[str, int]:
    """{code: live records with that code}, every code of `codes` present (zero when none).

    All rows minus deleted rows: both counts read only the column's index, not the table.
    """
    counts = dict.fromkeys(codes, 0)
    for where, sign in (("", 1), (" WHERE deleted = 1", -1)):
        rows = conn.execute(
            text(f"SELECT {column}, COUNT(*) FROM {table}{where} GROUP BY {column}")
        )
        for code, n in rows:
            # A code this version does not know (from a newer laptop) still counts in totals.
            counts[code] = counts.get(code, 0) + sign * int(n)
    return {code: n for code, n in counts.items() if n or code in codes}


def activity_themes_and_people(
    conn: Connection, themes: Sequence[str], cells: Sequence[str], reached: Sequence[str]
) -> tuple[dict[str, int], dict[str, int]]:
    """({theme: live activities with it}, {participant column: people in activities whose
    status is one of `reached`}), read in one pass over the live activities."""
    # Themes are stored comma-separated; wrapping both sides in commas matches whole codes.
    theme_sums = [f"SUM(instr(',' || themes || ',', ',{t},') > 0)" for t in themes]
    took_place = f"status IN {_in(reached)}"
    people_sums = [f"SUM(CASE WHEN {took_place} THEN {c} END)" for c in cells]
    row = conn.execute(
        text(f"SELECT {', '.join(theme_sums + people_sums)} FROM activity WHERE deleted = 0")
    ).one()
    by_theme = {t: int(n or 0) for t, n in zip(themes, row[: len(themes)], strict=True)}
    people = {c: int(n or 0) for c, n in zip(cells, row[len(themes) :], strict=True)}
    return by_theme, people


def cuf_beneficiaries(conn: Connection, statuses: Sequence[str]) -> int:
    """Beneficiaries of the live CUF projects in one of `statuses`."""
    value = conn.execute(
        text(
            "SELECT COALESCE(SUM(beneficiaries_total), 0) FROM cuf_project "
            f"WHERE deleted = 0 AND status IN {_in(statuses)}"
        )
    ).scalar()
    return int(value or 0)


def latest_revisions(
    conn: Connection, record_types: Sequence[str], limit: int
) -> list[tuple[str, str, str, str, str, bool, str]]:
    """The newest revisions here of the given record types, newest first: (record_type,
    record_id, author, device_id, hlc, deleted, parents JSON)."""
    rows = conn.execute(
        text(
            "SELECT r.record_type, r.record_id, r.author, r.device_id, r.hlc, r.deleted, "
            "r.parents FROM revision r "
            f"WHERE r.record_type IN {_in(record_types)} ORDER BY r.local_seq DESC LIMIT :n"
        ),
        {"n": int(limit)},
    ).all()
    return [(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows]


def current_titles(conn: Connection, refs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """{record_id: its current title} for (record_type, record_id) pairs that exist."""
    by_type: dict[str, set[str]] = {}
    for record_type, record_id in refs:
        by_type.setdefault(record_type, set()).add(record_id)
    titles: dict[str, str] = {}
    for record_type, ids in by_type.items():
        title = spec_for(record_type).title_field  # a declared field name, safe in SQL
        params: dict[str, Any] = {f"i{n}": rid for n, rid in enumerate(ids)}
        marks = ", ".join(f":{k}" for k in params)
        for rid, name in conn.execute(
            text(f"SELECT id, {title} FROM {record_type} WHERE id IN ({marks})"), params
        ):
            titles[rid] = str(name or "")
    return titles


def _in(codes: Sequence[str]) -> str:
    """An SQL IN list of our own constant codes (never user input)."""
    return "(" + ", ".join(f"'{c}'" for c in codes) + ")"
