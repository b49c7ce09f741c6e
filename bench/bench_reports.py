"""Benchmark: the results-framework figures, the pivot and the quarterly PDF on 100,000
activities.

    .venv/bin/python bench/bench_reports.py [--activities 100000] [--runs 5]

Measures, against a floor measured in the same run (one `SELECT` that scans every
activity row once and sums one column, as in `bench_dashboard.py`):
- `compute_figures` with no filter: every indicator (one pass for the activity measures,
  four breakdowns, CUF, grievances, registers) — goal ≤ 1 s;
- `compute_pivot` programme × quarter of people reached, with totals — goal ≤ 1 s;
- `write_quarterly_pdf` for one programme and one quarter — goal ≤ 5 s (and for one
  programme over all dates, whose annex stops at `ANNEX_LIMIT` activities).

The database is built once with `generate_demo` and kept in bench/_work/ (git-ignored);
the ones `bench_dashboard.py` builds are reused when present.
Prints a Markdown snippet for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_common import demo_database, median_ms  # noqa: E402
from sqlalchemy import text  # noqa: E402

from ca_desktop.domain.periods import parse_period  # noqa: E402
from ca_desktop.reports.filters import ReportFilters, programme_by_code  # noqa: E402
from ca_desktop.reports.indicators import compute_figures  # noqa: E402
from ca_desktop.reports.pivot import compute_pivot  # noqa: E402
from ca_desktop.reports.quarterly_pdf import write_quarterly_pdf  # noqa: E402
from ca_desktop.services.app import CaDesktop  # noqa: E402

MAX_FIGURES_MS = 1000.0
MAX_PIVOT_MS = 1000.0
MAX_PDF_MS = 5000.0


def database(n: int) -> Path:
    return demo_database(n, "reports", "coordinator")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = CaDesktop.open(database(args.activities))
    try:
        activities = app.count("activity")

        def floor() -> None:
            with app.db.engine.connect() as conn:
                conn.execute(
                    text("SELECT COUNT(*), SUM(female_youth) FROM activity WHERE deleted = 0")
                ).one()

        everything = ReportFilters()
        floor_ms = median_ms(floor, args.runs)
        figures_ms = median_ms(lambda: compute_figures(app, everything), args.runs)
        pivot_ms = median_ms(
            lambda: compute_pivot(app, everything, "programme", "quarter", "people_reached"),
            args.runs,
        )
        ug = programme_by_code(app, "UG-CP")
        quarter = ReportFilters(period=parse_period("2025Q3"), programme=ug)
        q_figures = compute_figures(app, quarter)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "q.pdf"
            pdf_ms = median_ms(lambda: write_quarterly_pdf(app, quarter, out), 3)
            all_ms = median_ms(
                lambda: write_quarterly_pdf(app, everything.with_(programme=ug), out), 1
            )
    finally:
        app.close()
    ok = (figures_ms <= MAX_FIGURES_MS, pivot_ms <= MAX_PIVOT_MS, pdf_ms <= MAX_PDF_MS)
    mark = {True: "✓", False: "✗"}
    print(f"## Reports on {activities:,} activities (`bench_reports.py`, issue 9)\n")
    print("| measure | result | goal |")
    print("|---|---|---|")
    print(f"| floor: one scan of every activity | {floor_ms:.1f} ms | — |")
    print(
        f"| `compute_figures`, no filter (every indicator) | {figures_ms:.1f} ms ({figures_ms / floor_ms:.1f}× floor) | ≤ 1 s {mark[ok[0]]} |"
    )
    print(
        f"| `compute_pivot` programme × quarter, with totals | {pivot_ms:.1f} ms ({pivot_ms / floor_ms:.1f}× floor) | ≤ 1 s {mark[ok[1]]} |"
    )
    print(
        f"| quarterly PDF, UG-CP 2025Q3 ({q_figures.value('activities'):,.0f} activities) | {pdf_ms:.0f} ms | ≤ 5 s {mark[ok[2]]} |"
    )
    print(f"| quarterly PDF, UG-CP all dates (annex capped) | {all_ms:.0f} ms | — |")
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
