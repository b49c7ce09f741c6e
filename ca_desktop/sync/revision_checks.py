"""The checks on a bundle's revisions (format section 9, steps 10-12), in bounded batches.

Revisions are read one line at a time and handed on in batches bounded by count and by
size, so memory does not grow with the bundle: a 1 MiB line can expand twenty-fold once
parsed. What a check must know about earlier batches (ids seen, a record's type and
number of versions, who names whom as a parent) is staged in TEMP tables
(`store/import_stage.py`), so no check keeps the whole bundle in memory and none is
quadratic. `check` is the one place that decides about a single revision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ca_desktop.domain.hlc import EARLIEST_PLAUSIBLE_MS, MAX_DRIFT_MS, Timestamp, physical_ms
from ca_desktop.domain.i18n import tr
from ca_desktop.domain.revision import Revision
from ca_desktop.store import import_stage, sync_queries
from ca_desktop.store.handles import Connection
from ca_desktop.sync import state
from ca_desktop.sync.authorship import CAPABILITY as AUTHOR_CAPABILITY
from ca_desktop.sync.authorship import AuthorCheck
from ca_desktop.sync.errors import BundleRejected
from ca_desktop.sync.keys import DeviceKeys
from ca_desktop.sync.limits import MAX_VERSIONS_PER_RECORD
from ca_desktop.sync.manifest import Manifest
from ca_desktop.sync.reader import OpenBundle

BATCH_REVISIONS = 1000
# Parsed JSON takes up to ~25x its text (empty objects): 1 MiB of bodies stays under 30 MB.
BATCH_BYTES = 1024**2


@dataclass
class Batch:
    revisions: list[Revision] = field(default_factory=list)
    flagged: set[str] = field(default_factory=set)  # implausible clocks: kept, not trusted
    signatures: list[tuple[str, str, str]] = field(default_factory=list)  # to keep
    size: int = 0


class RevisionChecks:
    """Feeds a bundle's revisions through every check; stages them on `conn`.

    Use `batches()` once, then `close()` (drops the staging tables). `bindings` (device
    id -> key id learnt from author signatures) is complete once `batches()` ends.
    """

    def __init__(self, conn: Connection, m: Manifest, own_keys: DeviceKeys) -> None:
        self.conn = conn
        self.m = m
        self.count = 0
        self.authors = AuthorCheck(
            conn, own_keys, {m.sender.device_id, *m.predecessors}, m.sender.key_id
        )
        self.relayed_needs_signature = m.kind == "field_export"
        self.plausible_low = str(Timestamp(EARLIEST_PLAUSIBLE_MS, 0))
        self.plausible_high = str(Timestamp(physical_ms() + MAX_DRIFT_MS, 99999))
        import_stage.create(conn)

    @property
    def bindings(self) -> dict[str, str]:
        return self.authors.bind

    def close(self) -> None:
        import_stage.drop(self.conn)

    def check(self, rev: Revision) -> bool:
        """Everything about one revision alone; returns whether its clock is implausible."""
        if rev.signed is not None and AUTHOR_CAPABILITY not in self.m.requires:
            raise BundleRejected(
                tr("revision {rev_id}: signed without 'signatures/1'").format(
                    rev_id=rev.rev_id[:12]
                )
            )
        self.authors.check(rev, self.relayed_needs_signature)
        if self.m.kind == "reference_data" and rev.record_type not in state.REFERENCE_TYPES:
            raise BundleRejected(
                tr("a reference data bundle carries a {record_type} record").format(
                    record_type=rev.record_type
                )
            )
        # Fixed-width strings: string order is time order.
        return not self.plausible_low <= rev.hlc <= self.plausible_high

    def batches(self, bundle: OpenBundle, tick: Callable[[int], None]) -> Iterator[Batch]:
        """The bundle's revisions, checked, in bounded batches; the checks that need the
        whole bundle (counts, sequence ranges) run after the last one."""
        batch = Batch()
        for rev in bundle.revisions():
            if self.check(rev):
                batch.flagged.add(rev.rev_id)
            batch.revisions.append(rev)
            batch.size += len(rev.body_json())
            if len(batch.revisions) >= BATCH_REVISIONS or batch.size >= BATCH_BYTES:
                yield self._checked(batch)
                tick(self.count)
                batch = Batch()
        if batch.revisions:
            yield self._checked(batch)
        if self.count != self.m.revisions or not self._ranges_match():
            raise BundleRejected(
                tr("the manifest's counts or sequence ranges do not match the revisions")
            )
        tick(self.count)

    def _checked(self, batch: Batch) -> Batch:
        """The checks across revisions: duplicates, record types, versions per record,
        parents of the same record (also when the parent comes after its child)."""
        conn, revs = self.conn, batch.revisions
        by_id = {r.rev_id: r for r in revs}
        if len(by_id) < len(revs):
            seen: set[str] = set()
            for r in revs:
                if r.rev_id in seen:
                    raise BundleRejected(
                        tr("revision {rev_id} appears twice").format(rev_id=r.rev_id[:12])
                    )
                seen.add(r.rev_id)
        again = import_stage.already_staged(conn, list(by_id))
        if again:
            raise BundleRejected(tr("revision {again} appears twice").format(again=again[:12]))
        import_stage.stage(
            conn,
            [(r.rev_id, r.record_id, r.record_type, r.device_id, r.device_seq) for r in revs],
            [(p, r.record_id) for r in revs for p in r.parents],
        )
        records = sorted({r.record_id for r in revs})
        known_types = sync_queries.types_of_records(conn, records)
        mixed = import_stage.record_with_two_types(conn, records)
        for r in revs:
            if mixed == r.record_id or known_types.get(r.record_id, r.record_type) != r.record_type:
                raise BundleRejected(
                    tr("revision {rev_id} changes the type of record {record_id}").format(
                        rev_id=r.rev_id[:12], record_id=r.record_id
                    )
                )
        over = import_stage.record_over(conn, records, MAX_VERSIONS_PER_RECORD)
        if over:
            raise BundleRejected(
                tr(
                    "record {value} has {value2} or more versions in this bundle; at most {MAX_VERSIONS_PER_RECORD} versions of one record are accepted in one bundle"
                ).format(
                    value=over[0], value2=over[1], MAX_VERSIONS_PER_RECORD=MAX_VERSIONS_PER_RECORD
                )
            )
        outside = sorted({p for r in revs for p in r.parents if p not in by_id})
        owners = import_stage.staged_records(conn, outside)
        owners.update(
            sync_queries.records_of_revisions(conn, [p for p in outside if p not in owners])
        )
        for r in revs:
            for p in r.parents:
                owner = by_id[p].record_id if p in by_id else owners.get(p)
                if owner is not None and owner != r.record_id:
                    raise BundleRejected(
                        tr("revision {rev_id} names a parent from another record").format(
                            rev_id=r.rev_id[:12]
                        )
                    )
        late = import_stage.child_of_another_record(conn, [(r.rev_id, r.record_id) for r in revs])
        if late:
            raise BundleRejected(
                tr("a revision names a parent from another record (parent {late})").format(
                    late=late[:12]
                )
            )
        batch.signatures = self.authors.verified
        self.authors.verified = []
        self.count += len(revs)
        return batch

    def _ranges_match(self) -> bool:
        """The staged sequence numbers form exactly the manifest's runs (streamed)."""
        expected = self.m.ranges
        devices = 0
        device: str | None = None
        runs: list[list[int]] = []
        for dev, seq in import_stage.sequences(self.conn):
            if dev != device:
                if device is not None:
                    if expected.get(device) != runs:
                        return False
                    devices += 1
                device, runs = dev, []
            if runs and seq == runs[-1][1] + 1:
                runs[-1][1] = seq
            else:
                runs.append([seq, seq])
                if len(runs) > len(expected.get(dev, ())):
                    return False  # more runs than listed: stop before they pile up
        if device is not None:
            if expected.get(device) != runs:
                return False
            devices += 1
        return devices == len(expected)
