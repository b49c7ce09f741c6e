"""Versions of the record schema, and how bodies written by older versions are upgraded.

Field teams never upgrade on the same day, so laptops on different versions exchange
bundles. The rules (documented in `docs/sync-bundle-format.md`):

- `SCHEMA_VERSION` names the shape of the record bodies `domain/records.py` declares. A
  test recomputes `fingerprint()` and fails when the declarations change while the
  version and `FINGERPRINTS` do not, so a change of shape is never shipped unnoticed.
- A revision keeps the body it was written with (its id is the hash of it) and the schema
  version it was written under. Bodies from older versions are upgraded when they are
  read, by the steps in `UPGRADES`, never rewritten.
- Fields a laptop does not declare came from a newer version: they are kept in the body,
  carried in bundles and never erased by an older editor (`keep` in `validation`).
- An upgrade is *compatible* when an older laptop can keep the new data without
  understanding it (a new field, a new record type). An incompatible one (a renamed or
  re-meant field) makes bundles from the new version need that version:
  `reader_requirement()` names it, and older laptops refuse those bundles, saying which
  CA Desktop version they need.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ca_desktop.domain import records

SCHEMA_VERSION = 3


@dataclass(frozen=True)
class Upgrade:
    """The step from schema `version - 1` to `version`."""

    version: int
    app_version: str  # the CA Desktop release that introduced it
    summary: str
    compatible: bool  # older laptops may keep such data without understanding it
    upgrade: Callable[[str, dict[str, Any]], dict[str, Any]]  # (record type, body) -> body


def _unchanged(_record_type: str, body: dict[str, Any]) -> dict[str, Any]:
    return body


# In order, one per version after the first. Each step gets a copy it may change.
UPGRADES: tuple[Upgrade, ...] = (
    Upgrade(
        2,
        "0.1.0",
        "new record type form_version (imported XLSForms as reference data)",
        compatible=True,  # an older laptop keeps the records without using them
        upgrade=_unchanged,
    ),
    Upgrade(
        3,
        "0.1.0",
        "grievance.receipt_number: the number on the slip the complainant keeps",
        compatible=True,  # a new optional field: older bodies simply lack it (read as empty)
        upgrade=_unchanged,
    ),
)

# The fingerprint of the declarations at each version (see `fingerprint`).
FINGERPRINTS: dict[int, str] = {
    1: "8bfd93764a2f0d4d3dadbe6658d668dc47d1fd1ab32c05967cae6ada7898cdc8",
    2: "cb274033ca83e9f1b0ee6b4addb4ed758d4a8080d9f9932d19043c6aba450cff",
    3: "b9ec37b96efa37353bccf102e59bcddbe741268537af5e0373142e2c593617ad",
}


def fingerprint(specs: Mapping[str, records.RecordSpec] | None = None) -> str:
    """A hash of what the record bodies look like: types, field names, kinds, codes.

    Labels, groups and columns are presentation and do not count; anything another
    laptop's bodies depend on does.
    """
    shape = {
        spec.name: sorted(  # the order fields are declared in is presentation too
            [f.name, f.kind, f.ref, sorted(m.value for m in f.enum) if f.enum else None]
            for f in spec.fields
        )
        for spec in (specs or records.RECORD_SPECS).values()
    }
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()


def current() -> int:
    return SCHEMA_VERSION


def upgrade_body(record_type: str, body: Mapping[str, Any], from_version: int) -> dict[str, Any]:
    """`body`, written under `from_version`, in the shape this version declares.

    A body already current (or newer: its extra fields are kept as they are) comes back
    as it is, uncopied: this runs for every revision read. Upgrade steps get a copy."""
    if from_version >= SCHEMA_VERSION:
        return body if isinstance(body, dict) else dict(body)
    out = dict(body)
    for step in UPGRADES:
        if from_version < step.version <= SCHEMA_VERSION:
            out = step.upgrade(record_type, out)
    return out


def reader_requirement() -> tuple[int, str] | None:
    """The oldest schema (and CA Desktop release) that can read what this version writes,
    or None when every version can (no incompatible change yet)."""
    needed = [s for s in UPGRADES if not s.compatible and s.version <= SCHEMA_VERSION]
    if not needed:
        return None
    newest = max(needed, key=lambda s: s.version)
    return newest.version, newest.app_version


def unknown_fields(record_type: str, body: Mapping[str, Any]) -> list[str]:
    """Fields of `body` this version does not declare (written by a newer version)."""
    spec = records.spec_for(record_type)
    return [name for name in body if not spec.has_field(name)]


def parse_version(text: str) -> tuple[int, ...] | None:
    """ "0.3.1" -> (0, 3, 1); None for anything else (a requirement we cannot read)."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4 or not all(p.isdigit() and len(p) <= 6 for p in parts):
        return None
    return tuple(int(p) for p in parts)
