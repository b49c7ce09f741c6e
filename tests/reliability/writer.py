"""A separate process that writes, for the reliability tests, and says when it does.

    python writer.py DATA_DIR one-batch N      # N activities in ONE transaction
    python writer.py DATA_DIR many N TAG       # N activities, one transaction each
    python writer.py DATA_DIR cli ARGS...      # a ca-desktop command, e.g. bundle import F

It prints one line per step, flushed at once, so a test can kill it at a known moment
instead of guessing with a sleep:

    begin         a write transaction holds the database lock (after BEGIN IMMEDIATE)
    writing       the transaction has written its first rows; nothing is committed yet
    committing    COMMIT is about to be sent; before this line the transaction cannot
                  have committed, after it the database may hold either state
    saved I       (many) activity I is committed
    done
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from ca_desktop.cli import main as cli_main
from ca_desktop.cli.common import run_handler
from ca_desktop.services import protection
from ca_desktop.services.app import CaDesktop
from ca_desktop.store.revisions import Change

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def say(line: str) -> None:
    print(line, flush=True)


def announce_writes() -> None:
    """Print `begin` / `writing` / `committing` for every write transaction of any engine.

    Listening on the Engine class catches the engine the app creates later; the markers
    come from the statements SQLite really ran, not from where we think the app is.
    """
    in_write = [False, False]  # inside BEGIN IMMEDIATE; a row written in it

    def after_execute(_conn: Any, _cur: Any, statement: str, *_rest: Any) -> None:
        head = statement.lstrip()[:16].upper()
        if head.startswith("BEGIN IMMEDIATE"):
            in_write[:] = [True, False]
            say("begin")
        elif in_write[0] and not in_write[1] and head.startswith(_WRITES):
            in_write[1] = True
            say("writing")

    def before_commit(_conn: Any) -> None:
        if in_write[0]:
            say("committing")
        in_write[:] = [False, False]

    def after_rollback(_conn: Any) -> None:
        in_write[:] = [False, False]

    event.listen(Engine, "after_cursor_execute", after_execute)
    event.listen(Engine, "commit", before_commit)
    event.listen(Engine, "rollback", after_rollback)


def body(programme_id: str, i: int, tag: str) -> dict[str, object]:
    return {
        "programme_id": programme_id, "level": "community", "type": "settlement_forum",
        "title": f"{tag} forum {i}", "start_date": "2026-03-01", "status": "completed",
        "female_youth": i % 7, "notes": "x" * 200,
    }


def write_activities(data_dir: Path, mode: str, n: int, tag: str) -> int:
    if protection.state(data_dir).encrypted:  # an `encrypted_too` test's folder
        protection.unlock(data_dir, os.environ["CA_DESKTOP_TEST_PASSPHRASE"])
    app = CaDesktop.open(data_dir)
    programme_id = app.list_records("programme")[0].id
    announce_writes()  # after opening: the markers are about the writes below
    if mode == "one-batch":
        app.save_many([Change("activity", None, body(programme_id, i, tag)) for i in range(n)])
    else:
        for i in range(n):
            app.save("activity", body(programme_id, i, tag))
            say(f"saved {i}")
    app.close()
    return 0


def main(_args: object) -> int:
    data_dir, mode = Path(sys.argv[1]), sys.argv[2]
    if mode == "cli":
        announce_writes()
        status = cli_main(["--data-dir", str(data_dir), *sys.argv[3:]])
    else:
        tag = sys.argv[4] if len(sys.argv) > 4 else "w"
        status = write_activities(data_dir, mode, int(sys.argv[3]), tag)
    if status == 0:
        say("done")
    return status


if __name__ == "__main__":
    sys.exit(run_handler(main, None))  # type: ignore[arg-type]
