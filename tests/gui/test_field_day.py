"""The issue's "Done when", end to end: a French-speaking officer on a 1024-pixel laptop
starts fresh, imports her coordinator's setup bundle, records an activity with a 25-person
register typed from the Spanish paper form ("M" circled for mujer), sees her language's
words, numbers and dates, exports and sees "waiting for the coordinator's receipt"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

import ca_desktop.sync  # noqa: F401  (registers key creation at init)
from ca_desktop.domain.i18n import set_language, tr
from ca_desktop.gui.first_start import FirstStartDialog
from ca_desktop.gui.main_window import MainWindow
from ca_desktop.gui.pages.activities import ActivitiesPage
from ca_desktop.gui.qt_language import apply_qt_language
from ca_desktop.gui.sync.page import SyncPage
from ca_desktop.gui.sync.trust_dialog import TrustChoice
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync.service import SyncService

# Written as on the Spanish paper: "M" circled for mujer (a woman), "H" for hombre.
PEOPLE = [(f"Persona {i + 1:02d}", "M" if i % 5 != 4 else "H", str(16 + i)) for i in range(25)]
WOMEN = sum(1 for _, letter, _ in PEOPLE if letter == "M")


@pytest.fixture
def french() -> Iterator[None]:
    set_language("fr")
    apply_qt_language("fr")
    yield
    set_language("en")
    apply_qt_language("en")


@pytest.fixture
def coordinator_setup(tmp_path: Path) -> tuple[Path, Path]:
    """The key file and setup bundle a coordinator hands over on a USB stick."""
    coord = CaDesktop.open(tmp_path / "coordinator")
    try:
        coord.init_device("Grace Ouédraogo", "coordinator", "BF-CP")
        coord.save(
            "programme",
            {"code": "BF-CP", "name": "Programme pays Burkina Faso", "kind": "country_programme"},
        )
        country = coord.save("place", {"name": "Burkina Faso", "kind": "country", "country": "BF"})
        city = coord.save("place", {"name": "Ouagadougou", "kind": "city", "parent_id": country.id})
        coord.save("place", {"name": "Tanghin", "kind": "settlement", "parent_id": city.id})
        sync = SyncService(coord)
        key = tmp_path / "grace.pubkey"
        sync.export_public_key(key)
        bundle = tmp_path / "setup.cabundle"
        sync.export(bundle, plain=True, kind="reference_data")
        return key, bundle
    finally:
        coord.close()


def test_a_french_officers_first_day_at_1024(
    qtbot: QtBot,
    tmp_path: Path,
    french: None,
    coordinator_setup: tuple[Path, Path],
) -> None:
    key_file, bundle = coordinator_setup
    app = CaDesktop.open(tmp_path / "awa")
    window: MainWindow | None = None
    try:
        # First start: the coordinator's setup first, its key checked by fingerprint.
        first = FirstStartDialog(app)
        qtbot.addWidget(first)
        first.show()
        assert first.setup_button.text() == "&Importer la configuration de mon coordinateur…"
        first.name.setText("Awa Traoré")
        first.programme.setEditText("BF-CP")
        first.setup.choose_key = lambda: key_file
        first.setup.confirm_fingerprint = lambda pub: TrustChoice(pub.fingerprint, "coordinator")
        first.setup.choose_bundles = lambda: [bundle]
        with qtbot.waitSignal(first.accepted, timeout=30_000):
            first.setup_button.click()
        first.tasks.wait()
        assert [p.body["code"] for p in app.list_records("programme")] == ["BF-CP"]

        window = MainWindow(app)
        qtbot.addWidget(window)
        window.resize(1024, 640)
        window.show()
        qtbot.waitExposed(window)
        page = window.show_page("activities")
        assert isinstance(page, ActivitiesPage)

        # An activity with a register typed from the Spanish paper.
        editor = page.open_editor(None)
        tanghin = next(i for i, t in app.titles("place").items() if t == "Tanghin")
        editor.fields["title"].set_value("Forum de quartier de Tanghin")
        editor.fields["type"].set_value("settlement_forum")
        editor.fields["start_date"].set_value("2026-11-27")
        editor.fields["place_id"].set_value(tanghin)
        editor.tabs.setCurrentWidget(editor.people)
        grid = editor.people.register
        grid.set_paper_language("es")
        assert "(M/H)" in editor.people.paper_language.currentText()
        grid.setFocus()
        grid.setCurrentCell(0, 0)
        for name, letter, age in PEOPLE:
            for text in (name, letter, age):
                QTest.keyClicks(grid, text[0])  # opens the cell's editor
                QApplication.processEvents()
                cell = QApplication.focusWidget()
                assert cell is not None
                QTest.keyClicks(cell, text[1:])
                QTest.keyClick(cell, Qt.Key.Key_Return)
                QApplication.processEvents()
            QTest.keyClick(grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
            QApplication.processEvents()
        editor.people.fill_counts()  # the counts from the register
        assert editor.people.participants.grand_total.text() == "25"
        with qtbot.waitSignal(page.loaded, timeout=20_000):
            QTest.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        record_id = editor.record_id
        assert record_id is not None
        rows = app.list_records("attendance_entry", where={"activity_id": record_id})
        assert len(rows) == 25
        assert sum(1 for r in rows if r.body["sex"] == "female") == WOMEN  # M = mujer
        editor.done(0)

        # Her language on screen: words, the date and the count.
        QApplication.processEvents()
        assert page.count_label.text() == "1 activité"
        assert page.table.model().index(0, 0).data() == "27/11/2026"
        page.table.selectRow(0)
        qtbot.waitUntil(lambda: "Créé par Awa Traoré" in page.history.text(), timeout=10_000)

        # Export, then "waiting for the receipt", in French.
        sync_page = window.show_page("sync")
        assert isinstance(sync_page, SyncPage)
        sync_page.export_panel.find_drives = lambda: []
        with qtbot.waitSignal(sync_page.loaded, timeout=20_000):
            sync_page.refresh()
        assert sync_page.export_panel.recipient.currentText().startswith("Grace Ouédraogo")
        usb = tmp_path / "usb"
        usb.mkdir()
        sync_page.export_panel.set_folder(usb)
        sync_page.export_panel.export_button.click()
        qtbot.waitUntil(lambda: list(usb.glob("*.cabundle")) != [], timeout=30_000)
        qtbot.waitUntil(lambda: not window.tasks.busy, timeout=30_000)
        [written] = usb.glob("*.cabundle")
        assert written.name.startswith("awa-traoré-")  # accents kept in the file name
        window.refresh_status()
        waiting = tr("Exported, waiting for the coordinator's receipt")
        assert waiting != "Exported, waiting for the coordinator's receipt"  # translated
        assert window.unsent_label.text() == waiting
        assert written.name in window.unsent_label.toolTip()
        # The window never grew past the small screen.
        assert (window.width(), window.height()) == (1024, 640)
    finally:
        if window is not None:
            window.tasks.wait()
        app.close()
