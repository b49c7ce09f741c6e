"""Benchmark: the Home dashboard's aggregates on 100,000 activities.

    .venv/bin/python bench/bench_dashboard.py [--activities 100000] [--runs 7]

Measures `load_dashboard` (every figure on the Home page, one read transaction) against a
floor measured in the same run: one `SELECT` that scans every activity row once and sums
one column, the least any figure over all activities can cost. Goals: the dashboard within
6x the floor (level and status come from indexes; themes and people need one pass over the
rows with a dozen expressions per row) and within 300 ms, so the page fills promptly even on an old laptop (it runs on a worker thread, so the
GUI never blocks either way). Also times the record pages' list load (`search_records`).

The database is built once with `generate_demo` (the one another benchmark built is reused
when present) and kept in bench/_work/ (git-ignored). Prints a Markdown snippet.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_common import demo_database, median_ms  # noqa: E402
from sqlalchemy import text  # noqa: E402

from ca_desktop.services.app import CaDesktop  # noqa: E402
from ca_desktop.services.dashboard import load_dashboard  # noqa: E402
from ca_desktop.services.record_queries import search_records  # noqa: E402

MAX_RATIO = 6.0
MAX_MS = 300.0


def database(n: int) -> Path:
    return demo_database(n, "dashboard", "officer")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    app = CaDesktop.open(database(args.activities))
    try:
        activities = app.count("activity")

        def floor() -> None:
            with app.db.engine.connect() as conn:
                conn.execute(
                    text("SELECT COUNT(*), SUM(female_youth) FROM activity WHERE deleted = 0")
                ).one()

        floor_ms = median_ms(floor, args.runs)
        dashboard_ms = median_ms(lambda: load_dashboard(app), args.runs)
        cuf_ms = median_ms(lambda: search_records(app, "cuf_project"), args.runs)
        search_ms = median_ms(lambda: search_records(app, "grievance", "drainage"), args.runs)
        cufs, grievances = app.count("cuf_project"), app.count("grievance")
    finally:
        app.close()
    ratio = dashboard_ms / floor_ms if floor_ms else float("inf")
    ok = ratio <= MAX_RATIO and dashboard_ms <= MAX_MS
    print(f"### Home dashboard on {activities:,} activities (median of {args.runs})\n")
    print("| measure | result | goal |")
    print("|---|---|---|")
    print(f"| floor: one scan of every activity | {floor_ms:.1f} ms | — |")
    print(f"| `load_dashboard` (all figures) | {dashboard_ms:.1f} ms | ≤ {MAX_MS:.0f} ms |")
    print(f"| dashboard / floor | {ratio:.1f}x | ≤ {MAX_RATIO:.0f}x |")
    print(f"| CUF projects page list ({cufs:,} records) | {cuf_ms:.1f} ms | — |")
    print(f"| grievance search ({grievances:,} records) | {search_ms:.1f} ms | — |")
    print(f"\n{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
