"""Conflict review: two officers edit one activity, the coordinator decides in the GUI."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import ca_desktop.sync  # noqa: F401  (creates keys at init)
from ca_desktop.gui.sync.conflict_model import (
    BASE_COLUMN,
    FIRST_VERSION,
    ConflictTableModel,
    version_caption,
)
from ca_desktop.gui.sync.conflicts import ConflictReview
from ca_desktop.gui.sync.page import SyncPage
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync.service import SyncService
from tests.gui.jobs_left import wait_for_jobs

PROGRAMME = {
    "code": "UG-CP",
    "name": "Uganda Country Programme",
    "kind": "country_programme",
    "country": "UG",
}
ACTIVITY = {
    "level": "community", "type": "settlement_forum", "themes": ["gender"],
    "title": "Kisenyi settlement forum", "start_date": "2026-11-02", "status": "completed",
    "female_youth": 5, "female_other": 10, "male_youth": 3, "male_other": 7,
}  # fmt: skip


class Office:
    """Two officers and a coordinator who trust each other, exchanging through files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.apps: dict[str, CaDesktop] = {}
        for name, role in (("amina", "officer"), ("brian", "officer"), ("coord", "coordinator")):
            app = CaDesktop.open(root / name)
            app.init_device(name.title(), role, "UG-CP")
            self.apps[name] = app
        keys = {n: root / f"{n}.pubkey" for n in self.apps}
        for name, path in keys.items():
            SyncService(self.apps[name]).export_public_key(path)
        for officer in ("amina", "brian"):
            coord_fp = SyncService(self.apps["coord"]).own_key().fingerprint
            officer_fp = SyncService(self.apps[officer]).own_key().fingerprint
            SyncService(self.apps[officer]).trust(keys["coord"], coord_fp, role="coordinator")
            SyncService(self.apps["coord"]).trust(keys[officer], officer_fp)
        self._n = 0

    def send(self, sender: str, to: str) -> None:
        self._n += 1
        path = self.root / f"{sender}-{self._n}.cabundle"
        SyncService(self.apps[sender]).export(path, to=self.root / f"{to}.pubkey")
        [result] = SyncService(self.apps[to]).import_bundles([path])
        assert result.status == "imported", result.reason

    def edit(self, name: str, record_id: str, **changes: Any) -> None:
        app = self.apps[name]
        rec = app.get("activity", record_id)
        assert rec is not None
        app.save("activity", {**rec.body, **changes}, record_id=record_id)

    def conflict(self, amina: dict[str, Any], coord: dict[str, Any]) -> str:
        """Amina's activity, edited differently by her and by the coordinator (another
        officer's edit would be a proposal, not a conflict: issue 11); hers sent in."""
        pid = self.apps["amina"].save("programme", PROGRAMME).id
        aid = self.apps["amina"].save("activity", {**ACTIVITY, "programme_id": pid}).id
        self.send("amina", "coord")
        self.send("coord", "brian")
        self.edit("amina", aid, **amina)
        self.edit("coord", aid, **coord)
        self.send("amina", "coord")
        return aid


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    o = Office(tmp_path)
    yield o
    for app in o.apps.values():
        app.close()


def make_review(qtbot: QtBot, app: CaDesktop) -> ConflictReview:
    review = ConflictReview(app, TaskManager())
    qtbot.addWidget(review, before_close_func=wait_for_jobs)
    review.resize(1280, 800)
    review.show()
    with qtbot.waitSignal(review.loaded, timeout=10_000):
        review.refresh()
    return review


def column_of(model: ConflictTableModel, author: str) -> int:
    assert model.conflict is not None
    return FIRST_VERSION + [v.author for v in model.conflict.versions].index(author)


def row_of(model: ConflictTableModel, field: str) -> int:
    return [model.field_at(r) for r in range(model.rowCount())].index(field)


def test_hard_conflict_resolved_field_by_field(qtbot: QtBot, office: Office) -> None:
    aid = office.conflict({"title": "Amina's title", "female_youth": 6}, {"title": "Brian's title"})
    coord = office.apps["coord"]
    review = make_review(qtbot, coord)
    assert review.queue.count() == 1 and review.stack.currentIndex() == 1
    assert "needs a choice" in review.queue.item(0).text()
    assert review.reason_label.text().startswith("Needs your decision")
    assert not review.merge_button.isVisible()
    model = review.model
    # Only what differs from the common version, hard rows highlighted red.
    assert {model.field_at(r) for r in range(model.rowCount())} == {"title", "female_youth"}
    title, youth = row_of(model, "title"), row_of(model, "female_youth")
    assert model.index(title, BASE_COLUMN).data() == "Kisenyi settlement forum"
    brian, amina = column_of(model, "Coord"), column_of(model, "Amina")
    assert model.index(title, brian).data() == "Brian's title"
    assert model.index(title, brian).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(youth, brian).data(Qt.ItemDataRole.BackgroundRole) is None  # Brian kept 5
    assert model.index(youth, amina).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.headerData(amina, Qt.Orientation.Horizontal).startswith("Amina\n2026-")

    # Keyboard: move to Brian's title cell and press Space to choose it.
    review.table.setFocus()
    review.table.setCurrentIndex(model.index(title, brian))
    qtbot.keyClick(review.table, Qt.Key.Key_Space)
    assert model.index(title, brian).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.index(title, amina).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert "chosen" in model.index(title, brian).data(Qt.ItemDataRole.AccessibleTextRole)

    with qtbot.waitSignal(review.resolved, timeout=10_000):
        qtbot.mouseClick(review.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.stack.currentIndex() == 0, timeout=10_000)
    body = coord.get("activity", aid).body  # type: ignore[union-attr]
    assert body["title"] == "Brian's title" and body["female_youth"] == 6
    assert SyncService(coord).conflicts() == []
    assert review.empty.title.text() == "No conflicts — every record has a single version"


def test_soft_conflict_accepts_the_proposed_merge(qtbot: QtBot, office: Office) -> None:
    aid = office.conflict({"title": "Forum (minutes typed)"}, {"notes": "Water kiosk discussed"})
    coord = office.apps["coord"]
    review = make_review(qtbot, coord)
    assert review.merge_button.isVisible() and "merge is proposed" in review.reason_label.text()
    with qtbot.waitSignal(review.resolved, timeout=10_000):
        qtbot.mouseClick(review.merge_button, Qt.MouseButton.LeftButton)
    body = coord.get("activity", aid).body  # type: ignore[union-attr]
    assert body["title"] == "Forum (minutes typed)" and body["notes"] == "Water kiosk discussed"
    assert SyncService(coord).conflicts() == []


def test_keep_one_version_whole(qtbot: QtBot, office: Office) -> None:
    aid = office.conflict({"title": "Amina's title", "female_youth": 6}, {"title": "Brian's title"})
    coord = office.apps["coord"]
    review = make_review(qtbot, coord)
    review.keep_combo.setCurrentIndex(
        next(
            i
            for i in range(review.keep_combo.count())
            if review.keep_combo.itemText(i).startswith("Coord")
        )
    )
    with qtbot.waitSignal(review.resolved, timeout=10_000):
        review.keep_button.click()
    body = coord.get("activity", aid).body  # type: ignore[union-attr]
    assert body["title"] == "Brian's title" and body["female_youth"] == 5


def test_the_page_counts_conflicts_and_opens_the_review(qtbot: QtBot, office: Office) -> None:
    office.conflict({"title": "Amina's title"}, {"title": "Brian's title"})
    page = SyncPage(office.apps["coord"], TaskManager())
    qtbot.addWidget(page, before_close_func=wait_for_jobs)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    assert (
        page.conflicts_label.text() == "1 record was changed on two laptops and needs your review."
    )
    with qtbot.waitSignal(page.review.loaded, timeout=10_000):
        page.review_button.click()
    assert page.stack.currentWidget() is page.review and page.review.queue.count() == 1
    with (
        qtbot.waitSignal(page.tasks.records_changed, timeout=10_000) as changed,
        qtbot.waitSignal(page.review.loaded, timeout=10_000),  # the queue follows the change
    ):
        page.review.save_button.click()
    assert changed.args == [frozenset({"activity"})] and page.review.queue.count() == 0
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.review.back_button.click()
    assert page.stack.currentIndex() == 0
    assert page.conflicts_label.text().startswith("No open conflicts")


def test_empty_review(qtbot: QtBot, app: CaDesktop) -> None:
    review = make_review(qtbot, app)
    assert review.stack.currentWidget() is review.empty
    assert review.empty.title.text() == "No conflicts — every record has a single version"


def test_conflict_table_model_is_a_correct_model(qtmodeltester: Any, office: Office) -> None:
    office.conflict({"title": "Amina's title", "female_youth": 6}, {"title": "Brian's title"})
    [conflict] = SyncService(office.apps["coord"]).conflicts()
    model = ConflictTableModel()
    model.set_conflict(conflict)
    qtmodeltester.check(model)
    model.set_show_unchanged(True)
    assert model.rowCount() > 2
    qtmodeltester.check(model)
    model.set_conflict(None)
    qtmodeltester.check(model)


def test_a_version_from_a_wrong_clock_is_marked(office: Office) -> None:
    office.conflict({"title": "Amina's title"}, {"title": "Brian's title"})
    [conflict] = SyncService(office.apps["coord"]).conflicts()
    version = replace(conflict.versions[0], clock_flag=True)
    assert version_caption(version).startswith("⚠ ")
    assert not version_caption(conflict.versions[1]).startswith("⚠")
    model = ConflictTableModel()
    model.set_conflict(replace(conflict, versions=(version, conflict.versions[1])))
    tip = model.headerData(FIRST_VERSION, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "clock looked wrong" in tip


def test_edit_against_delete_keeps_the_edit_or_the_deletion(qtbot: QtBot, office: Office) -> None:
    pid = office.apps["amina"].save("programme", PROGRAMME).id
    aid = office.apps["amina"].save("activity", {**ACTIVITY, "programme_id": pid}).id
    office.send("amina", "coord")
    office.send("coord", "brian")
    office.edit("coord", aid, notes="Still happened")
    office.apps["amina"].delete("activity", aid)
    office.send("amina", "coord")
    coord = office.apps["coord"]
    review = make_review(qtbot, coord)
    model = review.model
    deleted = next(
        FIRST_VERSION + i
        for i, v in enumerate(model.conflict.versions)
        if v.deleted  # type: ignore[union-attr]
    )
    notes = row_of(model, "notes")
    assert model.index(notes, deleted).data() == "(deleted)"
    assert not model.flags(model.index(notes, deleted)) & Qt.ItemFlag.ItemIsUserCheckable
    # Saving the ticked values keeps the coordinator's edit alive.
    with qtbot.waitSignal(review.resolved, timeout=10_000):
        review.save_button.click()
    rec = coord.get("activity", aid)
    assert rec is not None and not rec.deleted and rec.body["notes"] == "Still happened"
