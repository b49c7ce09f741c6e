"""`ca_indicators_*`: the results-framework figures as SQL views, for BI tools.

An office points Power BI, Metabase or Superset at these views through the read-only role
(`docs/hub.md`). They are built from the same declarations the reports use — the
activity measures of `report_queries.ACTIVITY_MEASURES` (value and condition per row), its
quarter expression, and the status lists of `domain/results.py` — so a figure summed from
a view equals the report's figure for the same programme and period (a test checks it).

Views hold no data, so they are not a migration: `hub init` and `hub migrate` drop and
recreate them from this module in the same transaction as the schema upgrade, and they
always follow the declarations of the release that ran last. The SQL is plain enough for
both SQLite and PostgreSQL (`NOT deleted`, `CASE`, `substr`, `||`).
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from ca_desktop.domain.records import PARTICIPANT_FIELDS
from ca_desktop.domain.results import (
    COMMITTED_CUF_STATUSES,
    DELIVERED_CUF_STATUSES,
    OPEN_GRIEVANCE_STATUSES,
    RESOLVED_GRIEVANCE_STATUSES,
)
from ca_desktop.store.report_queries import _QUARTER, ACTIVITY_MEASURES, _in

PREFIX = "ca_indicators_"


def _sum(value: str, condition: str) -> str:
    # The reports' "always" condition is the integer 1, which PostgreSQL's CASE refuses.
    condition = "1 = 1" if condition.strip() == "1" else condition
    return f"COALESCE(SUM(CASE WHEN {condition} THEN {value} END), 0)"


def _activities() -> str:
    """One row per programme, quarter (of the start date), level and type; one column per
    activity measure of the reports, named by its indicator code."""
    sums = ", ".join(f"{_sum(v, c)} AS {code}" for code, (v, c) in ACTIVITY_MEASURES.items())
    return (
        f"SELECT p.code AS programme, a.programme_id, {_QUARTER} AS quarter, a.level, "
        f"a.type, {sums} FROM activity a LEFT JOIN programme p ON p.id = a.programme_id "
        "WHERE NOT a.deleted GROUP BY p.code, a.programme_id, 3, a.level, a.type"
    )


def _participants() -> str:
    """People reached by sex and youth (15–24): one row per programme, quarter, level, sex
    and age group, so a BI tool pivots on them without knowing our column names."""
    parts = []
    for cell in PARTICIPANT_FIELDS:
        sex, age = cell.rsplit("_", 1)
        value, condition = ACTIVITY_MEASURES[f"people_{cell}"]
        parts.append(
            f"SELECT p.code AS programme, a.programme_id, {_QUARTER} AS quarter, a.level, "
            f"'{sex}' AS sex, '{'15_24' if age == 'youth' else 'other'}' AS age_group, "
            f"{_sum(value, condition)} AS people FROM activity a "
            "LEFT JOIN programme p ON p.id = a.programme_id "
            "WHERE NOT a.deleted GROUP BY p.code, a.programme_id, 3, a.level"
        )
    return " UNION ALL ".join(parts)


def _flag(column: str, statuses: tuple[str, ...]) -> str:
    return f"CASE WHEN {column} IN {_in(statuses)} THEN 1 ELSE 0 END"


def _cuf() -> str:
    """CUF projects as they stand, per programme, status and currency (no period: projects
    carry no date, as in the reports); `delivered`/`committed` say which figures count."""
    return (
        "SELECT p.code AS programme, a.programme_id, a.status, "
        "COALESCE(a.currency, '') AS currency, "
        f"{_flag('a.status', DELIVERED_CUF_STATUSES)} AS delivered, "
        f"{_flag('a.status', COMMITTED_CUF_STATUSES)} AS committed, COUNT(*) AS projects, "
        "COALESCE(SUM(a.beneficiaries_total), 0) AS beneficiaries, "
        "COALESCE(SUM(a.beneficiaries_women), 0) AS beneficiaries_women, "
        "COALESCE(SUM(a.beneficiaries_youth), 0) AS beneficiaries_youth, "
        "COALESCE(SUM(a.ca_funds), 0) AS ca_funds, "
        "COALESCE(SUM(a.community_contribution), 0) AS community_contribution "
        "FROM cuf_project a LEFT JOIN programme p ON p.id = a.programme_id "
        "WHERE NOT a.deleted GROUP BY p.code, a.programme_id, a.status, 4"
    )


def _grievances() -> str:
    """Grievances per programme and quarter received: received, resolved, still open."""
    quarter = _QUARTER.replace("a.start_date", "a.date_received")
    return (
        f"SELECT p.code AS programme, a.programme_id, {quarter} AS quarter, "
        "COUNT(*) AS received, "
        f"SUM({_flag('a.status', RESOLVED_GRIEVANCE_STATUSES)}) AS resolved, "
        f"SUM({_flag('a.status', OPEN_GRIEVANCE_STATUSES)}) AS open "
        "FROM grievance a LEFT JOIN programme p ON p.id = a.programme_id "
        "WHERE NOT a.deleted GROUP BY p.code, a.programme_id, 3"
    )


VIEWS: dict[str, str] = {
    f"{PREFIX}activities": _activities(),
    f"{PREFIX}participants": _participants(),
    f"{PREFIX}cuf": _cuf(),
    f"{PREFIX}grievances": _grievances(),
}


def create_views(conn: Connection) -> list[str]:
    """(Re)create every view inside the caller's transaction; returns their names."""
    for name, select in VIEWS.items():
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {name}")
        conn.exec_driver_sql(f"CREATE VIEW {name} AS {select}")
    return list(VIEWS)


def view_rows(conn: Connection, name: str) -> list[dict[str, object]]:
    """Every row of one view as a dict (tests and `hub check`)."""
    if name not in VIEWS:
        raise ValueError(f"unknown view: {name[:60]!r}")
    result = conn.exec_driver_sql(f"SELECT * FROM {name}")
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]
