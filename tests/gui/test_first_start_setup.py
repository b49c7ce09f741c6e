"""First start through the coordinator's setup: key checked by fingerprint, then the
reference bundle; a key the officer does not confirm writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import ca_desktop.sync  # noqa: F401  (registers key creation at init)
from ca_desktop.gui.first_start import FirstStartDialog
from ca_desktop.gui.sync.trust_dialog import TrustChoice
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync.service import SyncService

PROGRAMME = {
    "code": "UG-CP",
    "name": "Uganda Country Programme",
    "kind": "country_programme",
    "country": "UG",
}


@pytest.fixture
def setup_files(tmp_path: Path) -> tuple[Path, Path, str]:
    coord = CaDesktop.open(tmp_path / "coordinator")
    try:
        coord.init_device("Grace Coordinator", "coordinator", "UG-CP")
        coord.save("programme", PROGRAMME)
        sync = SyncService(coord)
        key = sync.export_public_key(tmp_path / "grace.pubkey")
        bundle = tmp_path / "setup.cabundle"
        sync.export(bundle, plain=True, kind="reference_data")
        return tmp_path / "grace.pubkey", bundle, key.fingerprint
    finally:
        coord.close()


def _dialog(qtbot: QtBot, app: CaDesktop) -> FirstStartDialog:
    dialog = FirstStartDialog(app)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("Amina Nakato")
    dialog.programme.setEditText("UG-CP")
    return dialog


def test_setup_bundle_brings_the_programmes(
    qtbot: QtBot, data_dir: Path, setup_files: tuple[Path, Path, str]
) -> None:
    key_file, bundle, fingerprint = setup_files
    app = CaDesktop.open(data_dir)
    try:
        dialog = _dialog(qtbot, app)
        seen: list[str] = []
        dialog.setup.choose_key = lambda: key_file
        dialog.setup.confirm_fingerprint = lambda pub: seen.append(pub.fingerprint) or TrustChoice(fingerprint, "coordinator")  # type: ignore[func-returns-value]
        dialog.setup.choose_bundles = lambda: [bundle]
        with qtbot.waitSignal(dialog.accepted, timeout=30_000):
            dialog.setup_button.click()
        assert seen == [fingerprint]
        assert [p.body["code"] for p in app.list_records("programme")] == ["UG-CP"]
        assert app.device() is not None
    finally:
        dialog.tasks.wait()
        app.close()


def test_an_unconfirmed_fingerprint_trusts_and_imports_nothing(
    qtbot: QtBot, data_dir: Path, setup_files: tuple[Path, Path, str]
) -> None:
    key_file, bundle, _ = setup_files
    app = CaDesktop.open(data_dir)
    try:
        dialog = _dialog(qtbot, app)
        dialog.setup.choose_key = lambda: key_file
        dialog.setup.confirm_fingerprint = lambda _pub: None
        dialog.setup.choose_bundles = lambda: pytest.fail("no bundle without a trusted key")
        dialog.setup_button.click()
        assert dialog.isVisible() and "Nothing was trusted" in dialog.error.text()
        assert app.count("programme") == 0 and SyncService(app).trusted_keys() == []
        dialog.start_fresh()  # the officer can still start fresh
        assert dialog.result() == 1
    finally:
        dialog.tasks.wait()
        app.close()


def test_the_programme_code_is_asked_before_anything_is_written(
    qtbot: QtBot, data_dir: Path
) -> None:
    app = CaDesktop.open(data_dir)
    try:
        dialog = _dialog(qtbot, app)
        dialog.programme.setEditText("")
        dialog.setup.choose_key = lambda: pytest.fail("asked for the programme first")
        dialog.setup_button.click()
        assert "programme" in dialog.error.text() and app.device() is None
    finally:
        app.close()
