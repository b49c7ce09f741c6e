"""Query plans right by construction: the declared tables match the migrations, and the
queries the pages and editors issue use an index instead of scanning a large table."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event
from sqlmodel import SQLModel

from ca_desktop.services.activity_queries import activity_keys, fetch_rows
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.demo import generate_demo
from ca_desktop.store.activity_queries import ActivityFilter

LARGE = ("activity", "attendance_entry", "revision", "record_head")


def test_the_declared_tables_are_what_the_migrations_create(app: CaDesktop) -> None:
    with app.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    # The search index is an FTS5 table, and the sort indexes (0012, 0016) are partial, on
    # expressions: SQLAlchemy models neither.
    assert [d for d in diff if "fts" not in repr(d) and "ix_activity_sort_" not in repr(d)] == []


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with 1,500 demo activities whose statistics were gathered on close."""
    folder = tmp_path_factory.mktemp("plans")
    app = CaDesktop.open(folder)
    app.init_device("Planner", "officer", "UG-CP")
    generate_demo(app, 1500, seed=3)
    app.close()  # runs PRAGMA optimize
    return folder


def _statements(app: CaDesktop, action: Any) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    event.listen(app.db.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(app.db.engine, "before_cursor_execute", record)
    return seen


def test_what_an_editor_and_the_activities_page_ask_uses_indexes(analysed: Path) -> None:
    app = CaDesktop.open(analysed)
    try:
        [act] = app.list_records("activity", limit=1, offset=700)

        def open_an_activity() -> None:
            app.get("activity", act.id)
            app.list_records("attendance_entry", where={"activity_id": act.id}, order_by="line")
            app.history(act.id)
            keys = activity_keys(app, ActivityFilter(search="forum"), "start_date", True)
            fetch_rows(app, keys[:50])

        statements = _statements(app, open_an_activity)
        assert len(statements) >= 5
        full_scans = []
        with app.db.engine.connect() as conn:
            for sql, params in statements:
                plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()
                for row in plan:
                    detail = str(row[-1])
                    table = re.match(r"SCAN (\w+)(?! USING)", detail)
                    if table and table.group(1) in LARGE and "USING" not in detail:
                        full_scans.append(f"{detail}  <-  {sql[:120]}")
                    # An index searched on `deleted` alone selects nearly every row.
                    if re.search(r"INDEX \w+ \(deleted=\?\)", detail):
                        full_scans.append(f"{detail}  <-  {sql[:120]}")
        assert not full_scans, "\n".join(full_scans)
    finally:
        app.close()


def test_every_page_of_the_activities_table_walks_an_index(
    analysed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ca_desktop.services.activity_queries import SORT_KEYS, activity_page, count_activities

    app = CaDesktop.open(analysed)
    try:

        def pages() -> None:
            for sort in SORT_KEYS:
                for descending in (True, False):
                    activity_page(app, ActivityFilter(), sort, descending, 600, 300)
            activity_page(app, ActivityFilter(search="w"), "start_date", True, 0, 300)
            count_activities(app, ActivityFilter(search="w"))
            activity_page(app, ActivityFilter(search="forum"), "people", True, 0, 300)

        statements = _statements(app, pages)
        assert len(statements) > 2 * len(SORT_KEYS) + 4  # place and programme: several each
        assert any("CROSS JOIN activity" in s for s, _ in statements)  # a search list
        problems = []
        with app.db.engine.connect() as conn:
            for sql, params in statements:
                plan = [
                    str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)
                ]
                for detail in plan:
                    scan = re.match(r"SCAN (\w+)", detail)
                    if scan and scan.group(1) in ("a", *LARGE) and "INDEX" not in detail:
                        problems.append(f"{detail}  <-  {sql[:150]}")
                    # A search sorts its newest matches (BOUNDED_MATCHES at most); the index
                    # walks them newest first.
                    bounded = "activity_fts" in sql or "json_each(" in sql
                    if "TEMP B-TREE FOR ORDER BY" in detail and not bounded:
                        problems.append(f"{detail}  <-  {sql[:150]}")
        assert not problems, "\n".join(problems)
    finally:
        app.close()
