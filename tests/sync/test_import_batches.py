"""An import reads, checks and writes in batches: records whose versions span batches,
parents arriving after their children, and checks that need earlier batches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sync_helpers import Laptop, activity, forge, revision_line, snapshot

from ca_desktop.domain.canonical import canonical_json
from ca_desktop.domain.ids import uuid7
from ca_desktop.domain.revision import Revision
from ca_desktop.sync import apply
from ca_desktop.sync.revision_checks import BATCH_REVISIONS

PROGRAMME_ID = "01900000-0000-7000-8000-000000000001"


def _line(doc: dict[str, Any]) -> bytes:
    content = {k: v for k, v in doc.items() if k != "rev_id"}
    content["parents"] = tuple(content["parents"])
    doc["rev_id"] = Revision(**content).computed_id()
    return canonical_json(doc).encode() + b"\n"


def _chains(lap: Laptop, records: int, length: int) -> tuple[list[bytes], dict[str, str]]:
    """Chained versions of several records, interleaved: each record spans batches.
    Returns the lines and {record id: last name}."""
    base = json.loads(revision_line(lap))
    chains: list[list[bytes]] = []
    last: dict[str, str] = {}
    seq = 0
    for _ in range(records):
        rid = uuid7()
        parent: list[str] = []
        lines: list[bytes] = []
        for v in range(length):
            seq += 1
            # Activities: an officer's own records (later versions of reference data would
            # be proposals, issue 11), so every version applies.
            doc = {**base, "record_id": rid, "record_type": "activity"}
            doc.update(device_seq=seq, parents=parent)
            doc["body"] = activity(PROGRAMME_ID, title=f"{rid[-4:]} v{v}")
            line = _line(doc)
            parent = [json.loads(line)["rev_id"]]
            lines.append(line)
        chains.append(lines)
        last[rid] = f"{rid[-4:]} v{length - 1}"
    interleaved = [line for group in zip(*chains, strict=True) for line in group]
    return interleaved, last


def _import(lap: Laptop, data: bytes, tmp: Path) -> Any:
    path = tmp / f"b-{uuid7()}.cabundle"
    path.write_bytes(data)
    return lap.receive(path, allow_plain=True)


@pytest.mark.parametrize("budget", [apply.REFRESH_REVISIONS, 600], ids=["one-refresh", "several"])
def test_versions_spanning_batches_settle_on_the_last(
    laptops: dict[str, Laptop], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int
) -> None:
    """Records refreshed once at the end, in refreshes bounded by their revisions."""
    monkeypatch.setattr(apply, "REFRESH_REVISIONS", budget)
    # A server's statistics refreshed from the first batch on, inside the import.
    monkeypatch.setattr(apply, "FIRST_STATISTICS", 1)
    amina, coord = laptops["amina"], laptops["coord"]
    lines, last = _chains(amina, 3, BATCH_REVISIONS // 2 + 10)  # three batches' worth
    result = _import(coord, forge(amina, lines), tmp_path)
    assert result.status == "imported", result.reason
    assert (result.records_new, result.conflicts) == (3, 0)
    for rid, name in last.items():
        record = coord.app.find(rid)
        assert record is not None and record.body["title"] == name


def test_parent_after_its_child_in_a_later_batch(
    laptops: dict[str, Laptop], tmp_path: Path
) -> None:
    # From the coordinator, whose changes always apply: an officer's later versions whose
    # first version has not arrived yet are kept as proposals (the rule needs the creator;
    # exports list parents first, so only a forged order meets it).
    amina, coord = laptops["amina"], laptops["coord"]
    lines, last = _chains(coord, 2, BATCH_REVISIONS // 2 + 100)
    result = _import(amina, forge(coord, lines[::-1]), tmp_path)  # children first
    assert result.status == "imported", result.reason
    for rid, name in last.items():
        record = amina.app.find(rid)
        assert record is not None and record.body["title"] == name and record.heads == 1


def test_parent_of_another_record_arriving_in_a_later_batch_is_refused(
    laptops: dict[str, Laptop], tmp_path: Path
) -> None:
    """The child names a revision of another record, which only arrives a batch later."""
    amina, coord = laptops["amina"], laptops["coord"]
    filler, _last = _chains(amina, 1, BATCH_REVISIONS)
    base = json.loads(revision_line(amina, seq=BATCH_REVISIONS + 1))
    other = _line({**base, "record_id": uuid7()})
    child = _line(
        {**base, "device_seq": BATCH_REVISIONS + 2, "parents": [json.loads(other)["rev_id"]]}
    )
    before = snapshot(coord.app)
    result = _import(coord, forge(amina, [child, *filler, other]), tmp_path)
    assert result.status == "rejected"
    assert "parent from another record" in result.reason
    assert snapshot(coord.app) == before


def test_a_revision_twice_in_different_batches_is_refused(
    laptops: dict[str, Laptop], tmp_path: Path
) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    lines, _last = _chains(amina, 2, BATCH_REVISIONS // 2 + 1)
    before = snapshot(coord.app)
    result = _import(coord, forge(amina, [*lines, lines[0]]), tmp_path)
    assert result.status == "rejected" and "appears twice" in result.reason
    assert snapshot(coord.app) == before
