"""Bundles with exactly the revisions an attacker chose, signed with a trusted key."""

from __future__ import annotations

from typing import Any

from ca_desktop.domain.canonical import canonical_json
from ca_desktop.domain.revision import Revision
from ca_desktop.sync.manifest import ranges_of
from tests.sync.sync_helpers import Laptop, forge


def wire_line(rev: Revision, sig: tuple[str, str] | None = None) -> bytes:
    """One revisions.jsonl line, with its author's signature when given."""
    doc = rev.to_json_dict()
    if sig is not None:
        doc["sig"] = {"key": sig[0], "value": sig[1]}
    return canonical_json(doc).encode() + b"\n"


def signed_bundle(
    signer: Laptop, items: list[tuple[Revision, tuple[str, str] | None]], **kw: Any
) -> bytes:
    """A bundle signed by `signer` carrying `items` (revision, optional signature)."""
    seqs: dict[str, list[int]] = {}
    for rev, _sig in items:
        seqs.setdefault(rev.device_id, []).append(rev.device_seq)

    def patch(doc: dict[str, Any]) -> None:
        doc["requires"] = sorted({*doc["requires"], "signatures/1"})
        doc["ranges"] = ranges_of(seqs)
        doc["counts"]["revisions"] = len(items)

    return forge(signer, [wire_line(r, s) for r, s in items], patch=patch, **kw)
