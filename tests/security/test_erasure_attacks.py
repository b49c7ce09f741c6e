"""Attacks on erased revisions: the hashed form of a body ignores an erased field's value,
so a bundle must not be able to put a value there under a valid id and signature."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

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


# -- revisions written before salted commitments (format §17) -----------------------------

OLD_NAME = "Unsalted Oldmarker"


def _old_and_erasure(
    info: object, *, named_body_change: dict[str, object] | None = None, name_it: bool = True
) -> tuple[str, list[bytes]]:
    """A grievance as an earlier version wrote it (no salt), erased; and the erasure
    revision that names it (or not). `named_body_change` alters the erased body after the
    erasure named it: what a forger would try."""
    from ca_desktop.domain.personal import erase, erased_body_hash, erasure_body

    record_id = uuid7()
    full = {"date_received": "2026-09-01", "channel": "phone", "category": "other",
            "complainant": OLD_NAME, "description": "the water kiosk", "status": "open"}  # fmt: skip
    old = Revision(
        record_id, "grievance", (), info.device_id, 1, "1790000000000.00000",  # type: ignore[attr-defined]
        info.user_name, False, full,  # type: ignore[attr-defined]
    ).with_id()  # fmt: skip
    erased = erase(full, ["complainant", "description", "resolution"])
    assert erased is not None
    named = {old.rev_id: erased_body_hash(erased)} if name_it else None
    sent = {**erased, **(named_body_change or {})}
    erasure = Revision(
        record_id, "grievance", (old.rev_id,), info.device_id, 2,  # type: ignore[attr-defined]
        "1790000000001.00000", info.user_name, False,  # type: ignore[attr-defined]
        erasure_body("grievance", erased, "asked", named),
    ).with_id()  # fmt: skip
    old_line = canonical_json({**old.to_json_dict(), "body": sent}).encode() + b"\n"
    return old.rev_id, [old_line, canonical_json(erasure.to_json_dict()).encode() + b"\n"]


def _stored(lap: object, rev_id: str) -> bool:
    from sqlalchemy import text

    with lap.app.db.engine.connect() as conn:  # type: ignore[attr-defined]
        found = conn.execute(text("SELECT 1 FROM revision WHERE rev_id = :r"), {"r": rev_id})
        return found.first() is not None


def test_an_erased_unsalted_revision_is_kept_only_as_its_erasure_names_it(
    pair: tuple[Laptop, Laptop], tmp_path: Path
) -> None:
    amina, coord = pair
    info = amina.app.device()
    cases = {
        "named": ({}, True, True),
        # Its id no longer checks: without a signed erasure naming it, it is not kept.
        "not named": ({}, False, False),
        # Named, then changed (a count, a date): the erasure vouched for other bytes.
        "altered": ({"category": "financial"}, True, False),
    }
    for i, (case, (change, name_it, kept)) in enumerate(cases.items()):
        old_id, lines = _old_and_erasure(info, named_body_change=change, name_it=name_it)
        path = tmp_path / f"forged-{i}.cabundle"
        path.write_bytes(forge(amina, lines, seq=i + 1))
        result = coord.receive(path, allow_plain=True)
        assert result.status == "imported", (case, result.reason)
        assert _stored(coord, old_id) is kept, case


def test_erased_unsalted_revisions_held_in_memory_are_bounded(
    pair: tuple[Laptop, Laptop], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """They wait in memory for the bundle's erasures: a bundle of them is refused past the
    bound instead of filling memory."""
    from ca_desktop.sync import apply

    monkeypatch.setattr(apply, "MAX_HELD_REVISIONS", 1)
    amina, coord = pair
    info = amina.app.device()
    lines = [line for _ in range(2) for line in _old_and_erasure(info)[1]]
    path = tmp_path / "many.cabundle"
    path.write_bytes(forge(amina, lines))
    result = coord.receive(path, allow_plain=True)
    assert result.status == "rejected" and "too many erased versions" in result.reason
    assert coord.app.count("grievance", include_deleted=True) == 0
