"""What several benchmarks share: a cached demo database and a warm median timer."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ca_desktop.services.app import CaDesktop  # noqa: E402
from ca_desktop.services.demo import generate_demo  # noqa: E402

WORK = Path(__file__).with_name("_work")


def demo_database(n: int, name: str, role: str = "officer") -> Path:
    """A data folder with `n` demo activities, built once under bench/_work/; one another
    benchmark built (`gui-N`, `dashboard-N`, `reports-N`) is reused when present."""
    for kind in ("gui", "dashboard", "reports"):
        if (WORK / f"{kind}-{n}" / "complete").exists():
            return WORK / f"{kind}-{n}"
    data_dir = WORK / f"{name}-{n}"
    print(f"building a database with {n:,} activities in {data_dir} (once)...", file=sys.stderr)
    app = CaDesktop.open(data_dir)
    app.init_device("Bench " + role.title(), role, "UG-CP")
    generate_demo(app, n, seed=1)
    app.close()
    (data_dir / "complete").write_text("ok")
    return data_dir


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm: pages in the OS cache, statements compiled
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)
