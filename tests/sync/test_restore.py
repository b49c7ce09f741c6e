"""Findings 1, 3 and 4 (issue 10): a restore starts a new incarnation of the laptop.

Each test restores one laptop of the `laptops` fixture from a backup, over a healthy or a
damaged database, then checks that nothing is stranded: edits made after the restore
travel, edits made before it come back, counters are believed, nothing is resent for ever.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_helpers import PROGRAMME, Laptop, activity, replica_state

from ca_desktop.services.app import CaDesktop
from ca_desktop.services.data_folder import restore_backup
from ca_desktop.sync.service import SyncService


def backup(lap: Laptop, name: str) -> Path:
    return lap.app.db.backup(lap.folder / f"{lap.name}-{name}.sqlite")


def restore(laptops: dict[str, Laptop], name: str, source: Path, *, damaged: bool) -> Laptop:
    """Close the laptop, optionally make its database unreadable, restore, reopen."""
    lap = laptops[name]
    db_file = lap.app.db.path
    lap.app.close()
    if damaged:
        for suffix in ("-wal", "-shm"):
            Path(str(db_file) + suffix).unlink(missing_ok=True)
        db_file.write_bytes(b"this is not a database" * 500)
    restore_backup(lap.data_dir, source)
    app = CaDesktop.open(lap.data_dir)
    fresh = Laptop(lap.name, app, SyncService(app), lap.folder)
    laptops[name] = fresh
    return fresh


def round_trip(laptops: dict[str, Laptop], rounds: int = 2) -> None:
    """Everyone sends to the coordinator, the coordinator answers everyone."""
    coord = laptops["coord"]
    for _ in range(rounds):
        for name in ("amina", "brian"):
            result = coord.receive(laptops[name].send(coord))
            assert result.status in ("imported", "unchanged"), result.reason
        for name in ("amina", "brian"):
            result = laptops[name].receive(coord.send(laptops[name]))
            assert result.status in ("imported", "unchanged"), result.reason


def converged(laptops: dict[str, Laptop]) -> None:
    states = [replica_state(laptops[n].app) for n in ("amina", "brian", "coord")]
    assert states[0] == states[1] == states[2]
    for lap in laptops.values():
        assert lap.app.unsent_changes() == 0, lap.name
        assert lap.app.db.check() == []


def titles(lap: Laptop) -> set[str]:
    return {r.body["title"] for r in lap.app.list_records("activity")}


pytestmark = pytest.mark.sqlite_only("restores a laptop's file from its backups")


@pytest.mark.parametrize("damaged", [False, True], ids=["healthy", "damaged"])
def test_officer_restore_never_reuses_numbers(laptops: dict[str, Laptop], damaged: bool) -> None:
    """Finding 1 (and 4): edits after the restore leave; earlier ones come back."""
    amina, coord = laptops["amina"], laptops["coord"]
    pid = amina.app.save("programme", PROGRAMME).id
    amina.app.save("activity", activity(pid, "Before the backup"))
    coord.receive(amina.send(coord))
    saved = backup(amina, "1")
    amina.app.save("activity", activity(pid, "Sent, then lost with the disk"))
    coord.receive(amina.send(coord))
    amina.app.save("activity", activity(pid, "Never left the laptop"))  # lost for good
    old_device = amina.app.device().device_id  # type: ignore[union-attr]

    amina = restore(laptops, "amina", saved, damaged=damaged)
    info = amina.app.device()
    assert info is not None and info.device_id != old_device
    assert old_device in info.predecessors
    assert amina.app.unsent_changes() == 0
    amina.app.save("activity", activity(pid, "After the restore"))
    assert amina.app.unsent_changes() == 1
    assert coord.receive(amina.send(coord)).status == "imported"
    assert "After the restore" in titles(coord)
    round_trip(laptops)
    assert titles(amina) == {
        "Before the backup",
        "Sent, then lost with the disk",
        "After the restore",
    }
    converged(laptops)
    # Finding 4: no hole left behind, so nothing is carried again and again.
    assert amina.send(coord).stat().st_size > 0
    again = coord.receive(amina.send(coord))
    assert again.revisions_new == 0 and again.revisions_known == 0


@pytest.mark.parametrize("damaged", [False, True], ids=["healthy", "damaged"])
def test_coordinator_restore_is_believed_at_once(laptops: dict[str, Laptop], damaged: bool) -> None:
    """Finding 1 and 3 on a coordinator: its next bundle is no "replay", receipts count."""
    amina, brian, coord = laptops["amina"], laptops["brian"], laptops["coord"]
    pid = amina.app.save("programme", PROGRAMME).id
    amina.app.save("activity", activity(pid, "Amina's forum"))
    round_trip(laptops, rounds=1)
    saved = backup(coord, "1")
    coord.app.save("activity", activity(pid, "Coordinator's visit"))
    round_trip(laptops, rounds=2)  # bundle counters move past the backup's
    coord = restore(laptops, "coord", saved, damaged=damaged)
    coord.app.save("activity", activity(pid, "Coordinator after the restore"))
    for name in ("amina", "brian"):
        result = laptops[name].receive(coord.send(laptops[name]))
        assert result.status == "imported", result.reason
        assert "Coordinator after the restore" in titles(laptops[name])
    # The officers' receipts are believed on the first bundle: they have everything.
    assert coord.receive(brian.send(coord)).status == "imported"
    assert coord.app.unsent_changes() == 0


def test_restored_incarnation_keeps_its_key_and_trust(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    key_before = amina.sync.own_key().key_id
    saved = backup(amina, "1")
    amina = restore(laptops, "amina", saved, damaged=False)
    assert amina.sync.own_key().key_id == key_before
    amina.app.save("programme", PROGRAMME)
    assert coord.receive(amina.send(coord)).status == "imported"


def test_officer_returns_the_coordinators_own_edits_after_its_restore(
    laptops: dict[str, Laptop],
) -> None:
    """Finding 2: any revision travels any path, its author proven by its signature."""
    amina, coord = laptops["amina"], laptops["coord"]
    pid = amina.app.save("programme", PROGRAMME).id
    aid = amina.app.save("activity", activity(pid, "Amina's forum")).id
    round_trip(laptops, rounds=1)
    saved = backup(coord, "1")
    rec = coord.app.get("activity", aid)
    assert rec is not None
    coord.app.save("activity", {**rec.body, "notes": "Checked by the coordinator"}, record_id=aid)
    coord.app.save("activity", activity(pid, "Coordinator's visit"))
    amina.receive(coord.send(amina))  # the coordinator's edits reach Amina...
    coord = restore(laptops, "coord", saved, damaged=False)  # ...then it loses them
    assert "Coordinator's visit" not in titles(coord)
    # Its first bundle tells Amina what the restored coordinator has (its receipt)...
    assert amina.receive(coord.send(amina)).status == "imported"
    # ...and her answer carries back what it lost, though she did not make it.
    result = coord.receive(amina.send(coord))
    assert result.status == "imported", result.reason
    assert "Coordinator's visit" in titles(coord)
    back = coord.app.get("activity", aid)
    assert back is not None and back.body["notes"] == "Checked by the coordinator"
    round_trip(laptops)
    converged(laptops)
