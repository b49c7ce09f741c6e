"""An officer's bundle for every coordinator of the office (issue 15 item 2)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_helpers import PROGRAMME, Laptop, activity, make_laptop

from ca_desktop.sync.envelope import MAGIC, MAGIC_MULTI
from ca_desktop.sync.send_state import send_state


@pytest.fixture
def office(tmp_path: Path) -> Iterator[dict[str, Laptop]]:
    """An officer who trusts two coordinators, who both trust the officer."""
    amina = make_laptop(tmp_path, "amina", "officer")
    c1 = make_laptop(tmp_path, "carla", "coordinator")
    c2 = make_laptop(tmp_path, "dede", "coordinator")
    amina.trust(c1, c2)
    c1.trust(amina)
    c2.trust(amina)
    yield {"amina": amina, "c1": c1, "c2": c2}
    for lap in (amina, c1, c2):
        lap.app.close()


def _export(lap: Laptop, name: str) -> Path:
    path = lap.folder / name
    lap.sync.export(path)  # no --to: no choice asked of the officer
    return path


def _revisions(lap: Laptop) -> int:
    with lap.app.db.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT count(*) FROM revision").scalar() or 0)


def test_one_bundle_is_imported_by_each_coordinator(office: dict[str, Laptop]) -> None:
    amina, c1, c2 = office["amina"], office["c1"], office["c2"]
    pid = amina.app.save("programme", PROGRAMME).id
    amina.app.save("activity", activity(pid))
    path = _export(amina, "a1.cabundle")
    assert path.read_bytes().startswith(MAGIC_MULTI)
    inspected = c1.sync.inspect(path)
    keys = sorted(lap.sync.own_key().key_id for lap in (c1, c2))
    assert list(inspected.manifest.recipients) == keys
    assert inspected.manifest.recipient is None
    assert c1.receive(path).status == "imported"
    assert c2.receive(path).status == "imported"
    assert _revisions(c1) == _revisions(c2) == _revisions(amina) == 2
    [ledger] = amina.sync.exports()
    assert ledger.encrypted and sorted((ledger.recipient_name or "").split(", ")) == [
        "Carla",
        "Dede",
    ]


def test_a_single_coordinator_still_gets_the_version_1_envelope(
    office: dict[str, Laptop],
) -> None:
    amina, c1, c2 = office["amina"], office["c1"], office["c2"]
    amina.sync.revoke(c2.sync.own_key().key_id)  # removing a coordinator: revoking its key
    amina.app.save("programme", PROGRAMME)
    path = _export(amina, "one.cabundle")
    assert path.read_bytes().startswith(MAGIC)
    assert c1.receive(path).status == "imported"
    assert c2.receive(path).status == "rejected"


def test_receipts_from_either_coordinator_keep_the_send_state_right(
    office: dict[str, Laptop],
) -> None:
    amina, c1, c2 = office["amina"], office["c1"], office["c2"]
    pid = amina.app.save("programme", PROGRAMME).id
    amina.app.save("activity", activity(pid))
    first = _export(amina, "a1.cabundle")
    assert c1.receive(first).status == "imported"
    assert amina.receive(c1.send(amina)).status == "imported"
    assert send_state(amina.app).state == "received"  # whichever coordinator answers
    amina.app.save("activity", activity(pid, title="Second forum"))
    # Dede never answered: the next bundle is complete for Dede, who may have missed the first.
    second = _export(amina, "a2.cabundle")
    assert c2.sync.inspect(second).manifest.revisions == 3
    assert c2.receive(second).status == "imported"
    assert c1.receive(second).status == "imported"  # what it had already changes nothing
    assert _revisions(c1) == _revisions(c2) == 3
    assert amina.receive(c2.send(amina)).status == "imported"
    amina.app.save("activity", activity(pid, title="Third forum"))
    third = _export(amina, "a3.cabundle")
    # Carla's newest receipt predates the second bundle: it is carried again for her.
    assert c1.sync.inspect(third).manifest.revisions == 2
    assert amina.receive(c1.send(amina)).status == "imported"
    fourth = _export(amina, "a4.cabundle")
    assert c1.sync.inspect(fourth).manifest.revisions == 1  # both receipts show the rest
    assert send_state(amina.app).state == "waiting"


def test_a_coordinator_with_several_officers_still_chooses(office: dict[str, Laptop]) -> None:
    c1 = office["c1"]
    other = make_laptop(c1.folder, "brian", "officer")
    try:
        c1.trust(other)
        from ca_desktop.sync.errors import SyncError

        with pytest.raises(SyncError, match="choose one with --to"):
            c1.sync.export(c1.folder / "x.cabundle")
    finally:
        other.app.close()
