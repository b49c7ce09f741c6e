"""Attacks on erased revisions: the hashed form of a body ignores an erased field's value,
so a bundle must not be able to put a value there under a valid id and signature."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ca_desktop.domain.canonical import canonical_json
from ca_desktop.domain.ids import uuid7
from ca_desktop.domain.revision import Revision
from tests.sync.sync_helpers import Laptop, forge


def _line(info: object, body: dict[str, object]) -> bytes:
    rev = Revision(
        uuid7(), "attendance_entry", (), info.device_id, 1, "1790000000000.00000",  # type: ignore[attr-defined]
        info.user_name, False, body,  # type: ignore[attr-defined]
    ).with_id()  # fmt: skip
    return canonical_json(rev.to_json_dict()).encode() + b"\n"


def _register_row(name: str, personal: dict[str, object]) -> dict[str, object]:
    return {
        "activity_id": uuid7(), "line": 1, "name": name, "sex": "female", "age_band": "15_24",
        "$personal": personal,
    }  # fmt: skip


def _send_forged(pair: tuple[Laptop, Laptop], folder: Path, body: dict[str, object]) -> Any:
    """Amina signs a bundle carrying `body`; what the coordinator's import says of it."""
    amina, coord = pair
    path = folder / "forged.cabundle"
    path.write_bytes(forge(amina, [_line(amina.app.device(), body)]))
    return coord.receive(path)


def test_a_value_under_an_erased_commitment_is_refused(
    pair: tuple[Laptop, Laptop], tmp_path: Path
) -> None:
    body = _register_row("Injected Name", {"name": {"erased": "ab" * 32}})
    result = _send_forged(pair, tmp_path, body)
    assert result.status == "rejected"
    assert "erased field holds a value" in result.reason
    assert pair[1].app.count("attendance_entry", include_deleted=True) == 0


def test_personal_entry_on_a_field_that_is_not_personal_is_refused(
    pair: tuple[Laptop, Laptop], tmp_path: Path
) -> None:
    result = _send_forged(pair, tmp_path, _register_row("A", {"sex": {"erased": "ab" * 32}}))
    assert result.status == "rejected" and "not personal" in result.reason


def test_malformed_personal_entries_are_refused_with_a_reason(
    pair: tuple[Laptop, Laptop], tmp_path: Path
) -> None:
    amina, coord = pair
    info = amina.app.device()
    for bad in ({"name": {"salt": "%%%not base64"}}, {"name": "x"}, "x", {"name": {}}):
        line = (
            canonical_json(
                {"rev_id": "0" * 64, "record_id": uuid7(), "record_type": "attendance_entry",
                 "parents": [], "device_id": info.device_id, "device_seq": 1,  # type: ignore[union-attr]
                 "hlc": "1790000000000.00000", "author": "Amina", "deleted": False,
                 "body": {"name": "A", "sex": "female", "$personal": bad}}
            ).encode()
            + b"\n"
        )  # fmt: skip
        path = tmp_path / "forged.cabundle"
        path.write_bytes(forge(amina, [line]))
        result = coord.receive(path)
        assert result.status == "rejected" and "$personal" in result.reason, bad
