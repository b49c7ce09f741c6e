"""Benchmark: what users feel, through the real entry point, at 100k and 300k activities.

    /work/main/.venv/bin/python bench/bench_entry.py [--activities 100000 300000] [--runs 3]

Every measurement starts a fresh process the way a user does: `python -m ca_desktop`
from this checkout (the code the console script `ca-desktop` runs; the script itself
points at whichever checkout was installed), next to a floor started the same way in the
same run:

1. start-up: process start to the main window painted, and to the first rows of the
   last-used page (Activities) painted, read from the `CA_DESKTOP_BENCH_MARKS=1` stamps
   (`ca_desktop/gui/bench_marks.py`); floor: a bare `QApplication` + `QMainWindow`;
2. `--version` against a bare `python -c pass`;
3. `history ID` against a fresh Python that opens the file with `sqlite3` and reads the
   record's revisions;
4. inside the real GUI (started through `ca_desktop.cli.main`, with a hook that runs after
   the start): search to rows painted for 34 queries (one-letter, very common words,
   prefixes; after the 150 ms typing pause, which is a deliberate wait), sort by every
   column both ways, open the activity editor on the fullest register.

Databases: `demo --activities N --seed 1`, cached in /tmp/perf-db/demo-N (built by the
command line when missing). Prints Markdown for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("CA_BENCH_DBS", "/tmp/perf-db"))
SEARCHES = (
    # one letter: a prefix among the newest matches
    "w", "a", "k", "f", "s", "d", "m", "t",
    # very common words
    "forum", "settlement", "community", "water", "meeting", "youth", "women", "training",
    # typing on
    "wa", "wat", "wate", "dr", "drai", "drain", "kis", "kisenyi", "sav", "savings",
    "toilet", "kiosk", "water kiosk", "youth em", "market", "flood", "health", "zzzz",
)  # fmt: skip
# Bytecode as an installed copy has it (pip and the frozen build compile every module):
# a shell with PYTHONDONTWRITEBYTECODE=1 would otherwise make every start compile all of
# CA Desktop from source (a quarter of a second of `history ID`), which no user pays.
ENV = {
    **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    "QT_QPA_PLATFORM": "offscreen",
    "PYTHONPATH": str(ROOT),
}

BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QLabel("CA Desktop")); w.resize(1280, 800); w.show()
QTimer.singleShot(0, lambda: (print("CA-MARK window-shown", time.time(), file=sys.stderr, flush=True), app.quit()))
app.exec()
"""


def database(n: int) -> Path:
    folder = CACHE / f"demo-{n}"
    if not (CACHE / f"demo-{n}.complete").exists():
        print(f"building {n:,} activities in {folder} (minutes)...", file=sys.stderr)
        # A plain folder (as `init --no-encryption` makes it): the figures measure the
        # code, not SQLCipher's page decryption (bench_encryption.py measures that).
        base = [sys.executable, "-m", "ca_desktop", "--data-dir", str(folder)]
        if not (folder / "ca-desktop.sqlite").exists():
            subprocess.run(
                [*base, "init", "--name", "Demo Officer", "--role", "officer",
                 "--programme", "UG-CP", "--no-encryption"],
                check=True, env=ENV, cwd=ROOT,
            )  # fmt: skip
        subprocess.run(
            [*base, "demo", "--activities", str(n), "--seed", "1"], check=True, env=ENV, cwd=ROOT
        )
        (CACHE / f"demo-{n}.complete").write_text("ok")
    # The last-used page is the Activities page: its rows are the data a start shows.
    (folder / "gui.ini").write_text("[window]\npage=activities\n")
    return folder


def marks(cmd: list[str], wanted: str) -> dict[str, float]:
    """Seconds from process start to each CA-MARK line, until `wanted`; then stop it."""
    start = time.time()
    proc = subprocess.Popen(
        cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=ROOT,
        env={**ENV, "CA_DESKTOP_BENCH_MARKS": "1"},
    )  # fmt: skip
    assert proc.stderr is not None
    seen: dict[str, float] = {}
    for line in proc.stderr:
        if line.startswith("CA-MARK "):
            _, name, stamp = line.split()
            seen[name] = float(stamp) - start
            if name == wanted:
                break
    proc.terminate()
    proc.wait()
    return seen


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, env=ENV, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{cmd} failed: {done.stderr.decode()[-500:]}")
    return time.perf_counter() - start


def median_of(runs: int, fn: Any) -> float:
    return statistics.median(fn() for _ in range(runs))


def startup(folder: Path, runs: int) -> dict[str, float]:
    app = [sys.executable, "-m", "ca_desktop", "--data-dir", str(folder)]
    bare = [sys.executable, "-c", BARE]
    marks(app, "rows-drawn")  # warm the OS file cache for both
    marks(bare, "window-shown")
    shown, rows, floor = [], [], []
    for _ in range(runs):
        floor.append(marks(bare, "window-shown")["window-shown"])
        got = marks(app, "rows-drawn")
        shown.append(got["window-shown"])
        rows.append(got["rows-drawn"])
    return {
        "bare": statistics.median(floor),
        "shown": statistics.median(shown),
        "rows": statistics.median(rows),
    }


def cli_figures(folder: Path, runs: int) -> dict[str, float]:
    con = sqlite3.connect(folder / "ca-desktop.sqlite")
    record_id = con.execute("SELECT id FROM activity ORDER BY num LIMIT 1 OFFSET 777").fetchone()[0]
    con.close()
    raw = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "print(c.execute('SELECT rev_id, device_id, hlc, body FROM revision WHERE record_id = ?',"
        " (sys.argv[2],)).fetchall())"
    )
    py = sys.executable
    return {
        "version": median_of(runs, lambda: wall([py, "-m", "ca_desktop", "--version"])),
        "pass": median_of(runs, lambda: wall([py, "-c", "pass"])),
        "history": median_of(
            runs,
            lambda: wall([py, "-m", "ca_desktop", "--data-dir", str(folder), "history", record_id]),
        ),
        "raw_query": median_of(
            runs, lambda: wall([py, "-c", raw, str(folder / "ca-desktop.sqlite"), record_id])
        ),
    }


def interactions(folder: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("entry_driver.py")), str(folder), *SEARCHES],
        capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=1800,
    )  # fmt: skip
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[len("RESULT ") :]))
    raise SystemExit(f"the driver failed: {done.stderr[-2000:]}")


def verdict(ok: bool) -> str:
    return "✓" if ok else "**✗**"


def report(n: int, s: dict[str, float], c: dict[str, float], i: dict[str, Any]) -> None:
    goal_rows = 1.5 if n <= 100_000 else 2.0
    print(f"\n### {n:,} activities\n")
    print("| measure (path) | ours | floor | ratio | goal |")
    print("|---|---|---|---|---|")
    print(
        f"| start to main window painted (`python -m ca_desktop --data-dir D`; floor: bare "
        f"`QApplication`+`QMainWindow`, `python -c`) | {s['shown'] * 1000:.0f} ms | "
        f"{s['bare'] * 1000:.0f} ms | {s['shown'] / s['bare']:.2f}× | ≤ 2× {verdict(s['shown'] / s['bare'] <= 2)} |"
    )
    print(
        f"| start to first Activities rows painted (same process) | {s['rows'] * 1000:.0f} ms | | | "
        f"≤ {goal_rows:.1f} s {verdict(s['rows'] <= goal_rows)} |"
    )
    print(
        f"| `python -m ca_desktop --version` (floor `python -c pass`) | {c['version'] * 1000:.0f} ms | "
        f"{c['pass'] * 1000:.0f} ms | {c['version'] / c['pass']:.2f}× | ≤ 3× {verdict(c['version'] / c['pass'] <= 3)} |"
    )
    print(
        f"| `python -m ca_desktop history ID` (floor: fresh Python, `sqlite3`, the record's "
        f"revisions) | {c['history'] * 1000:.0f} ms | {c['raw_query'] * 1000:.0f} ms | "
        f"{c['history'] / c['raw_query']:.2f}× | ≤ 4× {verdict(c['history'] / c['raw_query'] <= 4)} |"
    )
    searches = i["search_ms"]
    med, worst = statistics.median(searches.values()), max(searches.values())
    print(
        f"| search to rows painted, median / worst of {len(searches)} queries (each the "
        f"median of 3 turns; real GUI, after the typing pause) | {med:.0f} / {worst:.0f} ms | "
        f"| | ≤ 50 / 120 ms "
        f"{verdict(med <= 50)} / {verdict(worst <= 120)} |"
    )
    sorts = i["sort_ms"]
    print(
        f"| sort by a column to rows painted, worst of {len(sorts)} (every column, both ways) | "
        f"{max(sorts.values()):.0f} ms | | | ≤ 200 ms {verdict(max(sorts.values()) <= 200)} |"
    )
    first, again = i["editor_ms"][0], statistics.median(i["editor_ms"][1:])
    print(
        f"| open the activity editor ({i['editor_lines']} register lines) to painted: first "
        f"of the session / again | {first:.0f} / {again:.0f} ms | | | ≤ 150 ms "
        f"{verdict(first <= 150)} / {verdict(again <= 150)} |"
    )
    sql = i.get("search_sql_ms", {})
    if sql:
        print(
            f"\nOf which the query (the first page, on its worker thread): median "
            f"{statistics.median(sql.values()):.0f} ms, worst {max(sql.values()):.0f} ms; the "
            "rest is handing the rows over and the repaint."
        )
    cpu = i.get("search_cpu_ms", {})
    if cpu:
        editor_cpu = i.get("editor_cpu_ms", [0.0])
        print(
            f"\nProcessor time (each thread's own CPU clock, GUI thread + the query's worker; "
            f"what a step costs without waiting for a core): search median "
            f"{statistics.median(cpu.values()):.0f} ms, worst {max(cpu.values()):.0f} ms; "
            f"the editor {editor_cpu[0]:.0f} ms the first time, "
            f"{statistics.median(editor_cpu[1:] or editor_cpu):.0f} ms again."
        )
    print("\nSearch (ms): " + ", ".join(f"`{w}` {t:.0f}" for w, t in searches.items()))
    print("\nSort (ms): " + ", ".join(f"{k} {t:.0f}" for k, t in sorts.items()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, nargs="+", default=[100_000, 300_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "ca_desktop")], check=True, env=ENV
    )
    for n in args.activities:
        folder = database(n)
        s = startup(folder, args.runs)
        c = cli_figures(folder, args.runs)
        i = interactions(folder)
        report(n, s, c, i)


if __name__ == "__main__":
    main()
