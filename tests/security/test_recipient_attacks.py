"""Attacks on a bundle for several recipients (envelope version 2, issue 15 item 2).

A recipient list that is huge, names a key twice, names only unknown keys, has its entries
swapped or reordered, or differs from the signed manifest's list: each is refused with one
clear reason and writes nothing.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ca_desktop.domain.canonical import canonical_json
from ca_desktop.sync.envelope import MAGIC_MULTI, decrypt_stream, encrypt_stream
from ca_desktop.sync.keys import load_keys, parse_public_key
from tests.sync.sync_helpers import PROGRAMME, Laptop, make_laptop, snapshot


@pytest.fixture
def office(tmp_path: Path) -> Iterator[dict[str, Laptop]]:
    laps = {
        n: make_laptop(tmp_path, n, r)
        for n, r in (("amina", "officer"), ("carla", "coordinator"), ("dede", "coordinator"),
                     ("eve", "coordinator"))
    }  # fmt: skip
    laps["amina"].trust(laps["carla"], laps["dede"])
    laps["carla"].trust(laps["amina"])
    laps["dede"].trust(laps["amina"])
    laps["amina"].app.save("programme", PROGRAMME)
    yield laps
    for lap in laps.values():
        lap.app.close()


def _bundle(office: dict[str, Laptop]) -> bytes:
    path = office["amina"].folder / "multi.cabundle"
    office["amina"].sync.export(path)
    data = path.read_bytes()
    assert data.startswith(MAGIC_MULTI)
    return data


def _split(data: bytes) -> tuple[dict, bytes]:  # type: ignore[type-arg]
    size = int.from_bytes(data[9:11], "big")
    return json.loads(data[11 : 11 + size]), data[11 + size :]


def _join(header: dict, rest: bytes) -> bytes:  # type: ignore[type-arg]
    raw = canonical_json(header).encode()
    return MAGIC_MULTI + len(raw).to_bytes(2, "big") + raw + rest


def _refused(lap: Laptop, data: bytes, reason: str) -> None:
    path = lap.folder / "hostile.cabundle"
    path.write_bytes(data)
    before = snapshot(lap.app)
    result = lap.receive(path)
    assert result.status == "rejected", result
    assert reason in result.reason, result.reason
    assert snapshot(lap.app) == before


def _stanza(n: int) -> dict[str, str]:
    b64 = base64.b64encode
    return {"recipient": f"{n:032x}", "ephemeral": b64(bytes(32)).decode(),
            "wrapped": b64(bytes(48)).decode()}  # fmt: skip


def test_a_huge_recipient_list_is_refused_before_any_work(office: dict[str, Laptop]) -> None:
    header, rest = _split(_bundle(office))
    header["recipients"] = sorted(
        [*header["recipients"], *(_stanza(n) for n in range(60))], key=lambda s: s["recipient"]
    )
    _refused(office["carla"], _join(header, rest), "damaged")  # over the header's 8 KiB
    header["recipients"] = header["recipients"][:33]
    _refused(office["carla"], _join(header, rest), "recipients (at most 32)")


def test_a_header_length_beyond_the_limit_is_refused(office: dict[str, Laptop]) -> None:
    data = _bundle(office)
    forged = data[:9] + (0xFFFF).to_bytes(2, "big") + data[11:]
    _refused(office["carla"], forged, "encryption header is damaged")


def test_a_duplicated_recipient_is_refused(office: dict[str, Laptop]) -> None:
    header, rest = _split(_bundle(office))
    header["recipients"] = [header["recipients"][0], header["recipients"][0]]
    _refused(office["carla"], _join(header, rest), "names a recipient twice")


def test_a_list_of_unknown_keys_only_is_refused(office: dict[str, Laptop]) -> None:
    header, rest = _split(_bundle(office))
    header["recipients"] = [_stanza(1), _stanza(2), _stanza(3)]
    _refused(office["carla"], _join(header, rest), "encrypted for 3 other devices")


def test_swapped_recipient_entries_are_refused(office: dict[str, Laptop]) -> None:
    header, rest = _split(_bundle(office))
    a, b = header["recipients"]
    # Each key's wrapped file key now sits under the other key id.
    for field in ("ephemeral", "wrapped"):
        a[field], b[field] = b[field], a[field]
    _refused(office["carla"], _join(header, rest), "does not open")
    _refused(office["dede"], _join(header, rest), "does not open")
    a, b = header["recipients"]
    for field in ("ephemeral", "wrapped"):  # back as written, but listed in another order
        a[field], b[field] = b[field], a[field]
    header["recipients"] = [b, a]
    _refused(office["carla"], _join(header, rest), "out of order")


def test_a_dropped_recipient_fails_every_chunk(office: dict[str, Laptop]) -> None:
    """Removing another coordinator's entry changes the header, which every chunk binds."""
    header, rest = _split(_bundle(office))
    own = office["carla"].sync.own_key().key_id
    header["recipients"] = [s for s in header["recipients"] if s["recipient"] == own] * 1
    header["recipients"].append(_stanza(int("f" * 32, 16)))
    _refused(office["carla"], _join(header, rest), "decryption failed")


def test_an_envelope_other_than_the_signed_list_is_refused(office: dict[str, Laptop]) -> None:
    """A recipient re-encrypts the signed ZIP for someone the officer never chose."""
    data = _bundle(office)
    carla = office["carla"]
    plain = io.BytesIO()
    decrypt_stream(io.BytesIO(data), plain, load_keys(carla.data_dir))  # type: ignore[arg-type]
    eve = parse_public_key(office["eve"].pubkey().read_bytes())
    me = parse_public_key(carla.pubkey().read_bytes())
    for targets in ([me, eve], [me]):
        sealed = io.BytesIO()
        encrypt_stream(io.BytesIO(plain.getvalue()), sealed, targets)  # type: ignore[arg-type]
        _refused(carla, sealed.getvalue(), "other recipients than its signed manifest")
