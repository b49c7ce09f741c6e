"""What the quarterly report shows, read from the database in one snapshot."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ca_desktop.domain.jobs import Progress, report
from ca_desktop.reports.filters import PlaceIndex, ReportFilters, to_scope
from ca_desktop.reports.indicators import Figures, compute_figures
from ca_desktop.services.app import CaDesktop
from ca_desktop.store import report_queries as sql

# The annex lists activities up to this many (a year of a large programme); beyond, it says
# how many were left out and the spreadsheet export has them all.
ANNEX_LIMIT = 1500
CUF_LIMIT = 300  # the project table likewise (a programme may have hundreds of projects)


@dataclass(frozen=True)
class QuarterlyData:
    figures: Figures
    programme: tuple[str, str] | None  # (code, name) when one programme is chosen
    produced: dt.date
    annex: list[tuple[Any, ...]]  # activity_rows + the place name at the end
    annex_total: int
    cuf_projects: list[tuple[Any, ...]]  # cuf_rows with the settlement name in place of its id
    cuf_total: int


def gather(
    app: CaDesktop, filters: ReportFilters, progress: Progress | None = None
) -> QuarterlyData:
    figures = compute_figures(app, filters, lambda d, t: _sub(progress, d, t))
    with app.db.engine.connect() as conn, conn.begin():
        places = PlaceIndex.read(conn)
        scope = to_scope(filters, places)
        ids = sql.activity_ids(conn, scope, "activities")
        annex = [
            (*row, places.name.get(row[6] or "", ""))
            for row in sql.activity_rows(conn, ids[:ANNEX_LIMIT])
        ]
        all_cuf = sql.cuf_rows(conn, scope)
        cuf = [(*r[:3], places.name.get(r[3] or "", ""), *r[4:]) for r in all_cuf[:CUF_LIMIT]]
        programme = next(
            ((p[1], p[2]) for p in sql.programmes(conn) if p[0] == filters.programme), None
        )
    report(progress, 6, 10)
    return QuarterlyData(figures, programme, dt.date.today(), annex, len(ids), cuf, len(all_cuf))


def _sub(progress: Progress | None, done: int, total: int) -> bool:
    # The figures are the first half of the job.
    return progress is None or progress(done, 2 * total)
