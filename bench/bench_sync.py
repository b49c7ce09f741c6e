"""Benchmark: export and import of a bundle of N activity revisions vs raw sqlite3 floors.

    .venv/bin/python bench/bench_sync.py [--activities 100000]

An officer's laptop holds N activities (one revision each, written through the normal write
path beforehand, not timed). Measured in the same run:

1. export: `bundle export` to the coordinator: select, canonical JSON lines, deflate,
   sign, encrypt, fsync, rename, read back and verify;
   floor: the same revision rows (with their authors' signatures, issue 10) read with raw
   `sqlite3` and encoded as the same JSON lines into a plain file.
2. import on the coordinator: decrypt, every ZIP/manifest/signature/hash check, every line
   parsed strictly and every revision id recomputed, checked and written in bounded
   batches inside one transaction through the shared write path (revisions, heads,
   current-state rows, search index, ledger);
   floor: the same JSON lines decoded with `json.loads` and the same rows the import writes
   (revisions, heads, current-state rows with their search index) inserted with raw
   `sqlite3.executemany` (signature rows included) into an empty database of the same schema, triggers and PRAGMAs,
   in one transaction.
Prints a Markdown table for bench/RESULTS.md. Goals: import <= 3x, export <= 2x the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ca_desktop.sync  # noqa: E402,F401  (creates keys at init)
from ca_desktop.services.app import CaDesktop  # noqa: E402
from ca_desktop.store.revisions import Change  # noqa: E402
from ca_desktop.sync.apply import apply_bundle  # noqa: E402
from ca_desktop.sync.keys import load_keys  # noqa: E402
from ca_desktop.sync.reader import OpenBundle  # noqa: E402
from ca_desktop.sync.service import SyncService  # noqa: E402

WORK = Path(__file__).with_name("_work") / "sync"
COLUMNS = ("rev_id", "record_id", "record_type", "parents", "device_id", "device_seq", "hlc",
           "author", "deleted", "body", "local_seq", "clock_flag")  # fmt: skip


def laptop(name: str, role: str) -> tuple[CaDesktop, SyncService]:
    app = CaDesktop.open(WORK / name)
    app.init_device(name.title(), role, "UG-CP")
    return app, SyncService(app)


def fill(app: CaDesktop, n: int) -> None:
    pid = app.save(
        "programme",
        {"code": "UG-CP", "name": "Uganda Country Programme", "kind": "country_programme"},
    ).id
    for start in range(0, n, 5000):
        app.save_many(
            [
                Change(
                    "activity",
                    None,
                    {
                        "programme_id": pid,
                        "level": "community",
                        "type": "settlement_forum",
                        "themes": ["gender", "resilience"],
                        "title": f"Settlement forum {i}",
                        "description": "Monthly forum of the settlement's residents",
                        "start_date": "2026-11-02",
                        "end_date": "2026-11-02",
                        "status": "completed",
                        "female_youth": i % 13,
                        "female_other": i % 17,
                        "male_youth": i % 7,
                        "male_other": i % 11,
                        "notes": "Residents discussed the water kiosk, drainage and lighting.",
                    },
                )  # fmt: skip
                for i in range(start, min(start + 5000, n))
            ]
        )


def export_floor(db: Path, target: Path) -> float:
    start = time.perf_counter()
    con = sqlite3.connect(db)
    with target.open("w", encoding="utf-8") as out:
        for *row, signer, signature in con.execute(
            "SELECT r.rev_id, record_id, record_type, parents, device_id, device_seq, hlc,"
            " author, deleted, body, s.key_id, s.signature FROM revision r LEFT JOIN"
            " revision_signature s ON s.rev_id = r.rev_id ORDER BY local_seq"
        ):
            doc = dict(zip(COLUMNS[:10], row, strict=True))
            if signature is not None:  # the same lines: each carries its author's signature
                doc["sig"] = {"key": signer, "value": signature}
            doc["parents"] = json.loads(doc["parents"])
            doc["body"] = json.loads(doc["body"])
            doc["deleted"] = bool(doc["deleted"])
            out.write(
                json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
            )
        out.flush()
        os.fsync(out.fileno())
    con.close()
    return time.perf_counter() - start


def import_floor(empty_db: Path, lines: Path) -> float:
    """Decode the JSON lines and insert the rows an import writes, with plain sqlite3.

    The same rows as the real import: the revision rows, one head row per record and the
    current-state row of each activity (whose search index the table's triggers fill, as
    they do for the real import).
    """
    con = sqlite3.connect(empty_db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    columns = [r[1] for r in con.execute("PRAGMA table_info(activity)") if r[1] != "num"]
    start = time.perf_counter()
    revisions, heads, current, signatures = [], [], [], []
    with lines.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            d = json.loads(line)
            if "sig" in d:
                signatures.append((d["rev_id"], d["sig"]["key"], d["sig"]["value"]))
            revisions.append((
                d["rev_id"], d["record_id"], d["record_type"], json.dumps(d["parents"]),
                d["device_id"], d["device_seq"], d["hlc"], d["author"], d["deleted"],
                json.dumps(d["body"], sort_keys=True, ensure_ascii=False), 1_000_000 + i, False,
            ))  # fmt: skip
            heads.append((d["record_id"], d["rev_id"]))
            if d["record_type"] == "activity":
                meta = {
                    "id": d["record_id"],
                    "rev_id": d["rev_id"],
                    "heads": 1,
                    "deleted": False,
                    "created_hlc": d["hlc"],
                    "updated_hlc": d["hlc"],
                    "updated_by": d["author"],
                }
                body = d["body"]
                row = []
                for col in columns:
                    v = meta[col] if col in meta else body.get(col)
                    if isinstance(v, list):
                        v = ",".join(v) if col == "themes" else json.dumps(v, ensure_ascii=False)
                    row.append(v)
                current.append(tuple(row))
    con.execute("BEGIN IMMEDIATE")
    con.executemany(
        f"INSERT INTO revision ({','.join(COLUMNS)}) VALUES ({','.join('?' * 12)})", revisions
    )
    con.executemany("INSERT INTO record_head (record_id, rev_id) VALUES (?, ?)", heads)
    con.executemany(
        "INSERT INTO revision_signature (rev_id, key_id, signature) VALUES (?, ?, ?)", signatures
    )
    marks = ",".join("?" * len(columns))
    con.executemany(f"INSERT INTO activity ({','.join(columns)}) VALUES ({marks})", current)
    con.execute("COMMIT")
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help=f"keep {WORK} for a look")
    args = parser.parse_args()
    n = args.activities
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    officer, officer_sync = laptop("officer", "officer")
    coord, coord_sync = laptop("coord", "coordinator")
    officer_sync.export_public_key(WORK / "officer.pub")
    coord_sync.export_public_key(WORK / "coord.pub")
    officer_sync.trust(WORK / "coord.pub")
    coord_sync.trust(WORK / "officer.pub")
    coord.close()
    shutil.copytree(WORK / "coord", WORK / "floor")  # an empty database of the same schema
    coord = CaDesktop.open(WORK / "coord")
    fill(officer, n)

    bundle = WORK / "officer.cabundle"
    start = time.perf_counter()
    result = officer_sync.export(bundle, to=WORK / "coord.pub")
    exported = time.perf_counter() - start
    floor_out = export_floor(officer.db.path, WORK / "floor.jsonl")

    # `importer.import_file` without its wrapping: read, check and write in bounded
    # batches inside one transaction (there are no separate phases any more).
    keys = load_keys(coord.data_dir)
    info = coord.device()
    assert info is not None
    start = time.perf_counter()
    with OpenBundle(bundle, keys, coord.data_dir / "tmp") as opened:
        _verified, counts = apply_bundle(
            coord.db.engine, opened, info, keys, coord.data_dir, lambda _n: None
        )
    imported = time.perf_counter() - start
    assert counts is not None and counts.revisions_new == result.revisions
    floor_in = import_floor(WORK / "floor" / "ca-desktop.sqlite", WORK / "floor.jsonl")

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")  # fmt: skip
    print(f"bundle: {result.revisions} revisions ({n} activities), {result.size / 1e6:.1f} MB\n")
    print("| measure | ours | floor | ratio | goal |")
    print("|---|---|---|---|---|")
    print(f"| export {n} activities (encrypted bundle) | {exported:.2f} s | {floor_out:.2f} s "
          f"| {exported / floor_out:.2f}x | <= 2x |")  # fmt: skip
    print(f"| import (all checks + write path, one transaction) | {imported:.2f} s | {floor_in:.2f} s "
          f"| {imported / floor_in:.2f}x | <= 3x |")  # fmt: skip
    print(f"| bytes per activity in the bundle | {result.size / n:.0f} B | | | |")
    officer.close()
    coord.close()
    if not args.keep:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
