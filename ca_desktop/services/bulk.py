"""Whole record types at once, for exports and imports: batches out, current bodies in.

Kept beside `CaDesktop` rather than on it: these are for the reports package, which
streams tens of thousands of records and must not hold them all as one list.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ca_desktop.services.app import CaDesktop
from ca_desktop.services.views import RecordView
from ca_desktop.store import export_queries


def record_batches(
    app: CaDesktop, record_type: str, batch: int = 2000
) -> Iterator[list[RecordView]]:
    """Every live record of `record_type`, in insertion order, `batch` at a time.

    Bodies include fields written by a newer version of CA Desktop.
    """
    for rows in export_queries.record_batches(app.db.engine, record_type, batch):
        yield [RecordView(*r) for r in rows]


def count_live(app: CaDesktop, record_type: str) -> int:
    with app.db.engine.connect() as conn:
        return export_queries.count_live(conn, record_type)


def current_bodies(
    app: CaDesktop, record_type: str, ids: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """{id: current body} for the live records among `ids`; ids not found are left out."""
    with app.db.engine.connect() as conn:
        return export_queries.current_bodies(conn, record_type, ids)


def newer_field_names(app: CaDesktop, record_type: str) -> set[str]:
    """Fields found in live records of this type that this version does not declare."""
    with app.db.engine.connect() as conn:
        return export_queries.newer_field_names(conn, record_type)
