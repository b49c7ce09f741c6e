"""Changes made by another process reach the pages through `records_changed`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ca_desktop.gui.change_poll import ChangePoller
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.services.app import CaDesktop
from tests import pg_backend

ROOT = Path(__file__).resolve().parents[2]
PROGRAMME = {"code": "UG-CP", "name": "Uganda", "kind": "country_programme", "country": "UG"}


def _poller(qtbot: QtBot, app: CaDesktop) -> tuple[TaskManager, ChangePoller]:
    tasks = TaskManager()
    poller = ChangePoller(app, tasks, interval_ms=100)
    qtbot.waitUntil(lambda: poller.watch._seen is not None, timeout=10_000)  # the baseline
    return tasks, poller


def test_a_command_line_import_while_the_window_is_open(qtbot: QtBot, tmp_path: Path) -> None:
    app = CaDesktop.open(tmp_path / "data")
    app.init_device("Carla", "coordinator", "UG-CP")
    tasks, poller = _poller(qtbot, app)
    busy: list[bool] = []
    tasks.busy_changed.connect(busy.append)
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        script = (
            "import sys; from pathlib import Path; from ca_desktop.services.app import CaDesktop;"
            "a = CaDesktop.open(Path(sys.argv[1])); a.save('programme', {'code': 'GH-CP', "
            "'name': 'Ghana', 'kind': 'country_programme', 'country': 'GH'}); a.close()"
        )
        with qtbot.waitSignal(tasks.records_changed, timeout=20_000) as changed:
            subprocess.run([sys.executable, "-c", script, str(app.data_dir)], env=env,
                           check=True, timeout=120)  # fmt: skip
        assert changed.args == [frozenset({"programme"})]
        assert busy == []  # a poll does not show the window as busy
        # Nothing new: the next polls stay silent.
        with qtbot.assertNotEmitted(tasks.records_changed, wait=500):
            pass
    finally:
        poller.stop()
        tasks.wait()
        app.close()


def test_another_desktop_on_the_hub(qtbot: QtBot, tmp_path: Path) -> None:
    try:
        server = pg_backend.server()
    except pg_backend.Unavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL unavailable: {exc}")
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    url = server.new_database()
    mine = CaDesktop.open(tmp_path / "carla", database=url)
    other = CaDesktop.open(tmp_path / "dede", database=url)
    try:
        mine.init_device("Carla", "coordinator", "UG-CP")
        other.init_device("Dede", "coordinator", "UG-CP")
        tasks, poller = _poller(qtbot, mine)
        with qtbot.waitSignal(tasks.records_changed, timeout=20_000) as changed:
            other.save("programme", PROGRAMME)
        assert changed.args == [frozenset({"programme"})]
        poller.stop()
        tasks.wait()
    finally:
        mine.close()
        other.close()
        server.drop_made()
