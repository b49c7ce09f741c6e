"""Converting a plain database to an encrypted one, killed at any moment: nothing lost."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reliability.writer_process import writer_env

from ca_desktop.services import protection
from ca_desktop.services.app import CaDesktop
from ca_desktop.store.revisions import Change

SCRIPT = Path(__file__).with_name("convert_process.py")
PHRASE = "a long test passphrase"
N = 3000

pytestmark = [
    pytest.mark.skipif(os.name != "posix", reason="uses POSIX signals"),
    pytest.mark.slow,
]


@pytest.fixture(scope="module")
def plain_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("plain") / "data"
    app = CaDesktop.open(folder)
    app.init_device("Amina Nakato", "officer")
    programme = app.save("programme", {"code": "UG-CP", "name": "Uganda", "kind": "country_programme"}).id
    body = {"programme_id": programme, "level": "community", "type": "settlement_forum",
            "start_date": "2026-03-01", "status": "completed", "notes": "x" * 300}  # fmt: skip
    app.save_many([Change("activity", None, {**body, "title": f"Forum {i}"}) for i in range(N)])
    app.db.backup_now("auto")
    app.close()
    return folder


def converter(folder: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), str(folder), PHRASE],
        env=writer_env(), stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "start"
    return proc


def test_kill_9_at_any_moment_of_a_conversion_leaves_a_working_database(
    plain_folder: Path, tmp_path: Path
) -> None:
    shutil.copytree(plain_folder, tmp_path / "probe")
    start = time.monotonic()
    probe = converter(tmp_path / "probe")
    assert probe.stdout is not None and probe.stdout.readline().strip() == "done"
    duration = time.monotonic() - start
    probe.wait()
    rng = random.Random(14)
    outcomes = set()
    run = 0
    # Kills spread over the conversion, until they have landed in at least two of its
    # phases (key not yet written / database still plain / done).
    while run < 6 or (len(outcomes) < 2 and run < 30):
        run += 1
        folder = tmp_path / f"run{run}"
        shutil.copytree(plain_folder, folder)
        proc = converter(folder)
        time.sleep(rng.uniform(0, duration * 1.1))
        proc.kill()
        proc.wait()
        state = protection.state(folder)
        plain_db = (folder / "ca-desktop.sqlite").read_bytes()[:6] == b"SQLite"
        outcomes.add((state.encrypted, plain_db))
        if state.encrypted:
            protection.unlock(folder, PHRASE)  # the next open finishes the conversion
        app = CaDesktop.open(folder)
        try:
            assert app.count("activity") == N
            assert app.check() == []
            assert app.encrypted == state.encrypted
        finally:
            app.close()
            protection.lock(folder)
        if state.encrypted:
            assert (folder / "ca-desktop.sqlite").read_bytes()[:6] != b"SQLite"
            assert not any(
                b.read_bytes()[:6] == b"SQLite" for b in (folder / "backups").glob("*.sqlite")
            )
            assert not (folder / "ca-desktop.sqlite.encrypting").exists()
    assert len(outcomes) >= 2, outcomes
