"""`SyncService` hands out plain frozen data: the ledgers and keys are copies, not ORM rows."""

from __future__ import annotations

import dataclasses

import pytest
from sync_helpers import PROGRAMME, Laptop

from ca_desktop.sync.views import ExportView, ImportView, TrustedKeyView


def test_ledgers_and_keys_are_frozen_plain_data(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    amina.app.save("programme", PROGRAMME)
    path = amina.send(coord)
    coord.receive(path)

    [sent] = amina.sync.exports()
    [received] = coord.sync.imports()
    keys = coord.sync.trusted_keys()
    assert type(sent) is ExportView and type(received) is ImportView
    assert {type(k) for k in keys} == {TrustedKeyView}
    assert sent.bundle_id == received.bundle_id and sent.encrypted is True
    assert sent.revisions == 1 and received.records_new == 1
    assert received.sender_name == "Amina" and received.file_name == path.name
    assert sorted(k.user_name for k in keys) == ["Amina", "Brian"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        keys[0].revoked_at = "now"  # type: ignore[misc]


def test_revoking_returns_the_revoked_key_and_stores_it(laptops: dict[str, Laptop]) -> None:
    coord = laptops["coord"]
    brian = next(k for k in coord.sync.trusted_keys() if k.user_name == "Brian")
    revoked = coord.sync.revoke(brian.key_id)
    assert revoked.key_id == brian.key_id and revoked.revoked_at
    stored = next(k for k in coord.sync.trusted_keys() if k.key_id == brian.key_id)
    assert stored == revoked


def test_known_devices_name_each_laptop_and_count_gaps(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    amina.app.save("programme", PROGRAMME)
    amina.app.save("programme", {**PROGRAMME, "code": "GH-CP", "country": "GH"})
    coord.receive(amina.send(coord))
    devices = {d.name: d for d in coord.sync.known_devices()}
    assert devices["Amina"].max_seq == 2 and devices["Amina"].missing == 0
    assert devices["Amina"].last_bundle_at is not None
