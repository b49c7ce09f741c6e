"""A record's history, field by field, from its revisions."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ca_desktop.domain.hlc import Timestamp
from ca_desktop.domain.personal import erasure_reason
from ca_desktop.domain.records import RECORD_SPECS, spec_for
from ca_desktop.domain.schema import upgrade_body
from ca_desktop.services.views import FieldChange, HistoryEntry
from ca_desktop.store.lean_reads import StoredRevision

if TYPE_CHECKING:
    from ca_desktop.store.handles import Connection


def history_of(conn: Connection, record_id: str) -> list[HistoryEntry]:
    from ca_desktop.store.revision_queries import revisions_of

    return history_from(revisions_of(conn, record_id), record_id)


def history_from(rows: list[StoredRevision], record_id: str) -> list[HistoryEntry]:
    """The history entries of one record's revisions (`rows`, oldest first); no database
    access, so the lean read path (`services/quick_reads.py`) builds the same entries."""
    bodies: dict[str, dict[str, Any]] = {}
    entries = []
    for row in rows:
        # Every version of the body in this version's shape, so a field renamed by an
        # upgrade does not read as removed and re-added.
        body = upgrade_body(row.record_type, json.loads(row.body), row.schema_version)
        bodies[row.rev_id] = body
        parents = tuple(json.loads(row.parents))
        # Compare with the first known parent; a merge compares with its first parent.
        base = next((bodies[p] for p in parents if p in bodies), None)
        if row.deleted:
            changes: list[FieldChange] = []
        else:
            changes = diff_bodies(base or {}, body, row.record_type)
        entries.append(
            HistoryEntry(
                rev_id=row.rev_id,
                parents=parents,
                author=row.author,
                device_id=row.device_id,
                device_seq=row.device_seq,
                hlc=row.hlc,
                when=Timestamp.parse(row.hlc).iso(),
                deleted=bool(row.deleted),
                created=not parents,
                changes=changes,
                clock_flag=bool(row.clock_flag),
                record_type=row.record_type,
                record_id=record_id,
                erased=erasure_reason(body),
            )
        )
    return entries


def diff_bodies(
    old: dict[str, Any], new: dict[str, Any], record_type: str | None = None
) -> list[FieldChange]:
    """The fields that differ; those this version does not declare (written by a newer
    version, kept but not editable here) are marked `known=False`."""
    spec = spec_for(record_type) if record_type in RECORD_SPECS else None
    keys = list(new) + [k for k in old if k not in new]
    return [
        FieldChange(k, old.get(k), new.get(k), spec is not None and spec.has_field(k))
        for k in keys
        if not k.startswith("$")  # salts and erasure notes (domain/personal.py): no field
        and old.get(k) != new.get(k)
        and not (old.get(k) in (None, [], "") and new.get(k) in (None, [], ""))
    ]


def part_types(record_type: str) -> list[tuple[str, str]]:
    """(record type, link field) of the types declared `part_of` `record_type`."""
    return [
        (spec.name, spec.part_of)
        for spec in RECORD_SPECS.values()
        if spec.part_of and spec.field(spec.part_of).ref == record_type
    ]


def merge_histories(histories: list[list[HistoryEntry]]) -> list[HistoryEntry]:
    """Several records' revisions as one history, oldest first (by hybrid clock)."""
    return sorted((e for entries in histories for e in entries), key=lambda e: e.hlc)
