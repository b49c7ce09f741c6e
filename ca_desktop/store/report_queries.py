"""The reports' SQL: results-framework measures aggregated over the current-state tables.

Every activity measure is a pair (value per row, condition per row), so one scan sums all
measures for all pivot cells, and the same condition lists the records behind a figure
(drill-down) — the two can never disagree. Deleted records never count. Column names put
into the SQL are our own constants; every value from a user travels as a bound parameter.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from ca_desktop.domain.enums import Theme
from ca_desktop.domain.periods import Scope
from ca_desktop.domain.records import PARTICIPANT_FIELDS
from ca_desktop.domain.results import (
    FORUM_TYPES,
    OPEN_GRIEVANCE_STATUSES,
    REACHED_STATUSES,
    RESOLVED_GRIEVANCE_STATUSES,
)


def _in(codes: Iterable[str]) -> str:
    """An SQL IN list of our own constant codes (never user input)."""
    return "(" + ", ".join(f"'{c}'" for c in codes) + ")"


def _cells(names: Iterable[str]) -> str:
    return " + ".join(f"COALESCE(a.{n}, 0)" for n in names)


_REACHED = f"a.status IN {_in(REACHED_STATUSES)}"
_WOMEN = ("female_youth", "female_other")
_YOUTH = tuple(n for n in PARTICIPANT_FIELDS if n.endswith("_youth"))

# code -> (value of one row, condition for the row to count). Values are summed.
ACTIVITY_MEASURES: dict[str, tuple[str, str]] = {
    "activities": ("1", "1 = 1"),  # (a condition PostgreSQL reads as one too)
    "activities_held": ("1", _REACHED),
    "people_reached": (_cells(PARTICIPANT_FIELDS), f"{_REACHED} AND ({_cells(PARTICIPANT_FIELDS)}) > 0"),
    "women_reached": (_cells(_WOMEN), f"{_REACHED} AND ({_cells(_WOMEN)}) > 0"),
    "youth_reached": (_cells(_YOUTH), f"{_REACHED} AND ({_cells(_YOUTH)}) > 0"),
    **{
        f"people_{cell}": (f"COALESCE(a.{cell}, 0)", f"{_REACHED} AND a.{cell} > 0")
        for cell in PARTICIPANT_FIELDS
    },
    **{
        f"forums_{level}": ("1", f"{_REACHED} AND a.type = '{code}'")
        for level, code in FORUM_TYPES.items()
    },
}  # fmt: skip

_QUARTER = (
    "substr(a.start_date, 1, 4) || 'Q' || ((CAST(substr(a.start_date, 6, 2) AS INTEGER) + 2) / 3)"
)
# Pivot dimensions of an activity. "place" is folded into country or city by the caller.
DIMENSIONS: dict[str, str] = {
    "programme": "a.programme_id",
    "place": "a.place_id",
    "level": "a.level",
    "type": "a.type",
    "status": "a.status",
    "theme": "t.code",
    "quarter": _QUARTER,
    "month": "substr(a.start_date, 1, 7)",
    "themes": "a.themes",  # the stored list ("gender,resilience"), split by the caller
}
# An activity with several themes counts once under each; one with none under "".
_THEME_JOIN = (
    " LEFT JOIN ("
    + " UNION ALL ".join(f"SELECT '{t.value}' AS code" for t in Theme)
    + ") t ON instr(',' || a.themes || ',', ',' || t.code || ',') > 0"
)


def _scope_where(
    scope: Scope, date: str | None, programme: str, place: str | None, activity: bool
) -> tuple[list[str], dict[str, Any]]:
    where = ["a.deleted = 0"]
    params: dict[str, Any] = {}
    if scope.period is not None and date is not None:
        where.append(f"{date} BETWEEN :p_start AND :p_end")
        params.update(p_start=scope.period.start, p_end=scope.period.end)
    if scope.programme_id is not None:
        where.append(f"{programme} = :p_programme")
        params["p_programme"] = scope.programme_id
    if scope.place_ids is not None and place is not None:
        where.append(f"{place} IN (SELECT value FROM json_each(:p_places))")
        params["p_places"] = json.dumps(sorted(scope.place_ids))
    if activity:
        for name in ("level", "type"):
            value = getattr(scope, name)
            if value is not None:
                where.append(f"a.{name} = :p_{name}")
                params[f"p_{name}"] = value
        if scope.theme is not None:
            where.append("instr(',' || a.themes || ',', :p_theme) > 0")
            params["p_theme"] = f",{scope.theme},"
    return where, params


def _activity_scope(scope: Scope) -> tuple[list[str], dict[str, Any]]:
    return _scope_where(scope, "a.start_date", "a.programme_id", "a.place_id", activity=True)


def activity_measures(
    conn: Connection, scope: Scope, measures: Sequence[str], dims: Sequence[str] = ()
) -> list[tuple[Any, ...]]:
    """Rows of (key per dim..., sum per measure...) over the live activities in scope."""
    where, params = _activity_scope(scope)
    keys = [f"COALESCE({DIMENSIONS[d]}, '')" for d in dims]
    sums = []
    for m in measures:
        value, condition = ACTIVITY_MEASURES[m]
        sums.append(f"COALESCE(SUM(CASE WHEN {condition} THEN {value} END), 0)")
    join = _THEME_JOIN if "theme" in dims else ""
    group = f" GROUP BY {', '.join(str(i + 1) for i in range(len(dims)))}" if dims else ""
    sql = (
        f"SELECT {', '.join(keys + sums)} FROM activity a{join} WHERE {' AND '.join(where)}{group}"
    )
    return [tuple(r) for r in conn.execute(text(sql), params)]


def activity_ids(
    conn: Connection,
    scope: Scope,
    measure: str,
    cell: Mapping[str, str | frozenset[str]] | None = None,
    limit: int | None = None,
) -> list[str]:
    """Ids of the live activities in scope that count in `measure` (within a pivot cell:
    {dim: key}; a "place" key is a set of place ids), by start date."""
    where, params = _activity_scope(scope)
    where.append(ACTIVITY_MEASURES[measure][1])
    for n, (dim, key) in enumerate((cell or {}).items()):
        if dim == "theme":
            if key == "":
                where.append("COALESCE(a.themes, '') = ''")
            else:
                where.append(f"instr(',' || a.themes || ',', :c{n}) > 0")
                params[f"c{n}"] = f",{key},"
        elif isinstance(key, frozenset):
            # "" stands for "no place" so that a pivot's "(none)" row drills down too.
            where.append(f"COALESCE({DIMENSIONS[dim]}, '') IN (SELECT value FROM json_each(:c{n}))")
            params[f"c{n}"] = json.dumps(sorted(key))
        else:
            where.append(f"COALESCE({DIMENSIONS[dim]}, '') = :c{n}")
            params[f"c{n}"] = key
    sql = f"SELECT a.id FROM activity a WHERE {' AND '.join(where)} ORDER BY a.start_date, a.id"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = int(limit)
    return [r[0] for r in conn.execute(text(sql), params)]


def activity_rows(conn: Connection, ids: Sequence[str]) -> list[tuple[Any, ...]]:
    """(id, start_date, title, level, type, status, place_id, six participant cells...) for
    the given activities, in the order given."""
    cols = ", ".join(f"a.{c}" for c in PARTICIPANT_FIELDS)
    rows = conn.execute(
        text(
            f"SELECT a.id, a.start_date, a.title, a.level, a.type, a.status, a.place_id, {cols} "
            "FROM activity a WHERE a.id IN (SELECT value FROM json_each(:ids))"
        ),
        {"ids": json.dumps(list(ids))},
    )
    by_id = {r[0]: tuple(r) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def places(conn: Connection) -> list[tuple[str, str | None, str, str | None, str]]:
    """Every live place: (id, parent_id, kind, country, name)."""
    rows = conn.execute(
        text("SELECT id, parent_id, kind, country, name FROM place WHERE deleted = 0")
    )
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]


def programmes(conn: Connection) -> list[tuple[str, str, str, str | None]]:
    """Every live programme: (id, code, name, country), by code."""
    rows = conn.execute(
        text("SELECT id, code, name, country FROM programme WHERE deleted = 0 ORDER BY code")
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def _cuf_scope(scope: Scope) -> tuple[list[str], dict[str, Any]]:
    # CUF projects carry no date: they are counted as they stand, whatever the period.
    return _scope_where(scope, None, "a.programme_id", "a.settlement_id", activity=False)


def cuf_by_status(conn: Connection, scope: Scope) -> list[tuple[Any, ...]]:
    """(status, currency, projects, beneficiaries total, women, youth, CA funds, community
    contribution) per status and currency of the live CUF projects in scope."""
    where, params = _cuf_scope(scope)
    sql = (
        "SELECT a.status, COALESCE(a.currency, ''), COUNT(*), "
        "COALESCE(SUM(a.beneficiaries_total), 0), COALESCE(SUM(a.beneficiaries_women), 0), "
        "COALESCE(SUM(a.beneficiaries_youth), 0), COALESCE(SUM(a.ca_funds), 0), "
        "COALESCE(SUM(a.community_contribution), 0) "
        f"FROM cuf_project a WHERE {' AND '.join(where)} GROUP BY 1, 2"
    )
    return [tuple(r) for r in conn.execute(text(sql), params)]


def cuf_ids(conn: Connection, scope: Scope, statuses: Sequence[str] | None) -> list[str]:
    """Ids of the live CUF projects in scope, in one of `statuses` (None: any)."""
    where, params = _cuf_scope(scope)
    if statuses is not None:
        where.append(f"a.status IN {_in(statuses)}")
    sql = f"SELECT a.id FROM cuf_project a WHERE {' AND '.join(where)} ORDER BY a.title, a.id"
    return [r[0] for r in conn.execute(text(sql), params)]


def cuf_rows(conn: Connection, scope: Scope) -> list[tuple[Any, ...]]:
    """(title, type, status, settlement_id, currency, CA funds, contribution, beneficiaries
    total, women, youth) of the live CUF projects in scope, by status then title."""
    where, params = _cuf_scope(scope)
    sql = (
        "SELECT a.title, a.type, a.status, a.settlement_id, a.currency, a.ca_funds, "
        "a.community_contribution, a.beneficiaries_total, a.beneficiaries_women, "
        f"a.beneficiaries_youth FROM cuf_project a WHERE {' AND '.join(where)} "
        "ORDER BY a.status, a.title"
    )
    return [tuple(r) for r in conn.execute(text(sql), params)]


GRIEVANCE_GROUPS = {
    "grievances_received": None,
    "grievances_resolved": RESOLVED_GRIEVANCE_STATUSES,
    "grievances_open": OPEN_GRIEVANCE_STATUSES,
}


def _grievance_scope(scope: Scope) -> tuple[list[str], dict[str, Any]]:
    return _scope_where(scope, "a.date_received", "a.programme_id", "a.place_id", activity=False)


def grievance_figures(conn: Connection, scope: Scope) -> tuple[int, int, int, list[float]]:
    """(received, resolved, open) of the grievances received in scope, and the days each
    resolved one took (for a median; there are few)."""
    where, params = _grievance_scope(scope)
    cond = " AND ".join(where)
    row = conn.execute(
        text(
            f"SELECT COUNT(*), SUM(a.status IN {_in(RESOLVED_GRIEVANCE_STATUSES)}), "
            f"SUM(a.status IN {_in(OPEN_GRIEVANCE_STATUSES)}) FROM grievance a WHERE {cond}"
        ),
        params,
    ).one()
    days = conn.execute(
        text(
            "SELECT julianday(a.date_resolved) - julianday(a.date_received) FROM grievance a "
            f"WHERE {cond} AND a.status IN {_in(RESOLVED_GRIEVANCE_STATUSES)} "
            "AND a.date_resolved IS NOT NULL"
        ),
        params,
    )
    return (
        int(row[0] or 0),
        int(row[1] or 0),
        int(row[2] or 0),
        [float(d[0]) for d in days if d[0] is not None],
    )


def grievance_ids(conn: Connection, scope: Scope, statuses: Sequence[str] | None) -> list[str]:
    where, params = _grievance_scope(scope)
    if statuses is not None:
        where.append(f"a.status IN {_in(statuses)}")
    sql = f"SELECT a.id FROM grievance a WHERE {' AND '.join(where)} ORDER BY a.date_received, a.id"
    return [r[0] for r in conn.execute(text(sql), params)]


# A register row counts in the participant cell of its sex and age band (15–24: youth).
_REGISTER_CELLS = ", ".join(
    f"SUM(e.sex = '{cell.rsplit('_', 1)[0]}' AND "
    f"(e.age_band = '15_24') = {1 if cell.endswith('_youth') else 0}) AS {cell}"
    for cell in PARTICIPANT_FIELDS
)
_MATCHES = " AND ".join(f"COALESCE(a.{c}, 0) = r.{c}" for c in PARTICIPANT_FIELDS)


def _register_sql(scope: Scope, select: str, extra: str = "") -> tuple[str, dict[str, Any]]:
    where, params = _activity_scope(scope)
    where.append(_REACHED)
    sql = (
        f"SELECT {select} FROM activity a JOIN (SELECT e.activity_id, {_REGISTER_CELLS} "
        "FROM attendance_entry e WHERE e.deleted = 0 GROUP BY e.activity_id) r "
        f"ON r.activity_id = a.id WHERE {' AND '.join(where)}{extra}"
    )
    return sql, params


def register_figures(conn: Connection, scope: Scope) -> tuple[int, int]:
    """(activities that took place with a typed register, of which the register matches
    the participant counts cell by cell)."""
    sql, params = _register_sql(scope, f"COUNT(*), COALESCE(SUM({_MATCHES}), 0)")
    row = conn.execute(text(sql), params).one()
    return int(row[0] or 0), int(row[1] or 0)


def register_ids(conn: Connection, scope: Scope, matching: bool | None) -> list[str]:
    """Activities with a register (that matches, that differs, or either when None)."""
    extra = "" if matching is None else f" AND {'' if matching else 'NOT '}({_MATCHES})"
    sql, params = _register_sql(scope, "a.id", extra + " ORDER BY a.start_date, a.id")
    return [r[0] for r in conn.execute(text(sql), params)]


def raw_activity_scan(conn: Connection) -> int:
    """A floor for benchmarks: one plain pass summing a column over every activity."""
    return int(conn.execute(text("SELECT SUM(LENGTH(title)) FROM activity")).scalar() or 0)
