"""The Sync page: export through it on one laptop, import through it on another."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

import ca_desktop.sync  # noqa: F401  (creates keys at init)
from ca_desktop.domain.jobs import Cancelled
from ca_desktop.gui.sync.history import device_state
from ca_desktop.gui.sync.jobs import (
    Drive,
    bundle_name,
    free_path,
    import_paths,
    is_removable,
    short_device,
)
from ca_desktop.gui.sync.page import SyncPage
from ca_desktop.gui.sync.trust_dialog import TrustChoice
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.services.app import CaDesktop
from ca_desktop.sync.service import KnownDevice, SyncService
from tests.gui.jobs_left import wait_for_jobs

PROGRAMME = {
    "code": "UG-CP",
    "name": "Uganda Country Programme",
    "kind": "country_programme",
    "country": "UG",
}


def open_laptop(root: Path, name: str, role: str) -> CaDesktop:
    app = CaDesktop.open(root / name)
    app.init_device(name.title(), role, "UG-CP")
    return app


def pubkey(app: CaDesktop, folder: Path) -> Path:
    path = folder / f"{app.device().user_name.lower()}.pubkey"  # type: ignore[union-attr]
    SyncService(app).export_public_key(path)
    return path


@pytest.fixture
def laptops(tmp_path: Path) -> Iterator[tuple[CaDesktop, CaDesktop]]:
    """An officer and her coordinator, each trusting the other's key."""
    amina = open_laptop(tmp_path, "amina", "officer")
    coord = open_laptop(tmp_path, "coord", "coordinator")
    coord_fp = SyncService(coord).own_key().fingerprint
    SyncService(amina).trust(pubkey(coord, tmp_path), coord_fp, role="coordinator")
    SyncService(coord).trust(pubkey(amina, tmp_path), SyncService(amina).own_key().fingerprint)
    yield amina, coord
    amina.close()
    coord.close()


def table_counts(app: CaDesktop) -> dict[str, int]:
    """Row counts of every table: a refused bundle must leave them all as they were."""
    with app.db.engine.connect() as conn:
        names = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        ).scalars()
        return {
            n: conn.exec_driver_sql(f'SELECT COUNT(*) FROM "{n}"').scalar() or 0
            for n in list(names)
        }


def make_page(qtbot: QtBot, app: CaDesktop) -> SyncPage:
    tasks = TaskManager()
    page = SyncPage(app, tasks)
    page.export_panel.find_drives = lambda: []
    qtbot.addWidget(page, before_close_func=wait_for_jobs)
    page.resize(1280, 800)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.refresh()
    return page


def finish(qtbot: QtBot, page: SyncPage) -> None:
    """Wait for every background job (and the overview reload after it)."""
    qtbot.waitUntil(lambda: not page.tasks.busy, timeout=20_000)


def export_through_page(qtbot: QtBot, page: SyncPage, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    page.export_panel.set_folder(folder)
    qtbot.mouseClick(page.export_panel.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Saved" in page.export_panel.result_label.text(), timeout=20_000)
    finish(qtbot, page)
    [bundle] = folder.glob("*.cabundle")
    return bundle


def report_rows(page: SyncPage) -> list[list[str]]:
    table = page.import_panel.report
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]  # type: ignore[union-attr]
        for r in range(table.rowCount())
    ]


def test_export_on_one_laptop_and_import_on_the_other(
    qtbot: QtBot, laptops: tuple[CaDesktop, CaDesktop], tmp_path: Path
) -> None:
    amina, coord = laptops
    pid = amina.save("programme", PROGRAMME).id
    amina.save("place", {"name": "Uganda", "kind": "country", "country": "UG"})
    officer = make_page(qtbot, amina)
    coord_key = SyncService(coord).own_key()
    # The only trusted coordinator is offered first, and the fingerprint is on the page.
    assert officer.export_panel.recipient.currentData() == coord_key.key_id
    assert officer.keys_panel.fingerprint_label.text() == SyncService(amina).own_key().fingerprint

    bundle = export_through_page(qtbot, officer, tmp_path / "usb")
    said = officer.export_panel.result_label.text()
    assert str(bundle) in said and "2 changes" in said and "encrypted for Coord" in said
    assert officer.history.exports.rowCount() == 1

    page = make_page(qtbot, coord)
    page.import_panel.choose_files = lambda: [bundle]
    with qtbot.waitSignal(page.tasks.records_changed, timeout=20_000) as changed:
        qtbot.mouseClick(page.import_panel.files_button, Qt.MouseButton.LeftButton)
    assert {"programme", "place", "activity"} <= changed.args[0]
    finish(qtbot, page)
    [row] = report_rows(page)
    amina_fp = SyncService(amina).own_key().fingerprint
    assert row == [
        bundle.name,
        f"Amina · {amina_fp[:9]}",  # named by the key trusted here
        "Imported: 2 new, 0 updated, 0 unchanged records, 0 in conflict.",
    ]
    assert "1 imported, 0 already imported, 0 refused" in page.import_panel.summary.text()
    assert coord.get("programme", pid) is not None
    assert page.history.imports.rowCount() == 1
    devices = page.history.devices
    names = [devices.item(r, 0).text() for r in range(devices.rowCount())]  # type: ignore[union-attr]
    assert "Amina" in names

    # The same bundle again changes nothing and says so.
    with qtbot.waitSignal(page.import_panel.imported, timeout=20_000):
        page.import_files([bundle])
    [row] = report_rows(page)
    assert row[2].startswith("Already imported: nothing new (already imported on ")


def test_a_rejected_bundle_shows_its_reason_and_writes_nothing(
    qtbot: QtBot, laptops: tuple[CaDesktop, CaDesktop], tmp_path: Path
) -> None:
    _amina, coord = laptops
    page = make_page(qtbot, coord)
    folder = tmp_path / "stick"
    folder.mkdir()
    (folder / "garbage.cabundle").write_bytes(bytes(range(256)) * 8)
    (folder / "notes.txt").write_text("not a bundle")
    before = table_counts(coord)
    changed: list[object] = []
    page.tasks.records_changed.connect(changed.append)
    page.import_panel.choose_folder = lambda: folder
    with qtbot.waitSignal(page.import_panel.imported, timeout=20_000):
        qtbot.mouseClick(page.import_panel.folder_button, Qt.MouseButton.LeftButton)
    finish(qtbot, page)
    [row] = report_rows(page)  # the .txt file is not a bundle and is not tried
    assert row[0] == "garbage.cabundle"
    assert row[2] == "Refused: not a CA Desktop bundle. Nothing was imported from this file."
    assert "0 imported, 0 already imported, 1 refused" in page.import_panel.summary.text()
    assert table_counts(coord) == before
    assert changed == []


def test_dropping_bundles_on_the_page_imports_them(
    qtbot: QtBot, laptops: tuple[CaDesktop, CaDesktop], tmp_path: Path
) -> None:
    amina, coord = laptops
    amina.save("programme", PROGRAMME)
    bundle = tmp_path / "a.cabundle"
    SyncService(amina).export(bundle)
    page = make_page(qtbot, coord)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(bundle)), QUrl.fromLocalFile(str(tmp_path / "x.pdf"))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    with qtbot.waitSignal(page.import_panel.imported, timeout=20_000):
        page.dropEvent(event)
    assert event.isAccepted()
    [row] = report_rows(page)
    assert row[:2] == ["a.cabundle", f"Amina · {SyncService(amina).own_key().fingerprint[:9]}"]
    assert row[2].startswith("Imported: 1 new,")


def test_trust_compares_the_fingerprint_first_and_revoke_stops_trusting(
    qtbot: QtBot, laptops: tuple[CaDesktop, CaDesktop], tmp_path: Path
) -> None:
    amina, _coord = laptops
    brian = open_laptop(tmp_path, "brian", "officer")
    try:
        key_file = pubkey(brian, tmp_path)
        page = make_page(qtbot, amina)
        keys = page.keys_panel
        shown: list[str] = []
        keys.choose_key_file = lambda: key_file
        keys.confirm_trust = lambda pub: shown.append(pub.fingerprint)  # type: ignore[func-returns-value]  # cancels
        keys.trust_button.click()
        assert shown == [SyncService(brian).own_key().fingerprint]
        assert page.status.text() == "Nothing was trusted."
        assert keys.table.rowCount() == 1

        brian_fp = SyncService(brian).own_key().fingerprint
        keys.confirm_trust = lambda pub: TrustChoice(brian_fp.lower().replace("-", " "), "officer")
        with qtbot.waitSignal(page.loaded, timeout=10_000):
            keys.trust_button.click()
        assert keys.table.rowCount() == 2
        assert "Trusted Brian (Officer)" in page.status.text()
        brian_row = next(
            r
            for r in range(2)
            if keys.table.item(r, 0).text() == "Brian"  # type: ignore[union-attr]
        )
        # Two trusted keys: the officer's export still defaults to the coordinator.
        assert page.export_panel.recipient.currentText().startswith("Coord")

        keys.table.selectRow(brian_row)
        assert keys.revoke_button.isEnabled()
        keys.confirm_revoke = lambda key: key.user_name == "Brian"
        with qtbot.waitSignal(page.loaded, timeout=10_000):
            keys.revoke_button.click()
        assert "revoked" in keys.table.item(brian_row, 3).text()  # type: ignore[union-attr]
        assert [
            k.revoked_at is not None
            for k in SyncService(amina).trusted_keys()
            if k.user_name == "Brian"
        ] == [True]
    finally:
        brian.close()


def test_without_a_trusted_key_export_waits_for_one(qtbot: QtBot, app: CaDesktop) -> None:
    page = make_page(qtbot, app)
    panel = page.export_panel
    assert panel.recipient.currentData() is None and not panel.export_button.isEnabled()
    assert "trust it under Trusted keys" in panel.warning.text()
    assert panel.recipient.currentText() == "Trust your coordinator's key first (on the right)"
    panel.recipient.setCurrentIndex(panel.recipient.findData("__plain__"))
    assert panel.export_button.isEnabled() and "Anyone who finds the file" in panel.warning.text()


def test_import_stops_between_files_when_cancelled(
    laptops: tuple[CaDesktop, CaDesktop], tmp_path: Path
) -> None:
    amina, coord = laptops
    amina.save("programme", PROGRAMME)
    SyncService(amina).export(tmp_path / "a.cabundle")
    with pytest.raises(Cancelled) as stopped:
        import_paths(SyncService(coord), [tmp_path], lambda _d, _t: False)
    assert stopped.value.partial == []
    assert SyncService(coord).imports() == []


def test_removable_drives_and_bundle_names(tmp_path: Path) -> None:
    assert is_removable("/media/amina/USB STICK", "vfat")
    assert is_removable("/run/media/amina/KINGSTON", "exfat")
    assert not is_removable("/", "ext4") and not is_removable("/home", "ext4")
    assert not is_removable("/media/x", "tmpfs")
    assert is_removable("E:\\", "FAT32") and not is_removable("C:\\", "NTFS")
    name = bundle_name("Amina Nakato", dt.datetime(2026, 11, 27, 9, 30))
    assert name == "amina-nakato-2026-11-27-0930.cabundle"
    (tmp_path / name).write_bytes(b"")
    assert free_path(tmp_path, name).name == "amina-nakato-2026-11-27-0930-2.cabundle"
    accented = bundle_name("Awa Traoré / Ouédraogo", dt.datetime(2026, 11, 27, 9, 30))
    assert accented == "awa-traoré-ouédraogo-2026-11-27-0930.cabundle"


def test_a_gap_in_a_laptops_sequence_says_what_to_do() -> None:
    gap = KnownDevice("0190-aaaa-bbbb-cccc-1234567890ab", "Brian", 3, 7, "2026-11-20T09:00", 2)
    assert device_state(gap, "other") == "2 changes missing: ask Brian for a full export"
    whole = KnownDevice("0190-aaaa-bbbb-cccc-1234567890ab", "Brian", 7, 7, None, 0)
    assert device_state(whole, "other") == "Complete"
    assert device_state(whole, whole.device_id) == "This laptop"
    assert short_device(whole.device_id) == "567890ab"


def test_a_removed_drive_is_reported_not_written(
    qtbot: QtBot, laptops: tuple[CaDesktop, CaDesktop], tmp_path: Path
) -> None:
    amina, _coord = laptops
    stick = tmp_path / "media" / "USB"
    stick.mkdir(parents=True)
    page = make_page(qtbot, amina)
    panel = page.export_panel
    panel.find_drives = lambda: [Drive(stick, "USB")] if stick.exists() else []
    panel.refresh_destinations()
    assert panel.destination.currentText() == f"USB (removable drive, {stick})"
    stick.rmdir()  # pulled out before Export was clicked
    panel.export_button.click()
    assert "is not there any more" in panel.result_label.text()
    assert not page.tasks.busy
