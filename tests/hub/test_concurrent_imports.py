"""Two coordinators import at the same moment into one real PostgreSQL database: the
result is that of one import after the other (issue 15 item 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from ca_desktop.services import hub
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync.service import SyncService
from tests.hub.test_several_coordinators import _trust
from tests.sync.sync_helpers import PROGRAMME, activity

WORKER = Path(__file__).with_name("importer_process.py")
ROOT = Path(__file__).resolve().parents[2]


def _at_once(jobs: list[tuple[Path, str, list[Path]]], go: Path) -> list[list[dict]]:  # type: ignore[type-arg]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(folder), url, str(go), *map(str, bundles)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )  # fmt: skip
        for folder, url, bundles in jobs
    ]
    for p in procs:  # every importer connected and waiting
        assert p.stdout is not None and p.stdout.readline().strip() == "ready", p.stderr
    go.touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        results.append([json.loads(line) for line in out.splitlines()])
    return results


def _officer(root: Path, name: str, coordinators: list[CaDesktop], rows: int) -> Path:
    """An officer who trusts the coordinators, with `rows` activities in one bundle."""
    app = CaDesktop.open(root / name)
    try:
        app.init_device(name.title(), "officer", "UG-CP")
        for c in coordinators:
            _trust(app, c, root, "coordinator")
        _trust(coordinators[0], app, root, "officer")
        pid = app.save("programme", {**PROGRAMME, "name": f"Programme of {name}"}).id
        for i in range(rows):
            app.save("activity", activity(pid, title=f"{name} forum {i}"))
        bundle = root / f"{name}.cabundle"
        SyncService(app).export(bundle)
        return bundle
    finally:
        app.close()


def _hub_state(app: CaDesktop) -> tuple[int, int, int, int]:
    with app.db.engine.connect() as conn:
        q = conn.exec_driver_sql
        return (
            int(q("SELECT count(*) FROM revision").scalar() or 0),
            int(q("SELECT count(*) FROM record_head").scalar() or 0),
            int(q("SELECT count(*) FROM sync_import").scalar() or 0),
            int(q("SELECT count(*) FROM activity WHERE heads > 1").scalar() or 0),
        )


def test_different_bundles_at_once(hub_folder: Callable[..., CaDesktop], tmp_path: Path) -> None:
    carla = hub_folder("carla")
    url = carla.db.url
    dede = hub_folder("dede", url=url)
    amina = _officer(tmp_path, "amina", [carla, dede], 150)
    brian = _officer(tmp_path, "brian", [carla, dede], 150)
    [[a], [b]] = _at_once(
        [(carla.data_dir, url, [amina]), (dede.data_dir, url, [brian])], tmp_path / "go"
    )
    assert a["status"] == b["status"] == "imported", (a, b)
    assert a["new"] == b["new"] == 151
    revisions, heads, ledger, conflicts = _hub_state(carla)
    assert (revisions, heads, ledger, conflicts) == (302, 302, 2, 0)
    # Heads and current rows check (the views belong to `hub init`, not made here).
    assert [p for p in hub.check_hub(url) if "indicator view" not in p] == []


def test_the_same_bundle_twice_at_once_applies_once(
    hub_folder: Callable[..., CaDesktop], tmp_path: Path
) -> None:
    carla = hub_folder("carla")
    url = carla.db.url
    dede = hub_folder("dede", url=url)
    # A record edited on the hub and by its officer at the same time: one conflict.
    officer = CaDesktop.open(tmp_path / "amina")
    try:
        officer.init_device("Amina", "officer", "UG-CP")
        for c in (carla, dede):
            _trust(officer, c, tmp_path, "coordinator")
        _trust(carla, officer, tmp_path, "officer")
        pid = officer.save("programme", PROGRAMME).id
        made = officer.save("activity", activity(pid))
        first = tmp_path / "first.cabundle"
        SyncService(officer).export(first)
        assert SyncService(carla).import_bundles([first])[0].status == "imported"
        carla.save("activity", {**made.body, "title": "Edited on the hub"}, made.id)
        officer.save("activity", {**made.body, "title": "Edited in the field"}, made.id)
        for i in range(100):
            officer.save("activity", activity(pid, title=f"forum {i}"))
        second = tmp_path / "second.cabundle"
        SyncService(officer).export(second)
    finally:
        officer.close()
    before = _hub_state(carla)
    [[x], [y]] = _at_once(
        [(carla.data_dir, url, [second]), (dede.data_dir, url, [second])], tmp_path / "go"
    )
    assert sorted([x["status"], y["status"]]) == ["imported", "unchanged"], (x, y)
    winner = x if x["status"] == "imported" else y
    assert winner["new"] == 101 and winner["conflicts"] == 1
    revisions, heads, ledger, conflicts = _hub_state(carla)
    assert revisions == before[0] + 101 and ledger == before[2] + 1
    assert conflicts == 1 and len(SyncService(dede).conflicts()) == 1
    assert heads == before[1] + 100 + 1  # the conflicting record has two heads now
