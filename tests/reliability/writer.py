"""A separate process that writes, for the reliability tests.

    python writer.py DATA_DIR one-batch N      # N activities in ONE transaction
    python writer.py DATA_DIR many N TAG       # N activities, one transaction each
"""

from __future__ import annotations

import sys
from pathlib import Path

from ca_desktop.cli.common import run_handler
from ca_desktop.services.app import CaDesktop
from ca_desktop.store.revisions import Change


def body(programme_id: str, i: int, tag: str) -> dict[str, object]:
    return {
        "programme_id": programme_id, "level": "community", "type": "settlement_forum",
        "title": f"{tag} forum {i}", "start_date": "2026-03-01", "status": "completed",
        "female_youth": i % 7, "notes": "x" * 200,
    }


def main(args: object) -> int:
    data_dir, mode, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    tag = sys.argv[4] if len(sys.argv) > 4 else "w"
    app = CaDesktop.open(data_dir)
    programme_id = app.list_records("programme")[0].id
    if mode == "one-batch":
        app.save_many([Change("activity", None, body(programme_id, i, tag)) for i in range(n)])
    else:
        for i in range(n):
            app.save("activity", body(programme_id, i, tag))
    app.close()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(run_handler(main, None))  # type: ignore[arg-type]
