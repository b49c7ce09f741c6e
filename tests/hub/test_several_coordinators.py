"""Two coordinators' desktops on one hub: own identities and keys, one shared database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ca_desktop.services.app import CaDesktop
from ca_desktop.sync.send_state import send_state
from ca_desktop.sync.service import SyncService
from tests.sync.sync_helpers import PROGRAMME, activity


def _trust(a: CaDesktop, b: CaDesktop, folder: Path, role: str) -> None:
    """`a` trusts `b` as a person would (fingerprint read out, role chosen)."""
    pub = folder / f"{b.device().user_name}.pub"  # type: ignore[union-attr]
    SyncService(b).export_public_key(pub)
    SyncService(a).trust(pub, SyncService(b).own_key().fingerprint, role=role)


def test_each_desktop_is_its_own_device_on_one_database(
    hub_folder: Callable[..., CaDesktop], tmp_path: Path
) -> None:
    carla = hub_folder("carla")
    dede = hub_folder("dede", url=carla.db.url)
    one, two = carla.device(), dede.device()
    assert one is not None and two is not None and one.device_id != two.device_id
    assert SyncService(carla).own_key().key_id != SyncService(dede).own_key().key_id
    pid = carla.save("programme", PROGRAMME).id
    made = dede.save("activity", activity(pid))
    assert carla.get("activity", made.id).updated_by == "Dede"  # one database, two authors
    with carla.db.engine.connect() as conn:
        devices = set(conn.exec_driver_sql("SELECT device_id FROM revision").scalars())
    assert devices == {one.device_id, two.device_id}
    # Reopening a desktop finds its own identity again, not the other one's.
    folder = carla.data_dir
    carla.close()
    again = CaDesktop.open(folder, database=dede.db.url)
    try:
        assert again.device() == one
    finally:
        again.close()


def test_an_officer_works_with_either_coordinator(
    hub_folder: Callable[..., CaDesktop], tmp_path: Path
) -> None:
    carla = hub_folder("carla")
    dede = hub_folder("dede", url=carla.db.url)
    amina = CaDesktop.open(tmp_path / "amina")
    try:
        amina.init_device("Amina", "officer", "UG-CP")
        for coordinator in (carla, dede):
            _trust(amina, coordinator, tmp_path, "coordinator")
        _trust(carla, amina, tmp_path, "officer")  # trusted once, on the shared database
        pid = amina.save("programme", PROGRAMME).id
        amina.save("activity", activity(pid))
        bundle = tmp_path / "amina.cabundle"
        SyncService(amina).export(bundle)  # for both coordinators
        [first] = SyncService(dede).import_bundles([bundle])
        assert first.status == "imported", first.reason
        [second] = SyncService(carla).import_bundles([bundle])
        assert second.status == "unchanged"  # the hub has it already
        back = tmp_path / "back.cabundle"
        SyncService(carla).export(back, to=SyncService(amina).own_key().key_id)
        [returned] = SyncService(amina).import_bundles([back])
        assert returned.status == "imported", returned.reason
        assert send_state(amina).state == "received"
    finally:
        amina.close()


def test_each_desktop_keeps_its_own_send_state(
    hub_folder: Callable[..., CaDesktop], tmp_path: Path
) -> None:
    carla = hub_folder("carla")
    dede = hub_folder("dede", url=carla.db.url)
    amina = CaDesktop.open(tmp_path / "amina")
    try:
        amina.init_device("Amina", "officer", "UG-CP")
        _trust(carla, amina, tmp_path, "officer")
        _trust(amina, carla, tmp_path, "coordinator")
        pid = carla.save("programme", PROGRAMME).id
        dede.save("activity", activity(pid))
        dede.save("activity", activity(pid, title="Second"))
        SyncService(carla).export(tmp_path / "c.cabundle", to=SyncService(amina).own_key().key_id)
        # Carla sent her one change; Dede's two were never exported by Dede.
        assert send_state(carla).unexported == 0 and send_state(carla).unsent == 1
        assert send_state(dede).unexported == 2
    finally:
        amina.close()
