"""The one write path: every change appends an immutable revision and updates the current
state row, the head set and the search index in the same transaction.

Local edits (`write_local`) and revisions arriving from other replicas (`apply_foreign`,
used by sync) both end in `refresh_records`, which derives heads and the current row from
the revision graph, so the two paths cannot disagree.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, text, update
from sqlalchemy.engine import Connection
from sqlmodel import select

from ca_desktop.domain import schema
from ca_desktop.domain.canonical import canonical_json
from ca_desktop.domain.hlc import Clock, Timestamp
from ca_desktop.domain.ids import uuid7
from ca_desktop.domain.personal import RESERVED_KEYS, seal
from ca_desktop.domain.records import spec_for
from ca_desktop.domain.revision import CONTENT_KEYS, Revision
from ca_desktop.domain.schema import upgrade_body
from ca_desktop.domain.winner import choose_winner, others_latest_all
from ca_desktop.store import backend
from ca_desktop.store.changes import Change as Change
from ca_desktop.store.device_scope import scoped
from ca_desktop.store.erasure import erase_covered
from ca_desktop.store.tables import (
    RECORD_TABLES,
    DeviceSequence,
    LocalDevice,
    RecordHead,
)
from ca_desktop.store.tables import Revision as RevisionRow
from ca_desktop.store.tombstones import tombstone_body

CHUNK = 500


class NotInitialised(Exception):
    """The device has no identity yet: run `ca-desktop init` or the first-start window."""


def _chunks(seq: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), size):
        yield seq[i : i + size]


def load_device(conn: Connection) -> LocalDevice:
    row = conn.execute(scoped(select(LocalDevice), conn, LocalDevice.device_id)).first()
    if row is None:
        raise NotInitialised("this laptop is not set up yet: run 'ca-desktop init'")
    return LocalDevice(**row._mapping)


def current_heads(conn: Connection, record_ids: Sequence[str]) -> dict[str, list[str]]:
    heads: dict[str, list[str]] = {}
    for chunk in _chunks(list(record_ids)):
        rows = conn.execute(
            select(RecordHead.record_id, RecordHead.rev_id).where(
                RecordHead.record_id.in_(chunk)  # type: ignore[attr-defined]
            )
        )
        for rid, rev in rows:
            heads.setdefault(rid, []).append(rev)
    return heads


def next_local_seq(conn: Connection) -> int:
    return (conn.execute(select(func.max(RevisionRow.local_seq))).scalar() or 0) + 1


def write_local(conn: Connection, author: str, changes: Sequence[Change]) -> list[Revision]:
    """Append one revision per change, made on this device; returns them in order."""
    device = load_device(conn)
    clock = Clock(Timestamp.parse(device.clock))
    seq = device.next_seq
    ids = [c.record_id or uuid7() for c in changes]
    heads = current_heads(conn, [i for i, c in zip(ids, changes, strict=True) if c.record_id])
    revisions: list[Revision] = []
    pending: dict[str, str] = {}  # a record changed twice in one batch chains its revisions
    sole: dict[str, Revision] = {}  # records whose new revision is their only head
    shown = _shown_versions(conn, changes, ids, heads)
    for rid, change in zip(ids, changes, strict=True):
        if rid in pending:
            parents: tuple[str, ...] = (pending[rid],)
        elif change.resolves:
            parents = tuple(heads.get(rid, []))
        elif change.base_rev:
            # The version the editor loaded: anything written since (another head, or a
            # later revision) stays visible as a conflict to review, never overwritten.
            parents = (change.base_rev,)
        else:
            parents = shown.get(rid, tuple(heads.get(rid, [])))
        deleted = change.body is None or change.deleted
        body = seal(change.record_type, change.body) if change.body is not None else {}
        rev = Revision(
            record_id=rid,
            record_type=change.record_type,
            parents=parents,
            device_id=device.device_id,
            device_seq=seq,
            hlc=str(clock.now()),
            author=author,
            deleted=deleted,
            body=body,
        ).with_id()
        seq += 1
        chained = rid in pending and rid in sole
        if chained or (rid not in pending and set(parents) == set(heads.get(rid, []))):
            sole[rid] = rev
        else:
            sole.pop(rid, None)
        pending[rid] = rev.rev_id
        revisions.append(rev)
    _insert_revisions(conn, revisions, flagged=set())
    conn.execute(
        update(LocalDevice)
        .where(LocalDevice.device_id == device.device_id)  # type: ignore[arg-type]
        .values(next_seq=seq, clock=str(clock.last))
    )
    note_sequences(conn, {device.device_id: [r.device_seq for r in revisions]})
    existing = {c.record_id for c in changes if c.record_id}
    for rid in erase_covered(conn, revisions, existing):
        sole.pop(rid, None)  # its new revision was erased in the table: read it from there
    refresh_records(conn, {r.record_id: r.record_type for r in revisions}, sole)
    return revisions


def _shown_versions(
    conn: Connection, changes: Sequence[Change], ids: Sequence[str], heads: dict[str, list[str]]
) -> dict[str, tuple[str, ...]]:
    """{record id: (its shown winner,)} for records in conflict edited without a base."""
    by_type: dict[str, list[str]] = {}
    for rid, c in zip(ids, changes, strict=True):
        if len(heads.get(rid, [])) > 1 and not c.base_rev and not c.resolves:
            by_type.setdefault(c.record_type, []).append(rid)
    out: dict[str, tuple[str, ...]] = {}
    for record_type, rids in by_type.items():
        out.update({rid: (rev,) for rid, rev in current_rev_ids(conn, record_type, rids).items()})
    return out


def apply_foreign(
    conn: Connection, revisions: Sequence[Revision], flagged: set[str] | None = None
) -> list[Revision]:
    """Store revisions made elsewhere (ids already verified); returns those that were new."""
    new, stale = insert_foreign(conn, revisions, flagged)
    by_device: dict[str, list[int]] = {}
    for r in new:
        by_device.setdefault(r.device_id, []).append(r.device_seq)
    note_sequences(conn, by_device)
    types = {r.record_id: r.record_type for r in new}
    refresh_records(conn, {rid: types[rid] for rid in stale})
    return new


def insert_foreign(
    conn: Connection, revisions: Sequence[Revision], flagged: set[str] | None = None
) -> tuple[list[Revision], list[str]]:
    """Store the unknown ones of `revisions` (ids already verified): (those, the ids of
    records whose heads and current state are still to refresh).

    Records first seen here with a single head are refreshed at once (their graph is this
    batch); the others are left to the caller, so an import writing in batches refreshes
    each record once at its end rather than once per batch that touches it (interleaved
    versions of many records would make that quadratic). Sequence numbers are left to
    `note_sequences` likewise."""
    known = _stored(conn, "rev_id", [r.rev_id for r in revisions])
    new: list[Revision] = []
    for r in revisions:
        if r.rev_id not in known:
            known.add(r.rev_id)
            new.append(r)
    if not new:
        return [], []
    sole, existing = _fresh_sole_heads(conn, new)
    _insert_revisions(conn, new, flagged=flagged or set())
    for rid in erase_covered(conn, new, existing):
        sole.pop(rid, None)  # erased in the table: refreshed from there with the others
    refresh_records(conn, {rid: rev.record_type for rid, rev in sole.items()}, sole)
    return new, list(dict.fromkeys(r.record_id for r in new if r.record_id not in sole))


def _fresh_sole_heads(
    conn: Connection, new: Sequence[Revision]
) -> tuple[dict[str, Revision], set[str]]:
    """Records first seen in this batch whose revisions here have a single head.

    Their graph is exactly this batch, so the head is known without walking it (the fast
    path of `refresh_records`; a bundle of new records is the common case of an import).
    """
    existing = _stored(conn, "record_id", list({r.record_id for r in new}))
    referenced = {p for r in new for p in r.parents}
    heads: dict[str, list[Revision]] = {}
    for r in new:
        if r.record_id not in existing and r.rev_id not in referenced:
            heads.setdefault(r.record_id, []).append(r)
    return {rid: revs[0] for rid, revs in heads.items() if len(revs) == 1}, existing


def _stored(conn: Connection, column: str, values: Sequence[str]) -> set[str]:
    """Those of `values` the revision table holds in `column` (rev_id or record_id)."""
    if backend.on_server(conn):
        # One array, one statement per batch: IN lists of 500 values cost a server a
        # tenth of a bundle import (2 statements per batch, each planned for its values).
        found = conn.execute(
            text(f"SELECT DISTINCT {column} FROM revision WHERE {column} = ANY(:values)"),
            {"values": list(values)},
        )
        return {row[0] for row in found}
    stored: set[str] = set()
    field = getattr(RevisionRow, column)
    for chunk in _chunks(values):
        stored.update(conn.execute(select(field).where(field.in_(chunk)).distinct()).scalars())
    return stored


# The revision table: the content hashed into the id, plus two local-only columns.
REVISION_COLUMNS = ("rev_id", *CONTENT_KEYS, "local_seq", "clock_flag", "schema_version")


def _insert_revisions(conn: Connection, revisions: Sequence[Revision], flagged: set[str]) -> None:
    local_seq = next_local_seq(conn)
    own_schema = schema.current()
    rows = [
        (
            r.rev_id,
            r.record_id,
            r.record_type,
            json.dumps(sorted(r.parents)),
            r.device_id,
            r.device_seq,
            r.hlc,
            r.author,
            r.deleted,
            r.stored_body_json(),
            local_seq + i,
            r.rev_id in flagged,
            r.schema_version or own_schema,
        )
        for i, r in enumerate(revisions)
    ]
    backend.insert_many(conn, "revision", REVISION_COLUMNS, rows)


def note_sequences(conn: Connection, seqs: dict[str, list[int]]) -> None:
    """Keep the known-state vector: highest seq, and highest with no gap below it."""
    for device_id, numbers in seqs.items():
        row = conn.execute(
            select(DeviceSequence).where(DeviceSequence.device_id == device_id)  # type: ignore[arg-type]
        ).first()
        max_seq = max([*numbers, row.max_seq if row else 0])
        contiguous = row.contiguous_seq if row else 0
        if max_seq > contiguous:
            have = set(
                conn.execute(
                    select(RevisionRow.device_seq).where(
                        RevisionRow.device_id == device_id,  # type: ignore[arg-type]
                        RevisionRow.device_seq > contiguous,  # type: ignore[arg-type]
                    )
                ).scalars()
            )
            while contiguous + 1 in have:
                contiguous += 1
        values = {"device_id": device_id, "max_seq": max_seq, "contiguous_seq": contiguous}
        backend.upsert(conn, DeviceSequence.__table__, [values], key="device_id", keep=())  # type: ignore[attr-defined]


@dataclass(frozen=True)
class _Head:
    rev_id: str
    hlc: str
    deleted: bool
    author: str
    body: dict[str, Any]
    others_latest_ms: int | None = None  # the winner rule's clock check (domain/winner.py)
    clock_flag: bool = False  # flagged on arrival: a clock over a day ahead never wins
    # The revision itself when `body` is its body as written: its long lists' JSON is
    # reused for their columns (`Revision.list_json`) instead of encoded again.
    source: Revision | None = None


def refresh_records(
    conn: Connection, records: dict[str, str], sole_heads: dict[str, Revision] | None = None
) -> None:
    """Recompute heads and current-state rows for `records` ({record_id: record_type}).

    `sole_heads` is the fast path for local writes: a revision whose parents were exactly
    the record's heads becomes its only head, so the graph need not be walked.
    """
    sole = sole_heads or {}
    heads_of = {rid: [_head_of(rev)] for rid, rev in sole.items()}
    heads_of.update(_heads_from_graph(conn, [rid for rid in records if rid not in sole]))
    # Records created in this batch have no head rows yet: nothing to delete for them.
    new = {rid for rid, rev in sole.items() if not rev.parents}
    _store_heads(conn, heads_of, new)
    _write_current(conn, records, heads_of, new)


def _head_of(r: Revision) -> _Head:
    # A local revision (schema 0) is in this version's shape already.
    body = upgrade_body(r.record_type, r.body, r.schema_version or schema.current())
    return _Head(r.rev_id, r.hlc, r.deleted, r.author, body, source=r if body is r.body else None)


def _heads_from_graph(conn: Connection, ids: Sequence[str]) -> dict[str, list[_Head]]:
    out: dict[str, list[_Head]] = {}
    for chunk in _chunks(list(ids)):
        rows = conn.execute(
            select(  # type: ignore[call-overload]
                RevisionRow.record_id,
                RevisionRow.rev_id,
                RevisionRow.hlc,
                RevisionRow.deleted,
                RevisionRow.author,
                RevisionRow.body,
                RevisionRow.parents,
                RevisionRow.device_id,
                RevisionRow.record_type,
                RevisionRow.schema_version,
                RevisionRow.clock_flag,
            ).where(RevisionRow.record_id.in_(chunk))  # type: ignore[attr-defined]
        ).all()
        by_record: dict[str, list[Any]] = {}
        for row in rows:
            by_record.setdefault(row.record_id, []).append(row)
        for rid, revs in by_record.items():
            referenced = {p for r in revs for p in json.loads(r.parents)}
            heads = [r for r in revs if r.rev_id not in referenced]
            latest = (
                others_latest_all([(r.device_id, r.hlc) for r in revs]) if len(heads) > 1 else {}
            )
            out[rid] = [
                _Head(
                    r.rev_id,
                    r.hlc,
                    bool(r.deleted),
                    r.author,
                    upgrade_body(r.record_type, json.loads(r.body), r.schema_version),
                    latest.get(r.device_id),
                    bool(r.clock_flag),
                )
                for r in heads
            ]
    return out


def _store_heads(
    conn: Connection, heads_of: dict[str, list[_Head]], new: set[str] | frozenset[str] = frozenset()
) -> None:
    if not heads_of:
        return
    old = [rid for rid in heads_of if rid not in new]
    if old:
        backend.delete_many(conn, "record_head", "record_id", old)
    rows = [(rid, h.rev_id) for rid, heads in heads_of.items() for h in heads]
    backend.insert_many(conn, "record_head", ("record_id", "rev_id"), rows)


def _write_current(
    conn: Connection,
    records: dict[str, str],
    heads_of: dict[str, list[_Head]],
    new: set[str] | frozenset[str] = frozenset(),
) -> None:
    """Write each record's current-state row from its winning head (`new`: records that
    had no revision before this batch, hence no row).

    The search index follows through triggers on the activity table (migration 0003).
    """
    by_type: dict[str, list[tuple[Any, ...]]] = {}
    # On a server, rows of new records are copied straight into their table: an upsert
    # goes through a temporary table first (`pg_copy.merge`), a third of an import there.
    fresh: dict[str, list[tuple[Any, ...]]] = {}
    copy_new = bool(new) and backend.on_server(conn)
    for rid, heads in heads_of.items():
        record_type = records[rid]
        if record_type not in RECORD_TABLES:
            # A type a newer version declared: its revisions and heads are kept and travel
            # on; its rows are built by the migration that declares it (`rebuild_current`).
            continue
        win = heads[0] if len(heads) == 1 else choose_winner(heads)
        assert isinstance(win, _Head)
        body, source = win.body, win.source
        if win.deleted:
            # A tombstone keeps the last known content so lists and history can name it.
            body, source = tombstone_body(conn, rid, win.rev_id) or body, None
        meta = (rid, win.rev_id, len(heads), win.deleted, win.hlc, win.hlc, win.author)
        row = _row_builder(record_type)[1](body, meta, source)
        (fresh if copy_new and rid in new else by_type).setdefault(record_type, []).append(row)
    for record_type, rows in by_type.items():
        table = RECORD_TABLES[record_type].__table__  # type: ignore[attr-defined]
        backend.upsert_rows(conn, table.name, _row_builder(record_type)[0], rows)
    for record_type, rows in fresh.items():
        table = RECORD_TABLES[record_type].__table__  # type: ignore[attr-defined]
        backend.insert_many(conn, table.name, _row_builder(record_type)[0], rows)


def _column_defaults(table: Any) -> dict[str, Any]:
    """What a missing column gets (a tombstone's body may lack fields): NULL where allowed."""
    defaults = {}
    for col in table.columns:
        if col.name == "num" or col.nullable:
            continue
        arg = col.default.arg if col.default is not None else None
        defaults[col.name] = arg if arg is not None and not callable(arg) else ""
    return defaults


_META_COLUMNS = ("id", "rev_id", "heads", "deleted", "created_hlc", "updated_hlc", "updated_by")


_Build = Callable[[Mapping[str, Any], tuple[Any, ...], Revision | None], tuple[Any, ...]]
_Builder = tuple[tuple[str, ...], _Build]
_BUILDERS: dict[str, tuple[object, int, _Builder]] = {}


def _row_builder(record_type: str) -> _Builder:
    """The current-state table's columns, and a function (body, meta) -> row tuple.

    Built once per declaration and table: this runs for every record written or imported.
    Only declared fields that have a column are written; a body's other fields (from a
    newer version) live in its revision.
    """
    spec = spec_for(record_type)
    table = RECORD_TABLES[record_type].__table__  # type: ignore[attr-defined]
    hit = _BUILDERS.get(record_type)
    if hit is not None and hit[0] is spec and hit[1] == len(table.columns):
        return hit[2]
    kinds = {f.name: f.kind for f in spec.fields if f.name in table.columns}
    columns = _META_COLUMNS + tuple(kinds)
    defaults = _column_defaults(table)
    plan = [(name, kinds[name], defaults.get(name)) for name in kinds]

    def build(
        body: Mapping[str, Any], meta: tuple[Any, ...], source: Revision | None
    ) -> tuple[Any, ...]:
        values = list(meta)
        get = body.get
        for name, kind, default in plan:
            value = get(name)
            if kind == "enums":
                value = ",".join(value or ())
            elif kind == "list":
                encoded = source.list_json(name) if source is not None else None
                value = encoded or canonical_json(value or [])
            elif value is None:
                value = default
            values.append(value)
        return tuple(values)

    _BUILDERS[record_type] = (spec, len(table.columns), (columns, build))
    return columns, build


def current_rev_ids(conn: Connection, record_type: str, ids: Sequence[str]) -> dict[str, str]:
    """{record id: the winning revision} for existing records of one type."""
    table = RECORD_TABLES[record_type].__table__  # type: ignore[attr-defined]
    out: dict[str, str] = {}
    for chunk in _chunks(list(ids)):
        rows = conn.execute(select(table.c.id, table.c.rev_id).where(table.c.id.in_(chunk)))
        out.update({rid: rev for rid, rev in rows})
    return out


def revision_bodies(conn: Connection, rev_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """{rev_id: body} in this version's shape (older bodies upgraded, newer fields kept).

    Without the salts and erasure notes of `domain/personal.py`: they belong to the
    revision, not to the fields an editor or a comparison works on."""
    out: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(list(rev_ids)):
        rows = conn.execute(
            select(  # type: ignore[call-overload]
                RevisionRow.rev_id,
                RevisionRow.record_type,
                RevisionRow.body,
                RevisionRow.schema_version,
            ).where(RevisionRow.rev_id.in_(chunk))  # type: ignore[attr-defined]
        )
        for rev_id, record_type, body, version in rows:
            full = upgrade_body(record_type, json.loads(body), version)
            out[rev_id] = {k: v for k, v in full.items() if k not in RESERVED_KEYS}
    return out


def rebuild_current(conn: Connection, record_type: str) -> int:
    """Build the current-state rows of every record of `record_type` from its revisions.

    For the migration that creates a record type's table: a laptop may already hold its
    revisions, received from newer versions before it knew the type. Returns how many."""
    ids = list(
        conn.execute(
            select(RevisionRow.record_id)  # type: ignore[call-overload]
            .where(RevisionRow.record_type == record_type)
            .distinct()
        ).scalars()
    )
    for chunk in _chunks(ids):
        refresh_records(conn, dict.fromkeys(chunk, record_type))
    return len(ids)
