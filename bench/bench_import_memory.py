"""Benchmark: a realistic bundle imported through the real CLI: peak memory and time.

    .venv/bin/python bench/bench_import_memory.py [--activities 100000] [--compare DIR]

An officer's database filled by the `demo` generator (realistic activities with their
attendance registers, projects, grievances, places and organisations; built once and
cached) exports everything to a coordinator. The coordinator imports that bundle with
`python -m ca_desktop bundle import` in a fresh process, as a user would. Measured in the
same run:

- the import's wall time and peak RSS (the child's own VmHWM, read from /proc at exit);
- the time floor of `bench_sync.py`: the same lines decoded with `json.loads` and the same
  revision, head, signature and activity rows inserted with raw `sqlite3` in one
  transaction (other record types get their revision and head rows only: the floor is a
  little cheaper than the real work);
- the memory floor: a fresh process running a small CLI command on the same data folder
  (`conflicts list` after the import: the storage stack loaded, nothing held);
- with `--compare DIR`, the same import by another checkout of CA Desktop (e.g. the code
  before streaming import), in the same run.

Prints a Markdown table for bench/RESULTS.md. Goals (issue 12): peak RSS <= 300 MB at
100k activities, <= 350 MB at 300k; import time ratio no worse than `bench_sync.py`'s.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_common  # noqa: E402
from bench_sync import export_floor, import_floor  # noqa: E402

import ca_desktop.sync  # noqa: E402,F401  (creates keys at init)
from ca_desktop.services.app import CaDesktop  # noqa: E402
from ca_desktop.sync.service import SyncService  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# Runs the CLI as `python -m ca_desktop` does, then writes this process's peak RSS.
_PEAK = """
import runpy, sys
peak = sys.argv.pop()
try:
    runpy.run_module("ca_desktop", run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status") as status, open(peak, "w") as out:
        out.write(next(x for x in status if x.startswith("VmHWM")).split()[1])
"""


def cli(code: Path, data_dir: Path, *args: str) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, stdout) of one CLI command run by checkout `code`."""
    peak = data_dir.parent / "peak.txt"
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _PEAK, "--data-dir", str(data_dir), *args, str(peak)],
        capture_output=True, text=True, env=env, cwd=code, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed, int(peak.read_text()) / 1024, proc.stdout


def setup(work: Path, n: int) -> tuple[Path, Path]:
    """(bundle, clean coordinator folder) for `n` demo activities, built once."""
    bundle = work / f"officer-{n}.cabundle"
    clean = work / f"coord-{n}-clean"
    if bundle.exists() and clean.exists():
        return bundle, clean
    bench_common.WORK = work
    officer = CaDesktop.open(bench_common.demo_database(n, "import"))
    shutil.rmtree(clean, ignore_errors=True)
    coord = CaDesktop.open(clean)
    coord.init_device("Bench Coordinator", "coordinator", "UG-CP")
    o_sync, c_sync = SyncService(officer), SyncService(coord)
    o_sync.export_public_key(work / "officer.pub")
    c_sync.export_public_key(work / "coord.pub")
    c_sync.trust(work / "officer.pub")
    o_sync.trust(work / "coord.pub")
    print("exporting the bundle (once)...", file=sys.stderr)
    o_sync.export(bundle, to=work / "coord.pub", full=True)
    officer.close()
    coord.close()
    return bundle, clean


def fresh_copy(clean: Path, target: Path) -> Path:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(clean, target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/stream-bench"))
    parser.add_argument("--compare", type=Path, help="another checkout to time the same way")
    args = parser.parse_args()
    n, work = args.activities, args.work
    work.mkdir(parents=True, exist_ok=True)
    bundle, clean = setup(work, n)
    size = bundle.stat().st_size

    target = fresh_copy(clean, work / "coord")
    ours, ours_rss, out = cli(ROOT, target, "bundle", "import", str(bundle))
    assert "imported" in out, out
    _t, base_rss, _out = cli(ROOT, target, "conflicts", "list")
    db = target / "ca-desktop.sqlite"
    with sqlite3.connect(db) as con:
        revisions = con.execute("SELECT COUNT(*) FROM revision").fetchone()[0]
    # The floor's lines: what the import stored (plus the coordinator's few own revisions).
    lines = work / "floor.jsonl"
    export_floor(db, lines)
    floor_db = fresh_copy(clean, work / "floor")
    floor = import_floor(floor_db / "ca-desktop.sqlite", lines)
    shutil.rmtree(floor_db, ignore_errors=True)
    lines.unlink()

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")  # fmt: skip
    print(f"bundle: {n:,} demo activities, {revisions:,} revisions, {size / 1e6:.1f} MB\n")
    print("| measure | ours | floor | ratio | goal |")
    print("|---|---|---|---|---|")
    print(f"| import, `python -m ca_desktop bundle import` in a fresh process: time | "
          f"{ours:.2f} s | {floor:.2f} s | {ours / floor:.2f}x | no worse than bench_sync |")  # fmt: skip
    goal = 300 if n <= 100_000 else 350
    print(f"| – peak RSS (VmHWM) | {ours_rss:.0f} MB | {base_rss:.0f} MB | "
          f"{ours_rss / base_rss:.2f}x | <= {goal} MB {'✓' if ours_rss <= goal else '✗'} |",
          flush=True)  # fmt: skip
    if args.compare:
        target = fresh_copy(clean, work / "coord")
        t, rss, _out = cli(args.compare, target, "bundle", "import", str(bundle))
        print(f"| the same import by {args.compare}: time | {t:.2f} s | {floor:.2f} s | "
              f"{t / floor:.2f}x | |")  # fmt: skip
        print(f"| – peak RSS | {rss:.0f} MB | {base_rss:.0f} MB | {rss / base_rss:.2f}x | |")
    shutil.rmtree(work / "coord", ignore_errors=True)
    print(f"| bundle bytes per demo activity (all its records) | {size / n:.0f} B | | | |")


if __name__ == "__main__":
    main()
