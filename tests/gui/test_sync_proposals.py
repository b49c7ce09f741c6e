"""The coordinator's proposal review on the Sync page (issue 11)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from test_sync_page import finish, make_page

from ca_desktop.sync.service import SyncService
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


def _proposal(team: dict[str, Laptop]) -> str:
    amina, brian, coord = team["amina"], team["brian"], team["coord"]
    pid = coord.app.save("programme", PROGRAMME).id
    amina.receive(coord.send(amina))
    aid = amina.app.save("activity", activity(pid)).id
    coord.receive(amina.send(coord))
    brian.receive(coord.send(brian))
    brian.app.save("activity", {"title": "<b>Brian</b>'s title"}, aid)
    assert coord.receive(brian.send(coord)).proposals == 1
    return aid


def test_review_shows_the_change_beside_the_current_version_and_accepts(
    qtbot: QtBot, team: dict[str, Laptop]
) -> None:
    aid = _proposal(team)
    coord = team["coord"]
    page = make_page(qtbot, coord.app)
    assert page.proposals_banner.isVisible()
    assert page.proposals_label.text().startswith("1 change by an officer")
    with qtbot.waitSignal(page.proposals.loaded, timeout=10_000):
        qtbot.mouseClick(page.proposals_button, Qt.MouseButton.LeftButton)
    review = page.proposals
    assert review.queue.count() == 1
    table = review.table
    first = [table.item(0, c).text() for c in range(3)]  # type: ignore[union-attr]
    assert first == ["Title", "Kisenyi settlement forum", "<b>Brian</b>'s title"]
    assert review.about_label.textFormat() == Qt.TextFormat.PlainText
    assert "Brian" in review.about_label.text()
    assert not review.reject_button.isEnabled()  # a rejection needs its reason
    with qtbot.waitSignal(review.answered, timeout=20_000):
        qtbot.mouseClick(review.accept_button, Qt.MouseButton.LeftButton)
    finish(qtbot, page)
    qtbot.waitUntil(lambda: review.stack.currentIndex() == 0, timeout=10_000)
    assert coord.app.get("activity", aid).body["title"] == "<b>Brian</b>'s title"  # type: ignore[union-attr]


def test_reject_with_a_reason(qtbot: QtBot, team: dict[str, Laptop]) -> None:
    aid = _proposal(team)
    coord = team["coord"]
    page = make_page(qtbot, coord.app)
    with qtbot.waitSignal(page.proposals.loaded, timeout=10_000):
        page.show_proposals()
    review = page.proposals
    review.reason.setText("The register says otherwise")
    assert review.reject_button.isEnabled()
    with qtbot.waitSignal(review.answered, timeout=20_000):
        qtbot.mouseClick(review.reject_button, Qt.MouseButton.LeftButton)
    finish(qtbot, page)
    [p] = SyncService(coord.app).proposals(None)
    assert p.status == "rejected" and p.reason == "The register says otherwise"
    assert coord.app.get("activity", aid).body["title"] == "Kisenyi settlement forum"  # type: ignore[union-attr]
