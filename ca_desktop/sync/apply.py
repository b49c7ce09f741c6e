"""Phase 2 of an import: everything in one transaction, or nothing.

Blobs are stored first (content-addressed, so a blob without its record is harmless and a
record never points at a missing blob); then the revisions, the peer's receipt, the ledger
row and the clock move together in one write transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from ca_desktop.domain.hlc import Clock, Timestamp, is_plausible
from ca_desktop.services.attachments import store_blob_bytes
from ca_desktop.store import device_queries, proposal_queries, sqlite, sync_queries
from ca_desktop.store.handles import Connection, Engine
from ca_desktop.store.revisions import apply_foreign
from ca_desktop.sync import trust_list
from ca_desktop.sync.authorization import proposal_rows
from ca_desktop.sync.errors import BundleRejected
from ca_desktop.sync.manifest import Manifest
from ca_desktop.sync.reader import OpenBundle
from ca_desktop.sync.verify import VerifiedBundle, check_replay


@dataclass(frozen=True)
class ApplyCounts:
    revisions_new: int
    revisions_known: int
    records_new: int
    records_updated: int
    records_unchanged: int
    conflicts: int
    flagged_clocks: int


def apply_bundle(
    engine: Engine, bundle: OpenBundle, v: VerifiedBundle, own_device: str, blobs_dir: Path
) -> ApplyCounts:
    """Store the blobs, then apply the verified bundle in one transaction."""
    for name in v.blob_names:
        sha = name.removeprefix("blobs/")
        # Read again and re-hashed by store_blob_bytes: the file may have changed since phase 1.
        store_blob_bytes(blobs_dir, bundle.blob_bytes(name), sha)
    m = v.manifest
    with sqlite.write_transaction(engine) as conn:
        if sync_queries.imported_at(conn, m.bundle_id) is not None:
            raise BundleRejected("the bundle was imported meanwhile by another window")
        check_replay(conn, m)
        record_ids = sorted({r.record_id for r in v.revisions})
        existed = sync_queries.records_with_revisions(conn, record_ids)
        new = apply_foreign(conn, v.revisions, v.flagged)
        sync_queries.save_signatures(conn, v.signatures)
        proposal_queries.save_proposals(conn, proposal_rows(v.proposals, m.bundle_id))
        for device, key_id in sorted(v.bindings.items()):
            sync_queries.bind_devices(conn, key_id, [device])
        trust_list.apply(conn, v.trust_list)  # a coordinator's signed key list
        touched = sorted({r.record_id for r in new})
        counts = ApplyCounts(
            revisions_new=len(new),
            revisions_known=len(v.revisions) - len(new),
            records_new=sum(1 for rid in touched if rid not in existed),
            records_updated=sum(1 for rid in touched if rid in existed),
            records_unchanged=len(record_ids) - len(touched),
            conflicts=sync_queries.count_conflicted(conn, touched),
            flagged_clocks=sum(1 for r in new if r.rev_id in v.flagged),
        )
        _observe_clock(conn, [r.hlc for r in new if r.rev_id not in v.flagged])
        _note_receipt(conn, v, own_device)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        sync_queries.record_import(
            conn,
            {
                "bundle_id": m.bundle_id,
                "kind": m.kind,
                "sender_key_id": m.sender.key_id,
                "sender_device_id": m.sender.device_id,
                "sender_name": v.signer.user_name,
                "sender_seq": m.sender_seq,
                "file_name": bundle.path.name,
                "file_sha256": v.file_sha256,
                "imported_at": now,
                "revisions_new": counts.revisions_new,
                "revisions_known": counts.revisions_known,
                "records_new": counts.records_new,
                "records_updated": counts.records_updated,
                "conflicts": counts.conflicts,
                "flagged_clocks": counts.flagged_clocks,
            },
        )
    return counts


def _observe_clock(conn: Connection, stamps: list[str]) -> None:
    """Move our clock past plausible remote edits, so our next edit sorts after them."""
    if not stamps:
        return
    current = device_queries.device_clock(conn)
    if current is None:
        return
    clock = Clock(Timestamp.parse(current))
    latest = Timestamp.parse(max(stamps))  # fixed-width strings sort like the clock
    if is_plausible(latest):
        clock.observe(latest)
    if str(clock.last) != current:
        device_queries.set_device_clock(conn, str(clock.last))


def _newer_incarnation(m: Manifest, kept: str) -> bool:
    """Whether the bundle's sender device replaced `kept` (the one whose receipt we keep).

    It names `kept` among its predecessors, or (when a restore lost that knowledge) its
    time-ordered id (UUIDv7, made at the restore) sorts after it.
    """
    return kept in m.predecessors or m.sender.device_id > kept


def _note_receipt(conn: Connection, v: VerifiedBundle, own_device: str) -> None:
    """Keep the sender's newest known-state vector; it bounds our next export to it.

    Receipts count per incarnation of the sender: a bundle from a restored laptop (a new
    device id) replaces what its earlier incarnation said it had, whatever its number;
    a late bundle from an earlier incarnation changes nothing.
    """
    m = v.manifest
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    sync_queries.bind_devices(conn, m.sender.key_id, [m.sender.device_id, *m.predecessors])
    seen = sync_queries.peer_incarnation(conn, m.sender.key_id)
    if seen is None or (
        m.sender_seq > seen[1] if seen[0] == m.sender.device_id else _newer_incarnation(m, seen[0])
    ):
        values = {
            "key_id": m.sender.key_id,
            "device_id": m.sender.device_id,
            "last_sender_seq": m.sender_seq,
            "last_bundle_id": m.bundle_id,
            "receipt": json.dumps(v.receipt, sort_keys=True),
            "updated_at": now,
        }
        sync_queries.save_peer(conn, values)
    acknowledged = v.receipt.get(own_device, 0)
    sent = device_queries.meta_value(conn, "sent_seq")
    if acknowledged > int(sent or 0):
        device_queries.set_meta_value(conn, "sent_seq", str(acknowledged))
