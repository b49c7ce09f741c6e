"""The trust prompt: typed fingerprint, chosen role; and keys a coordinator vouched for."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

import ca_desktop.sync  # noqa: F401  (creates keys at init)
from ca_desktop.gui.sync.keys_panel import KeysPanel
from ca_desktop.gui.sync.trust_dialog import TrustDialog
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync import keys
from ca_desktop.sync.service import SyncService


def _laptop(root: Path, name: str, role: str) -> CaDesktop:
    app = CaDesktop.open(root / name)
    app.init_device(name, role, "UG-CP")
    return app


def test_only_the_owners_fingerprint_accepts_and_the_role_is_chosen(
    qtbot: QtBot, tmp_path: Path
) -> None:
    grace = _laptop(tmp_path, "Grace", "coordinator")
    try:
        own = SyncService(grace).export_public_key(tmp_path / "grace.pub")
        pub = keys.parse_public_key((tmp_path / "grace.pub").read_bytes())
        dialog = TrustDialog(pub)
        qtbot.addWidget(dialog)
        dialog.show()
        assert own.fingerprint not in "".join(
            w.text() for w in dialog.findChildren(QLabel)
        )  # nothing to copy from
        typed = own.fingerprint.replace("-", "")
        wrong_last = "1" if typed.endswith("0") else "0"  # always one character off
        dialog.fingerprint.setText(typed[:-1] + wrong_last)
        dialog.check_and_accept()
        assert dialog.isVisible() and dialog.error.isVisible()
        dialog.fingerprint.setText(" " + own.fingerprint.lower().replace("-", " "))
        dialog.role.setCurrentIndex(dialog.role.findData("coordinator"))
        dialog.check_and_accept()
        assert dialog.result() == TrustDialog.DialogCode.Accepted
        assert dialog.choice().role == "coordinator"
    finally:
        grace.close()


def test_keys_from_the_coordinators_list_say_who_vouched(qtbot: QtBot, tmp_path: Path) -> None:
    amina = _laptop(tmp_path, "Amina", "officer")
    brian = _laptop(tmp_path, "Brian", "officer")
    coord = _laptop(tmp_path, "Grace", "coordinator")
    try:
        files = {}
        for app in (amina, brian, coord):
            files[app] = tmp_path / f"{app.device().user_name}.pub"  # type: ignore[union-attr]
            SyncService(app).export_public_key(files[app])
        fp = {app: SyncService(app).own_key().fingerprint for app in files}
        SyncService(amina).trust(files[coord], fp[coord], role="coordinator")
        for officer in (amina, brian):
            SyncService(coord).trust(files[officer], fp[officer])
        bundle = tmp_path / "back.cabundle"
        SyncService(coord).export(bundle, to=files[amina])
        [result] = SyncService(amina).import_bundles([bundle])
        assert result.status == "imported"
        panel = KeysPanel(SyncService(amina), TaskManager())
        qtbot.addWidget(panel)
        sync = SyncService(amina)
        panel.show_keys(sync.own_key(), sync.trusted_keys())
        rows = {
            panel.table.item(r, 0).text(): panel.table.item(r, 3).text()  # type: ignore[union-attr]
            for r in range(panel.table.rowCount())
        }
        assert rows["Brian"].startswith("vouched for by Grace ")
        assert rows["Grace"].startswith("trusted ")
    finally:
        for app in (amina, brian, coord):
            app.close()
