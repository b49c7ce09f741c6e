"""An officer who trusts two coordinators sends one bundle both can import."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from test_sync_page import PROGRAMME, export_through_page, make_page, open_laptop, pubkey

from ca_desktop.gui.sync.jobs import EVERY_COORDINATOR
from ca_desktop.sync.envelope import MAGIC_MULTI
from ca_desktop.sync.service import SyncService


def test_all_coordinators_is_the_default_and_both_can_import(qtbot: QtBot, tmp_path: Path) -> None:
    amina = open_laptop(tmp_path, "amina", "officer")
    coords = [open_laptop(tmp_path, n, "coordinator") for n in ("carla", "dede")]
    try:
        for c in coords:
            fp = SyncService(c).own_key().fingerprint
            SyncService(amina).trust(pubkey(c, tmp_path), fp, role="coordinator")
            SyncService(c).trust(pubkey(amina, tmp_path), SyncService(amina).own_key().fingerprint)
        amina.save("programme", PROGRAMME)
        page = make_page(qtbot, amina)
        panel = page.export_panel
        assert panel.recipient.currentData() == EVERY_COORDINATOR
        assert panel.recipient.currentText() == "All 2 coordinators (each can import it)"
        assert panel.export_button.isEnabled()
        bundle = export_through_page(qtbot, page, tmp_path / "usb")
        assert bundle.read_bytes().startswith(MAGIC_MULTI)
        said = panel.result_label.text()
        assert "Carla" in said and "Dede" in said
        for c in coords:
            [result] = SyncService(c).import_bundles([bundle])
            assert result.status == "imported", result.reason
    finally:
        for app in (amina, *coords):
            app.close()
