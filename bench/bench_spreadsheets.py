"""Benchmark: spreadsheets and IATI on 100,000 activities, each next to a floor.

    .venv/bin/python bench/bench_spreadsheets.py [--activities 100000]

1. XLSX export of the activity sheet (read from the database in batches, cells converted,
   reference titles looked up, streamed to a write-only workbook, atomic rename) next to a
   floor: openpyxl's write-only mode writing the very same cells, prepared in memory.
2. CSV import of N new activities (rows without ids, referring to the programmes, places
   and organisations of the database): the dry run (read, check every row with the domain
   rules, check every reference) and the real import (the same, then one transaction through
   the write path), next to the store benchmark's raw-insert floor (`bench_store.floor`):
   the rows the import left, re-inserted with `sqlite3.executemany` in one transaction.
3. IATI export of the N activities, every chunk validated against the schema.
Prints a Markdown table for bench/RESULTS.md. Goals: XLSX <= 2x, import <= 3x.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import shutil
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import floor  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from ca_desktop.reports.columns import csv_text  # noqa: E402
from ca_desktop.reports.iati import export_iati  # noqa: E402
from ca_desktop.reports.spreadsheet_export import _Rows, export_workbook  # noqa: E402
from ca_desktop.reports.spreadsheet_import import import_spreadsheet  # noqa: E402
from ca_desktop.services.app import CaDesktop  # noqa: E402
from ca_desktop.services.demo import generate_demo  # noqa: E402

WORK = Path(__file__).with_name("_work") / "spreadsheets"


def source_db(n: int) -> CaDesktop:
    data = WORK / f"source-{n}"
    if not (data / "ca-desktop.sqlite").exists():
        shutil.rmtree(data, ignore_errors=True)
        app = CaDesktop.open(data)
        app.init_device("Bench", "coordinator", "UG-CP")
        generate_demo(app, n, seed=1)
        app.close()
    return CaDesktop.open(data)


def xlsx(app: CaDesktop) -> tuple[float, float, int]:
    out = WORK / "activities.xlsx"
    start = time.perf_counter()
    counts = export_workbook(app, out, record_types=["activity"])
    ours = time.perf_counter() - start
    rows = _Rows(app, "activity")
    cells = [row for batch in rows.batches() for row in batch]  # prepared, not timed
    start = time.perf_counter()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("activity")
    ws.append(rows.header)
    for row in cells:
        ws.append(row)
    wb.save(WORK / "floor.xlsx")
    raw = time.perf_counter() - start
    return ours, raw, counts["activity"]


def import_csv(source: CaDesktop, n: int) -> tuple[float, float, float, int]:
    """A fresh database with reference data; N new activities from a CSV into it."""
    data = WORK / "import"
    shutil.rmtree(data, ignore_errors=True)
    app = CaDesktop.open(data)
    app.init_device("Bench", "coordinator", "UG-CP")
    generate_demo(app, 1, seed=2)  # programmes, places, organisations to refer to
    for t in ("activity", "attendance_entry", "cuf_project", "grievance"):
        for r in app.list_records(t):
            app.delete(t, r.id)
    programmes = list(app.titles("programme"))
    places = list(app.titles("place"))
    orgs = list(app.titles("organisation"))
    rng = random.Random(1)
    path = WORK / "activities.csv"
    rows = _Rows(source, "activity")
    header = rows.header
    refs = {"programme_id": programmes, "place_id": places, "lead_organisation_id": orgs}
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for batch in rows.batches():
            for row in batch:
                row[0] = None  # no id: a new record
                for name, ids in refs.items():
                    if row[header.index(name)] is not None:
                        row[header.index(name)] = rng.choice(ids)
                w.writerow([csv_text(v) for v in row])
    start = time.perf_counter()
    dry = import_spreadsheet(app, path, "activity", dry_run=True)
    dry_s = time.perf_counter() - start
    assert dry.created == n and not dry.problems, dry.problems[:3]
    start = time.perf_counter()
    real = import_spreadsheet(app, path, "activity")
    real_s = time.perf_counter() - start
    assert real.created == n
    app.close()
    db = data / "ca-desktop.sqlite"
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    raw = floor(db, WORK / "floor.sqlite", 1)
    return dry_s, real_s, raw, real.created


def iati(app: CaDesktop) -> tuple[float, int, float]:
    out = WORK / "iati.xml"
    start = time.perf_counter()
    n = export_iati(app, out, org_id="XM-DAC-41301")
    return time.perf_counter() - start, n, out.stat().st_size / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=100_000)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    app = source_db(args.activities)
    n = app.count("activity")
    x_ours, x_raw, x_rows = xlsx(app)
    dry, real, raw, created = import_csv(app, n)
    i_time, i_count, i_mb = iati(app)
    app.close()
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}\n"
    )
    print("| measure | ours | floor | ratio | goal |")
    print("|---|---|---|---|---|")
    print(
        f"| XLSX export, {x_rows:,} activities | {x_ours:.2f} s | {x_raw:.2f} s | **{x_ours / x_raw:.2f}×** | ≤ 2× |"
    )
    print(
        f"| CSV import, {created:,} new activities, dry run | {dry:.2f} s | {raw:.2f} s | **{dry / raw:.2f}×** | ≤ 3× |"
    )
    print(
        f"| CSV import, {created:,} new activities, real | {real:.2f} s | {raw:.2f} s | **{real / raw:.2f}×** | ≤ 3× |"
    )
    print(
        f"| IATI export with schema validation, {i_count:,} iati-activity elements ({i_mb:.0f} MB) | {i_time:.2f} s | | | |"
    )


if __name__ == "__main__":
    main()
