"""Soak: thousands of team-sync schedules with restores (the issue-10 state machine).

    .venv/bin/python bench/soak_sync.py [--examples 2000] [--steps 50]

Runs `tests/sync/restore_machine.TeamSync` (a coordinator and two officers: edits of
fields and counts, deletes, exports some `--full`, deliveries in any order with duplicates,
losses and replays, conflict resolutions and edits of records in conflict on any laptop,
backups, restores from healthy and damaged databases), each schedule followed by the lost
sticks turning up and an exchange until quiet, then the invariants: identical records,
tombstones and open conflicts everywhere, every surviving edit on the coordinator, nothing
left to send, `db check` clean. Prints one Markdown line for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import collections
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "sync")]

from hypothesis import HealthCheck, settings  # noqa: E402
from hypothesis.stateful import run_state_machine_as_test  # noqa: E402
from restore_machine import NAMES, TeamSync, make_template  # noqa: E402

WORK = Path(__file__).with_name("_work") / "soak_sync"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=50)
    args = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    seen: collections.Counter[str] = collections.Counter()

    class Soak(TeamSync):
        template = make_template(WORK / "template")
        workdir = WORK

        def teardown(self) -> None:
            if hasattr(self, "laps"):
                seen["schedules"] += 1
                seen["bundles"] += len(self.pool)
                seen["backups"] += sum(len(b) for b in self.backups.values())
                seen["restored laptops"] += sum(
                    1
                    for n in NAMES
                    if self.laps[n].app.device().predecessors  # type: ignore[union-attr]
                )
                seen["edits lost with a restore"] += len(self.lost)
            super().teardown()
            shutil.rmtree(self.root, ignore_errors=True)  # keep the disk bounded

    run = settings(
        max_examples=args.examples,
        stateful_step_count=args.steps,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    start = time.perf_counter()

    run_state_machine_as_test(Soak, settings=run)
    took = time.perf_counter() - start
    print(
        f"| {seen['schedules']:,} schedules × ≤{args.steps} steps | {seen['bundles']:,} bundles, "
        f"{seen['backups']:,} backups, {seen['restored laptops']:,} laptops restored at the end, "
        f"{seen['edits lost with a restore']:,} edits lost with a restore (never left) | "
        f"{took:.0f} s | all invariants held ✓ |"
    )
    shutil.rmtree(WORK, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
