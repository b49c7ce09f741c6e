"""Benchmark: the demo generator through the full write path vs raw sqlite3.executemany.

    .venv/bin/python bench/bench_store.py [--activities 100000]

1. `generate_demo` writes N activities (plus places, registers, CUF projects, grievances)
   through the one write path: validation, a revision per record, heads, current state,
   search index, one transaction per batch.
2. The floor: the very rows step 1 left in every table, re-inserted into an empty database
   with the same schema, triggers (the search index) and PRAGMAs with plain
   `sqlite3.executemany`, in as many transactions as step 1 used.
3. Opening the database in a fresh process and counting activities.
Prints a Markdown table for bench/RESULTS.md. Goal: ratio <= 3.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ca_desktop.services.app import CaDesktop  # noqa: E402
from ca_desktop.services.demo import BATCH, generate_demo  # noqa: E402

WORK = Path(__file__).with_name("_work")


def full_path(n: int, data_dir: Path) -> tuple[float, dict[str, int]]:
    shutil.rmtree(data_dir, ignore_errors=True)
    app = CaDesktop.open(data_dir)
    app.init_device("Bench", "officer", "UG-CP")
    start = time.perf_counter()
    counts = generate_demo(app, n, seed=1)
    elapsed = time.perf_counter() - start
    app.close()
    return elapsed, counts


def floor(
    source: Path, target: Path, transactions: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    target.unlink(missing_ok=True)
    src = sqlite3.connect(source)
    schema = [
        sql
        for (sql,) in src.execute(
            # Everything but FTS5's shadow tables (the virtual table creates them). Note that
            # '_' is a LIKE wildcard: match the shadow tables by type and exact prefix, or the
            # search-index triggers (activity_fts_insert, ...) would be dropped too.
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL "
            "AND NOT (type = 'table' AND substr(name, 1, 13) = 'activity_fts_') "
            "AND name NOT LIKE 'sqlite_%' ORDER BY type='index', rowid"
        )
    ]
    skip = {"alembic_version", "local_device"}
    tables = [
        name
        for (name,) in src.execute("SELECT name FROM sqlite_master WHERE type='table'")
        if name not in skip and not name.startswith(("sqlite_", "activity_fts"))
    ]
    data = {t: src.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}
    cols = {t: len(src.execute(f'SELECT * FROM "{t}" LIMIT 0').description) for t in tables}
    src.close()
    dst = sqlite3.connect(target, isolation_level=None)
    dst.execute("PRAGMA journal_mode=WAL")
    dst.execute("PRAGMA synchronous=FULL")
    for sql in schema:
        dst.execute(sql)
    start = clock()
    for i in range(transactions):
        dst.execute("BEGIN IMMEDIATE")
        for t in tables:
            rows = data[t]
            part = rows[i * len(rows) // transactions : (i + 1) * len(rows) // transactions]
            if part:
                marks = ",".join("?" * cols[t])
                dst.executemany(f'INSERT INTO "{t}" VALUES ({marks})', part)
        dst.execute("COMMIT")
    elapsed = clock() - start
    # The floor must do the same work: its triggers filled the same search index.
    indexed = dst.execute("SELECT count(*) FROM activity_fts").fetchone()[0]
    live = dst.execute("SELECT count(*) FROM activity WHERE deleted = 0").fetchone()[0]
    assert indexed == live, f"floor search index has {indexed} rows for {live} activities"
    dst.close()
    return elapsed


def open_and_count(data_dir: Path) -> float:
    code = (
        "import time,sys;t=time.perf_counter();"
        "from ca_desktop.services.app import CaDesktop;"
        f"a=CaDesktop.open(__import__('pathlib').Path({str(data_dir)!r}));"
        "n=a.count('activity');print(time.perf_counter()-t, n)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.split()[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=100_000)
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    data_dir = WORK / "store"
    elapsed, counts = full_path(args.activities, data_dir)
    records = sum(counts.values())
    db = data_dir / "ca-desktop.sqlite"
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    transactions = 1 + -(-(records - 77) // BATCH)
    raw = floor(db, WORK / "floor.sqlite", transactions)
    opened = open_and_count(data_dir)
    size_mb = db.stat().st_size / 1e6
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )
    print(f"records written: {records} ({counts})\n")
    print("| measure | value | goal |")
    print("|---|---|---|")
    print(f"| demo --activities {args.activities} (full write path) | {elapsed:.2f} s | |")
    print(f"| same rows, raw sqlite3.executemany ({transactions} transactions) | {raw:.2f} s | |")
    print(f"| ratio | {elapsed / raw:.2f}x | <= 3x |")
    print(f"| records per second (full path) | {records / elapsed:,.0f} | |")
    print(
        f"| database size | {size_mb:.0f} MB ({size_mb * 1e6 / args.activities / 1024:.1f} KiB per activity incl. related records) | |"
    )
    print(
        f"| open database + count activities (fresh process, incl. imports) | {opened * 1000:.0f} ms | |"
    )


if __name__ == "__main__":
    main()
