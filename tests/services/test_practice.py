"""Practice mode: demo data in a marked folder of its own, never synced, removed whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from ca_desktop.services.app import CaDesktop
from ca_desktop.services.practice import (
    fill_practice,
    practice_dir,
    prepare_practice,
    remove_practice,
)
from ca_desktop.sync.errors import SyncError
from ca_desktop.sync.importer import import_file
from ca_desktop.sync.service import SyncService


@pytest.fixture
def practice(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> CaDesktop:
    monkeypatch.setattr("ca_desktop.services.practice.PRACTICE_ACTIVITIES", 20)
    folder = prepare_practice(data_dir)
    app = CaDesktop.open(folder)
    fill_practice(app)
    return app


def test_practice_data_is_apart_and_never_synced(
    practice: CaDesktop, data_dir: Path, tmp_path: Path
) -> None:
    try:
        assert practice.data_dir == practice_dir(data_dir) and practice.data_dir != data_dir
        assert practice.count("activity") == 20
        assert not (data_dir / "ca-desktop.db").exists()  # the real folder is untouched
        with pytest.raises(SyncError, match="practice"):
            SyncService(practice).export(tmp_path / "out.cabundle", plain=True)
        assert not (tmp_path / "out.cabundle").exists()
        with pytest.raises(SyncError, match="practice"):
            import_file(practice, tmp_path / "any.cabundle")
    finally:
        practice.close()


def test_removed_in_one_step_and_only_a_practice_folder(
    practice: CaDesktop, data_dir: Path
) -> None:
    folder = practice.data_dir
    practice.close()
    assert remove_practice(folder) and not folder.exists()
    real = CaDesktop.open(data_dir)
    real.close()
    assert not remove_practice(data_dir) and data_dir.exists()  # no mark: never deleted
