"""Cancelling a bundle export or import at every point it reports progress."""

from __future__ import annotations

from pathlib import Path

import pytest
from jobs_helpers import StopAfter
from sync_helpers import PROGRAMME, Laptop, activity, snapshot

from ca_desktop.domain.jobs import Cancelled


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".partial"]


def test_export_cancelled_at_any_point_writes_nothing(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    pid = amina.app.save("programme", PROGRAMME).id
    amina.app.save("activity", activity(pid))
    out = amina.folder / "cancel.cabundle"
    cancels = 0
    while True:  # stop at the first report, then the second, ... until it gets through
        try:
            amina.sync.export(out, to=coord.pubkey(), progress=StopAfter(cancels))
        except Cancelled:
            assert not out.exists() and _leftovers(amina.folder) == []
            assert amina.sync.exports() == []
            cancels += 1
            continue
        break
    assert cancels >= 2 and out.exists() and len(amina.sync.exports()) == 1


def test_import_cancelled_at_any_point_changes_nothing(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    pid = amina.app.save("programme", PROGRAMME).id
    for i in range(3):
        amina.app.save("activity", activity(pid, title=f"Forum {i}"))
    path = amina.send(coord)
    before = snapshot(coord.app)
    cancels = 0
    while True:
        try:
            [result] = coord.sync.import_bundles([path], bundle_progress=StopAfter(cancels))
        except Cancelled:
            assert snapshot(coord.app) == before
            cancels += 1
            continue
        break
    assert cancels >= 2 and result.status == "imported" and snapshot(coord.app) != before


def test_import_cancelled_between_files_keeps_the_whole_ones(laptops: dict[str, Laptop]) -> None:
    amina, brian, coord = laptops["amina"], laptops["brian"], laptops["coord"]
    amina.app.save("programme", PROGRAMME)
    brian.app.save("programme", {**PROGRAMME, "code": "GH-CP", "name": "Ghana"})
    first, second = amina.send(coord), brian.send(coord)
    with pytest.raises(Cancelled) as caught:
        coord.sync.import_bundles([first, second], progress=StopAfter(1))
    [done] = caught.value.partial  # type: ignore[misc]
    assert done.path == first and done.status == "imported"
    assert coord.receive(second).status == "imported"  # the second was never touched
