"""Applying a bundle: read, check and write in bounded batches inside one transaction.

The whole import is one write transaction: the manifest checks, then the revisions in
batches (each checked against the batches before it, then written through the shared
write path), then the checks that need every revision (counts, sequence ranges), the
attachments, the peer's receipt, the ledger row and the clock. Any refusal or cancel rolls
all of it back, and the attachment files are only moved into place just before the
commit (`blob_stage.py`). Memory stays bounded by the batch size, whatever the bundle's.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from ca_desktop.domain.hlc import Clock, Timestamp, is_plausible
from ca_desktop.domain.i18n import tr
from ca_desktop.domain.revision import Revision
from ca_desktop.services.views import DeviceInfo
from ca_desktop.store import (
    backend,
    device_queries,
    import_stage,
    proposal_queries,
    sync_queries,
)
from ca_desktop.store.erasure import vouched_revisions
from ca_desktop.store.handles import Connection, Engine
from ca_desktop.store.revisions import insert_foreign, note_sequences, refresh_records
from ca_desktop.sync import authorization, recovery_entry, trust_list
from ca_desktop.sync.blob_stage import BlobStage
from ca_desktop.sync.errors import BundleRejected, PlainBundleRefused
from ca_desktop.sync.keys import DeviceKeys
from ca_desktop.sync.limits import MAX_HELD_BYTES, MAX_HELD_REVISIONS
from ca_desktop.sync.manifest import Manifest
from ca_desktop.sync.reader import OpenBundle
from ca_desktop.sync.revision_checks import RevisionChecks
from ca_desktop.sync.verify import Tick, VerifiedBundle, verify_header

REFRESH_CHUNK = 500
FIRST_STATISTICS = 2000  # see `import_stage.refresh_statistics`
REFRESH_REVISIONS = 5000


@dataclass(frozen=True)
class ApplyCounts:
    revisions_new: int
    revisions_known: int
    records_new: int
    records_updated: int
    records_unchanged: int
    conflicts: int
    flagged_clocks: int
    proposals: int = 0  # officers' changes kept for the review queue, not applied


def apply_bundle(
    engine: Engine,
    bundle: OpenBundle,
    own: DeviceInfo,
    own_keys: DeviceKeys,
    data_dir: Path,
    tick: Tick,
    allow_plain: bool = True,
) -> tuple[VerifiedBundle, ApplyCounts | None]:
    """Check and apply a bundle, all or nothing; counts are None when it was already
    imported. Raises BundleRejected (or Cancelled from `tick`) with nothing written.

    `tick(n)` gets twice the number of revisions checked and written so far."""
    with (
        BlobStage(data_dir / "blobs", data_dir / "tmp") as blobs,
        backend.write_transaction(engine) as conn,
    ):
        v = verify_header(conn, bundle, own, own_keys)
        if v.already_imported:
            return v, None
        checks = RevisionChecks(conn, v.manifest, own_keys)
        try:
            screen = _Screen(conn, v.manifest, checks, own, own_keys.key_id)
            counts = _write_revisions(conn, bundle, checks, tick, screen)
            trust_list.apply(conn, v.trust_list)  # a coordinator's signed key list
            recovery_entry.apply(conn, v.recovery, v.manifest.created_hlc)  # sealed data key
            for name in v.blob_names:
                blobs.add(bundle, name)
            _note_receipt(conn, v, own.device_id)
            _record(conn, bundle, v, counts)
            if not bundle.encrypted and not allow_plain:
                # Every check passed, but nobody confirmed an unencrypted bundle: roll back.
                raise PlainBundleRefused("the bundle is not encrypted")
        finally:
            checks.close()
        blobs.publish()  # last: the commit follows when the block ends
    return v, counts


class _Screen:
    """Who may change what (`sync/authorization.py`), batch by batch: revisions an officer
    may not make alone are kept as proposals for the review queue, not applied."""

    def __init__(
        self, conn: Connection, m: Manifest, checks: RevisionChecks, own: DeviceInfo, key: str
    ) -> None:
        self.conn, self.m, self.checks, self.own, self.key = conn, m, checks, own, key
        self.proposed = 0
        self.held_roots: dict[str, str] = {}  # see `_write_revisions`

    def __call__(self, revisions: list[Revision]) -> list[Revision]:
        m = self.m
        screened = authorization.screen(
            self.conn,
            revisions,
            m.sender.key_id,
            {m.sender.device_id, *m.predecessors},
            self.checks.bindings,
            self.own,
            self.key,
            self.held_roots,
        )
        if screened.proposed:
            rows = authorization.proposal_rows(screened.proposed, m.bundle_id)
            proposal_queries.save_proposals(self.conn, rows)
            self.proposed += len(screened.proposed)
        return screened.applied


def _write_revisions(
    conn: Connection, bundle: OpenBundle, checks: RevisionChecks, tick: Tick, screen: _Screen
) -> ApplyCounts:
    new_count = flagged = 0
    newest = ""  # the newest plausible clock among the new revisions
    # Erased revisions from before salted commitments (their ids no longer check): held
    # back until every erasure of the bundle is stored, then kept only where an applied
    # erasure of the record names them with their erased body's hash (format §17).
    held: list[Revision] = []
    held_flags: set[str] = set()
    held_bytes = 0

    def store(revisions: list[Revision], flags: set[str]) -> None:
        nonlocal new_count, flagged, newest
        applied = screen(revisions)
        import_stage.note_records(conn, sorted({r.record_id for r in applied}))
        new, stale = insert_foreign(conn, applied, flags)
        import_stage.mark_new(conn, [r.rev_id for r in new])
        import_stage.mark_stale(conn, stale)
        new_count += len(new)
        for r in new:
            if r.rev_id in flags:
                flagged += 1
            elif r.hlc > newest:  # fixed-width strings sort like the clock
                newest = r.hlc

    analysed_at = FIRST_STATISTICS  # revisions staged when the statistics are refreshed
    for batch in checks.batches(bundle, lambda n: tick(2 * n)):
        if checks.count >= analysed_at:  # at doubling sizes: a few times per import
            import_stage.refresh_statistics(conn)
            analysed_at *= 2
        for r in batch.revisions:
            if r.vouch is not None:
                held.append(r)
                held_bytes += len(r.stored_body_json())
                if len(held) > MAX_HELD_REVISIONS or held_bytes > MAX_HELD_BYTES:
                    raise BundleRejected(
                        tr("too many erased versions from before this version in one bundle")
                    )
                if r.rev_id in batch.flagged:
                    held_flags.add(r.rev_id)
                if not r.parents:  # who created the record, for its later revisions
                    screen.held_roots.setdefault(r.record_id, r.device_id)
        store([r for r in batch.revisions if r.vouch is None], batch.flagged)
        sync_queries.save_signatures(conn, batch.signatures)
    if held:
        named = vouched_revisions(conn, [r.record_id for r in held])
        store([r for r in held if named.get(r.rev_id) == r.vouch], held_flags)
    # Records not settled by their batch alone, each refreshed once, from its whole graph.
    # Bounded by revisions as well as records: each refresh loads its records' graphs.
    last = ""
    while rows := import_stage.stale_records(conn, last, REFRESH_CHUNK):
        chunk: dict[str, str] = {}
        budget = 0
        for record_id, record_type, revisions in rows:
            if chunk and budget + revisions > REFRESH_REVISIONS:
                break
            chunk[record_id] = record_type
            budget += revisions
            last = record_id
        refresh_records(conn, chunk)
    for device, top in import_stage.newest_new_by_device(conn):
        note_sequences(conn, {device: [top]})
    for device, key_id in sorted(checks.bindings.items()):
        sync_queries.bind_devices(conn, key_id, [device])
    records, created, updated, conflicts = import_stage.record_counts(conn)
    _observe_clock(conn, [newest] if newest else [])
    return ApplyCounts(
        revisions_new=new_count,
        revisions_known=checks.count - new_count,
        records_new=created,
        records_updated=updated,
        records_unchanged=records - created - updated,
        conflicts=conflicts,
        flagged_clocks=flagged,
        proposals=screen.proposed,
    )


def _record(conn: Connection, bundle: OpenBundle, v: VerifiedBundle, counts: ApplyCounts) -> None:
    m = v.manifest
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
