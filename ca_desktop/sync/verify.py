"""Phase 1 of an import: every check, reading the database but writing nothing.

Order matters for the messages people see: who signed it first (an unknown signer is the
common case and needs a clear answer), then whether we already have it, then the content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ca_desktop.domain.hlc import EARLIEST_PLAUSIBLE_MS, MAX_DRIFT_MS, Timestamp, physical_ms
from ca_desktop.domain.revision import Revision
from ca_desktop.services.views import DeviceInfo
from ca_desktop.store import sync_queries
from ca_desktop.store.handles import Connection
from ca_desktop.sync import authorization, state, trust_list
from ca_desktop.sync.authorship import CAPABILITY as AUTHOR_CAPABILITY
from ca_desktop.sync.authorship import AuthorCheck
from ca_desktop.sync.errors import BundleRejected
from ca_desktop.sync.keys import DeviceKeys, fingerprint_of, public_of
from ca_desktop.sync.manifest import Manifest, ranges_of
from ca_desktop.sync.reader import OpenBundle
from ca_desktop.sync.trust_list import TrustList
from ca_desktop.sync.views import TrustedKeyView

Tick = Callable[[int], None]


@dataclass
class VerifiedBundle:
    manifest: Manifest
    signer: TrustedKeyView
    file_sha256: str
    already_imported: str | None = None  # when, if this bundle id is in the ledger
    revisions: list[Revision] = field(default_factory=list)
    flagged: set[str] = field(default_factory=set)
    receipt: dict[str, int] = field(default_factory=dict)
    blob_names: list[str] = field(default_factory=list)
    signatures: list[tuple[str, str, str]] = field(default_factory=list)  # to keep
    bindings: dict[str, str] = field(default_factory=dict)  # device id -> key id
    trust_list: TrustList | None = None  # a coordinator's signed key list, checked
    # Issue 11: revisions an officer may not make alone, for the review queue (not applied).
    proposals: list[tuple[Revision, str, str]] = field(default_factory=list)


def check_signer(conn: Connection, bundle: OpenBundle) -> TrustedKeyView:
    """The trusted, unrevoked key that signed the manifest, bound to the sender device."""
    m = bundle.manifest
    row = sync_queries.trusted_key_row(conn, m.sender.key_id)
    who = f"{m.sender.user_name[:60]!r}, key {fingerprint_of(m.sender.key_id)}"
    if row is None:
        raise BundleRejected(
            f"signed by an unknown key ({who}); compare fingerprints and trust it with "
            "'keys trust' first"
        )
    key = TrustedKeyView(**row)
    if key.revoked_at:
        raise BundleRejected(f"signed by a revoked key ({who}, revoked {key.revoked_at})")
    bundle.verify_signature(public_of(key))
    check_incarnations(conn, m, key)
    if m.kind != "field_export" and key.role != "coordinator":
        raise BundleRejected(
            f"a {m.kind.replace('_', ' ')} bundle signed by {key.user_name}, who is not a "
            "trusted coordinator"
        )
    return key


def check_incarnations(conn: Connection, m: Manifest, key: TrustedKeyView) -> None:
    """The sender device is the key's own device or a later incarnation of it (a restore).

    A restored laptop signs with the same key under a new device id and names its earlier
    ids, which must include the device the key was made under. No id may belong to
    another key: a key can never speak for someone else's laptop.
    """
    claimed = (m.sender.device_id, *m.predecessors)
    if key.device_id not in claimed:
        raise BundleRejected(
            f"spoofed origin device: the manifest claims device {m.sender.device_id[:8]} but "
            f"the key belongs to device {key.device_id[:8]}"
        )
    for device in claimed:
        owner = sync_queries.key_of_device(conn, device)
        if owner is not None and owner != key.key_id:
            raise BundleRejected(
                f"spoofed origin device: device {device[:8]} belongs to another key"
            )


def verify_bundle(
    conn: Connection, bundle: OpenBundle, own: DeviceInfo, own_keys: DeviceKeys, tick: Tick
) -> VerifiedBundle:
    """All of phase 1; raises BundleRejected with the first problem found."""
    m = bundle.manifest
    own_key_id = own_keys.key_id
    signer = check_signer(conn, bundle)
    if m.recipient is not None and m.recipient != own_key_id:
        raise BundleRejected(
            f"the bundle is addressed to another device (key {fingerprint_of(m.recipient)})"
        )
    result = VerifiedBundle(m, signer, bundle.file_sha256)
    done = sync_queries.imported_at(conn, m.bundle_id)
    if done:
        result.already_imported = done
        return result
    check_replay(conn, m)
    check_programme(conn, m, own)
    bundle.check_listed()
    result.receipt = state.parse_state(bundle.read_state())
    result.trust_list = trust_list.read(bundle, m, signer, own_key_id, own.own_devices)
    seen: set[str] = set()
    seqs: dict[str, list[int]] = {}
    senders = {m.sender.device_id, *m.predecessors}
    authors = AuthorCheck(conn, own_keys, senders, m.sender.key_id)
    relayed_needs_signature = m.kind == "field_export"
    plausible_low = str(Timestamp(EARLIEST_PLAUSIBLE_MS, 0))
    plausible_high = str(Timestamp(physical_ms() + MAX_DRIFT_MS, 99999))
    for rev in bundle.revisions():
        if rev.rev_id in seen:
            raise BundleRejected(f"revision {rev.rev_id[:12]} appears twice")
        seen.add(rev.rev_id)
        if rev.signed is not None and AUTHOR_CAPABILITY not in m.requires:
            raise BundleRejected(f"revision {rev.rev_id[:12]}: signed without 'signatures/1'")
        authors.check(rev, relayed_needs_signature)
        if m.kind == "reference_data" and rev.record_type not in state.REFERENCE_TYPES:
            raise BundleRejected(f"a reference data bundle carries a {rev.record_type} record")
        if (
            not plausible_low <= rev.hlc <= plausible_high
        ):  # fixed-width: string order is time order
            result.flagged.add(rev.rev_id)
        seqs.setdefault(rev.device_id, []).append(rev.device_seq)
        result.revisions.append(rev)
        if len(result.revisions) % 5000 == 0:
            tick(len(result.revisions))
    if len(result.revisions) != m.revisions or ranges_of(seqs) != m.ranges:
        raise BundleRejected("the manifest's counts or sequence ranges do not match the revisions")
    check_graph(conn, result.revisions)
    result.signatures = authors.verified
    result.bindings = authors.bind
    # Who may change what (sync/authorization.py): out-of-bounds revisions become proposals.
    screened = authorization.screen(
        conn, result.revisions, m.sender.key_id, senders, authors.bind, own, own_key_id
    )
    result.revisions, result.proposals = screened.applied, screened.proposed
    for name in sorted(m.entries):
        if name.startswith("blobs/"):
            bundle.check_blob(name)
            result.blob_names.append(name)
    return result


def check_replay(conn: Connection, m: Manifest) -> None:
    """A coordinator's bundles apply in order: an older one must not undo newer receipts.

    Bundle numbers count per incarnation: a restored coordinator starts again from its
    backup's counter under a new device id, and that is no replay.
    """
    seen = sync_queries.peer_incarnation(conn, m.sender.key_id)
    if seen is None or seen[0] != m.sender.device_id:
        return
    last = seen[1]
    if m.kind != "field_export" and m.sender_seq <= last:
        raise BundleRejected(
            f"replayed older coordinator bundle: #{m.sender_seq} from {m.sender.user_name}, "
            f"but #{last} was already imported"
        )


def check_programme(conn: Connection, m: Manifest, own: DeviceInfo) -> None:
    code = m.sender.programme
    if code is None or code == own.programme_code:
        return
    if not sync_queries.programme_known(conn, code):
        raise BundleRejected(f"the bundle is for programme {code[:40]!r}, unknown on this laptop")


def check_graph(conn: Connection, revisions: list[Revision]) -> None:
    """A revision may not move a record to another type or name a parent of another record."""
    by_id = {r.rev_id: r for r in revisions}
    records = {r.record_id: r.record_type for r in revisions}
    parents = sorted({p for r in revisions for p in r.parents if p not in by_id})
    known_parents = sync_queries.records_of_revisions(conn, parents)
    known_types = sync_queries.types_of_records(conn, sorted(records))
    for r in revisions:
        if (
            records[r.record_id] != r.record_type
            or known_types.get(r.record_id, r.record_type) != r.record_type
        ):
            raise BundleRejected(
                f"revision {r.rev_id[:12]} changes the type of record {r.record_id}"
            )
        for p in r.parents:
            owner = by_id[p].record_id if p in by_id else known_parents.get(p)
            if owner is not None and owner != r.record_id:
                raise BundleRejected(f"revision {r.rev_id[:12]} names a parent from another record")
