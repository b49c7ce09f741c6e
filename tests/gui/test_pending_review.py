"""An officer's change that waits for the coordinator says so in the editor (issue 11)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ca_desktop.gui.editors.activity_editor import ActivityEditor
from ca_desktop.gui.editors.record_editor import RecordEditorDialog
from ca_desktop.gui.pages.records import RecordListPage
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.services.review_state import pending_review
from tests.gui.jobs_left import wait_for_jobs
from tests.sync.sync_helpers import PROGRAMME, Laptop, activity, make_laptop


@pytest.fixture
def team(tmp_path: Path) -> Iterator[dict[str, Laptop]]:
    laps = {
        "amina": make_laptop(tmp_path, "amina", "officer"),
        "brian": make_laptop(tmp_path, "brian", "officer"),
        "coord": make_laptop(tmp_path, "coord", "coordinator"),
    }
    laps["amina"].trust(laps["coord"])
    laps["brian"].trust(laps["coord"])
    laps["coord"].trust(laps["amina"], laps["brian"])
    yield laps
    for lap in laps.values():
        lap.app.close()


def test_pending_until_the_coordinator_answers(qtbot: QtBot, team: dict[str, Laptop]) -> None:
    amina, brian, coord = team["amina"], team["brian"], team["coord"]
    pid = coord.app.save("programme", PROGRAMME).id
    amina.receive(coord.send(amina))
    aid = amina.app.save("activity", activity(pid)).id
    own = brian.app.save("activity", activity(pid, title="Brian's own forum")).id
    coord.receive(amina.send(coord))
    brian.receive(coord.send(brian))
    assert pending_review(brian.app, [aid, own, pid]) == set()
    brian.app.save("activity", {"title": "Brian's title"}, aid)
    brian.app.save("activity", {"title": "Brian's own forum (typed)"}, own)
    brian.app.save("programme", {"name": "Renamed"}, pid)
    assert pending_review(brian.app, [aid, own, pid]) == {aid, pid}
    assert pending_review(coord.app, [aid, own, pid]) == set()

    editor = ActivityEditor(brian.app, aid)
    qtbot.addWidget(editor)
    assert not editor.pending_banner.isHidden()
    assert editor.pending_banner.text.text().startswith("Pending coordinator review")
    mine = ActivityEditor(brian.app, own)
    qtbot.addWidget(mine)
    assert mine.pending_banner.isHidden()
    programme = RecordEditorDialog(brian.app, "programme", pid)
    qtbot.addWidget(programme)
    assert not programme.pending_banner.isHidden()
    # The list marks it too.
    page = RecordListPage(brian.app, TaskManager(), record_type="programme")
    qtbot.addWidget(page, before_close_func=wait_for_jobs)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    index = page.model.index(page.model.row_of(pid), 0)
    tip = page.model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert str(tip).startswith("Pending coordinator review")

    coord.receive(brian.send(coord))
    for p in coord.sync.proposals():
        if p.record_id == aid:
            coord.sync.accept_proposal(p.rev_id)
        else:
            coord.sync.reject_proposal(p.rev_id, "The programme name is official")
    brian.receive(coord.send(brian))
    assert pending_review(brian.app, [aid, own, pid]) == set()
    assert brian.app.get("activity", aid).body["title"] == "Brian's title"  # type: ignore[union-attr]
    assert brian.app.get("programme", pid).body["name"] == PROGRAMME["name"]  # type: ignore[union-attr]
