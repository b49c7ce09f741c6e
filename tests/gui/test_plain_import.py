"""Issue 11: the Sync page imports an unencrypted bundle only after asking."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from test_sync_page import PROGRAMME, finish, laptops, make_page, report_rows, table_counts

from ca_desktop.services.app import CaDesktop
from ca_desktop.sync.importer import ImportResult
from ca_desktop.sync.service import SyncService

__all__ = ["laptops"]  # the fixture, shared with the Sync page tests


def _plain_bundle(amina: CaDesktop, tmp_path: Path) -> Path:
    amina.save("programme", PROGRAMME)
    path = tmp_path / "plain.cabundle"
    SyncService(amina).export(path, plain=True)
    return path


def test_declining_imports_nothing(
    qtbot: QtBot, laptops: tuple[CaDesktop, CaDesktop], tmp_path: Path
) -> None:
    amina, coord = laptops
    bundle = _plain_bundle(amina, tmp_path)
    page = make_page(qtbot, coord)
    asked: list[list[ImportResult]] = []
    page.import_panel.confirm_plain = lambda plain: asked.append(plain) is not None
    before = table_counts(coord)
    with qtbot.waitSignal(page.import_panel.imported, timeout=20_000):
        page.import_files([bundle])
    finish(qtbot, page)
    assert [r.path for r in asked[0]] == [bundle]
    [row] = report_rows(page)
    assert row[2].startswith("Not imported: the bundle is not encrypted")
    assert table_counts(coord) == before


def test_confirming_imports_it(
    qtbot: QtBot, laptops: tuple[CaDesktop, CaDesktop], tmp_path: Path
) -> None:
    amina, coord = laptops
    bundle = _plain_bundle(amina, tmp_path)
    page = make_page(qtbot, coord)
    page.import_panel.confirm_plain = lambda plain: True
    page.import_files([bundle])
    qtbot.waitUntil(lambda: coord.count("programme") == 1, timeout=20_000)
    finish(qtbot, page)
    [row] = report_rows(page)
    assert row[2].startswith("Imported: 1 new")
