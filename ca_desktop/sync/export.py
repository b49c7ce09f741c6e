"""Writing a bundle: select, write the signed ZIP, encrypt, fsync, rename, re-read, verify.

The plaintext ZIP is built in an anonymous temporary file inside the data folder, never on
the target medium, so a USB stick only ever holds ciphertext when a recipient is known.
The target is written under a temporary name beside it and renamed only once complete and
synced; the renamed file is read back and its hash compared before success is reported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ca_desktop.domain import schema
from ca_desktop.domain.attachment_names import is_sha256
from ca_desktop.domain.canonical import canonical_json
from ca_desktop.domain.hlc import Clock, Timestamp
from ca_desktop.domain.i18n import tr
from ca_desktop.domain.ids import uuid7
from ca_desktop.domain.jobs import Progress, report
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.attachments import blob_chunks, blob_path
from ca_desktop.services.practice import is_practice
from ca_desktop.store import backend, device_queries, sqlite, sync_queries
from ca_desktop.store.handles import Connection
from ca_desktop.sync import container, recovery_entry, state, trust_list
from ca_desktop.sync.authorship import CAPABILITY as SIGNED
from ca_desktop.sync.authorship import sign_revision
from ca_desktop.sync.envelope import encrypt_stream
from ca_desktop.sync.errors import SyncError
from ca_desktop.sync.keys import DeviceKeys, PublicKey, ensure_keys
from ca_desktop.sync.limits import READ_CHUNK
from ca_desktop.sync.manifest import (
    INCARNATIONS,
    RECIPIENTS,
    SIGNATURE_DOMAIN,
    EntryInfo,
    Manifest,
    Sender,
    ranges_of,
    requirements,
)

_PROGRESS_EVERY = 2000


@dataclass(frozen=True)
class ExportResult:
    path: Path
    bundle_id: str
    kind: str
    sender_seq: int
    recipient_key_id: str | None  # several recipients: their key ids joined by ","
    recipient_name: str | None  # several: their names joined by ", "
    revisions: int
    blobs: int
    encrypted: bool
    size: int
    sha256: str


@dataclass
class _Selection:
    lines: list[bytes]
    seqs: dict[str, list[int]]
    blobs: list[str]
    state: bytes
    sender_seq: int
    clock: str
    signed: bool = False  # some lines carry an author signature
    fresh_signatures: list[tuple[str, str, str]] = field(default_factory=list)
    trust_list: bytes | None = None  # a coordinator's signed key list (`trust_list.py`)
    recovery: bytes | None = None  # this laptop's data key sealed to the recipient


def default_kind(role: str) -> str:
    return "coordinator_return" if role == "coordinator" else "field_export"


def _select(
    conn: Connection, kind: str, own_devices: tuple[str, ...], base: dict[str, int],
    blobs_dir: Path, keys: DeviceKeys,
) -> _Selection:  # fmt: skip
    # Officers hand over their own work (under every incarnation: what an earlier one
    # wrote before a backup may never have left) and any other revision its author signed:
    # a restored coordinator gets back from an officer what only the officer still holds.
    rows = sync_queries.revisions_to_export(
        conn,
        base,
        device_ids=own_devices if kind == "field_export" else None,
        record_types=state.REFERENCE_TYPES if kind == "reference_data" else None,
        relay_signed=kind == "field_export",
    )
    own = set(own_devices)
    lines: list[bytes] = []
    seqs: dict[str, list[int]] = {}
    blobs: set[str] = set()
    loads = json.loads
    own_schema = schema.current()
    signed = 0
    fresh: list[tuple[str, str, str]] = []  # own signatures made now: kept after the export
    for row in rows:
        rev_id, rid, rtype, parents, device, seq, hlc, author, deleted, body, version = row[:11]
        signer, signature = row[11], row[12]
        # A revision written before salted commitments and erased since travels erased:
        # its id no longer checks, and the record's erasure names it (format §17).
        body_value = loads(body)
        doc = {
            "rev_id": rev_id,
            "record_id": rid,
            "record_type": rtype,
            "parents": loads(parents),
            "device_id": device,
            "device_seq": seq,
            "hlc": hlc,
            "author": author,
            "deleted": bool(deleted),
            "body": body_value,
        }
        if version != own_schema:
            # Written under another schema (relayed, or from before an upgrade): the reader
            # upgrades it from that version. Not part of the revision's hash.
            doc["schema"] = version
        if signature is None and device in own:
            signer, signature = sign_revision(keys, rev_id)
            fresh.append((rev_id, signer, signature))
        if signature is not None:
            doc["sig"] = {"key": signer, "value": signature}
            signed += 1
        lines.append(canonical_json(doc).encode("utf-8") + b"\n")
        seqs.setdefault(device, []).append(seq)
        if rtype == "attachment" and not deleted:
            sha = body_value.get("sha256")
            if is_sha256(sha) and blob_path(blobs_dir, sha).is_file():
                blobs.add(sha)
    last_seq = sync_queries.last_sender_seq(conn)
    clock = device_queries.device_clock(conn) or "0000000000000.00000"
    return _Selection(
        lines, seqs, sorted(blobs), state.state_json(conn), last_seq + 1, clock, signed > 0,
        fresh,
    )  # fmt: skip


EXPORTED_OWN_SEQ = "exported_own_seq"


def _stored_sha(fp: BinaryIO, info: object) -> str:
    """SHA-256 of an entry's bytes as stored in the ZIP (read back from the temp file)."""
    offset = info.header_offset + 30 + len(info.filename.encode())  # type: ignore[attr-defined]
    left = info.compress_size  # type: ignore[attr-defined]
    digest = hashlib.sha256()
    here = fp.tell()
    fp.seek(offset)
    while left:
        block = fp.read(min(READ_CHUNK, left))
        digest.update(block)
        left -= len(block)
    fp.seek(here)
    return digest.hexdigest()


def _write_zip(
    fp: BinaryIO, sel: _Selection, blobs_dir: Path, manifest_of: Callable[[dict[str, EntryInfo]], Manifest],
    keys: DeviceKeys, tick: Callable[[int], None],
) -> Manifest:  # fmt: skip
    writer = container.BundleZipWriter(fp)
    try:
        return _fill_zip(writer, fp, sel, blobs_dir, manifest_of, keys, tick)
    except BaseException:
        writer.abort()
        raise


def _fill_zip(
    writer: container.BundleZipWriter, fp: BinaryIO, sel: _Selection, blobs_dir: Path,
    manifest_of: Callable[[dict[str, EntryInfo]], Manifest], keys: DeviceKeys,
    tick: Callable[[int], None],
) -> Manifest:  # fmt: skip
    content: dict[str, tuple[int, str]] = {}
    digest = hashlib.sha256()
    size = 0
    with writer.open(container.REVISIONS, compress=True) as out:
        for i, line in enumerate(sel.lines):
            out.write(line)
            digest.update(line)
            size += len(line)
            if i % _PROGRESS_EVERY == 0:
                tick(i)
    content[container.REVISIONS] = (size, digest.hexdigest())
    writer.add_bytes(container.STATE, sel.state, compress=True)
    content[container.STATE] = (len(sel.state), hashlib.sha256(sel.state).hexdigest())
    for name, extra in ((trust_list.ENTRY, sel.trust_list), (recovery_entry.ENTRY, sel.recovery)):
        if extra is not None:
            writer.add_bytes(name, extra, compress=True)
            content[name] = (len(extra), hashlib.sha256(extra).hexdigest())
    for n, sha in enumerate(sel.blobs):
        name = f"blobs/{sha}"
        blob_size = 0
        check = hashlib.sha256()
        with writer.open(name, compress=False) as out:
            for block in blob_chunks(blobs_dir, sha):  # decrypted when sealed at rest
                out.write(block)
                check.update(block)
                blob_size += len(block)
        if check.hexdigest() != sha:
            raise SyncError(
                tr("attachment {sha} is damaged in this laptop's blob store").format(sha=sha[:12])
            )
        content[name] = (blob_size, sha)
        tick(len(sel.lines) + n)
    writer.zip.fp.flush()  # type: ignore[union-attr]
    entries = {
        info.filename: EntryInfo(
            content[info.filename][0],
            content[info.filename][1],
            info.compress_size,
            _stored_sha(fp, info),
        )
        for info in writer.zip.infolist()
    }
    manifest = manifest_of(entries)
    data = manifest.to_bytes()
    writer.add_bytes(container.MANIFEST, data, compress=False)
    writer.add_bytes(container.SIGNATURE, keys.sign(SIGNATURE_DOMAIN + data), compress=False)
    writer.close()
    return manifest


class _HashingWriter:
    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self.raw.write(data)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(READ_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _base(conn: Connection, recipients: list[PublicKey]) -> dict[str, int]:
    """What every recipient is known to hold: per device, the lowest contiguous sequence
    number among their newest receipts. A recipient that never sent a receipt holds
    nothing, so a bundle for several coordinators is complete for the one furthest behind
    (importing what one already has changes nothing)."""
    if not recipients:
        return {}
    receipts = [state.receipt_from(conn, r.key_id) for r in recipients]
    common = set(receipts[0]).intersection(*receipts[1:])
    return {d: min(int(r[d]) for r in receipts) for d in common}


def export_bundle(
    app: CaDesktop,
    out: Path,
    recipient: PublicKey | Sequence[PublicKey] | None,
    full: bool = False,
    kind: str | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write a bundle for `recipient` (encrypted to it; a list: to each of them, e.g.
    every coordinator of an office) or, with None, a plain signed one.

    Cumulative: everything the recipient's newest receipt does not show it has (all of it
    with `full`). Raises SyncError, Cancelled or OSError; on any failure nothing is
    left under `out`'s name.
    """
    if is_practice(app.data_dir):
        raise SyncError(tr("this is practice data: it is never exported or imported"))
    info = app.device()
    if info is None:
        raise SyncError(tr("this laptop is not set up yet: run 'ca-desktop init'"))
    keys = ensure_keys(app.data_dir, info)  # a laptop set up before sync existed gets keys now
    kind = kind or default_kind(info.role)
    if kind != "field_export" and info.role != "coordinator":
        raise SyncError(
            tr("only a coordinator can write a {value} bundle").format(value=kind.replace("_", " "))
        )
    targets = _targets(recipient)
    blobs_dir = app.data_dir / "blobs"
    with app.db.engine.connect() as conn, conn.begin():
        # One read transaction: the revisions, the vector and the clock are one snapshot.
        base = {} if full else _base(conn, targets)
        sel = _select(conn, kind, info.own_devices, base, blobs_dir, keys)
        if kind != "field_export":
            # Versioned by a fresh reading of the clock: a later list always sorts later.
            issued = str(Clock(Timestamp.parse(sel.clock)).now())
            sel.trust_list = trust_list.build(conn, keys, issued)
    if kind == "field_export" and targets:  # encrypted only, never plain
        ids = [t.key_id for t in targets]
        sel.recovery = recovery_entry.build(app.data_dir, keys.key_id, ids)
    several = len(targets) > 1
    total = len(sel.lines) + len(sel.blobs)

    def tick(done: int) -> None:
        report(progress, done, total)

    tick(0)
    bundle_id = uuid7()

    def manifest_of(entries: dict[str, EntryInfo]) -> Manifest:
        return Manifest(
            bundle_id=bundle_id,
            kind=kind,
            sender=Sender(
                keys.key_id, info.device_id, info.user_name, info.role, info.programme_code
            ),
            recipient=targets[0].key_id if len(targets) == 1 else None,
            recipients=tuple(sorted(t.key_id for t in targets)) if several else (),
            sender_seq=sel.sender_seq,
            created_hlc=sel.clock,
            full=full,
            requires=(
                "revisions/1",
                "receipts/1",
                *(("blobs/1",) if sel.blobs else ()),
                *((INCARNATIONS,) if info.predecessors else ()),
                *((SIGNED,) if sel.signed else ()),
                *((trust_list.CAPABILITY,) if sel.trust_list is not None else ()),
                *((recovery_entry.CAPABILITY,) if sel.recovery is not None else ()),
                *((RECIPIENTS,) if several else ()),
                *requirements(),
            ),
            ranges=ranges_of(sel.seqs),
            revisions=len(sel.lines),
            blobs=len(sel.blobs),
            entries=entries,
            schema=schema.current(),
            predecessors=info.predecessors,
        )

    out = out.absolute()
    if out.is_dir():
        raise SyncError(
            tr("{out} is a folder; give a file name ending in .cabundle").format(out=out)
        )
    scratch = app.data_dir / "tmp"
    scratch.mkdir(exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial")
    tmp = Path(tmp_name)
    try:
        with tempfile.TemporaryFile(dir=scratch) as plain, os.fdopen(fd, "wb") as target:
            _write_zip(plain, sel, blobs_dir, manifest_of, keys, tick)  # type: ignore[arg-type]
            _self_check(plain, keys)  # type: ignore[arg-type]
            plain.seek(0)
            sink = _HashingWriter(target)  # type: ignore[arg-type]
            if targets:
                encrypt_stream(plain, sink, targets)  # type: ignore[arg-type]
            else:
                while block := plain.read(READ_CHUNK):
                    sink.write(block)
            target.flush()
            os.fsync(target.fileno())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sqlite.fsync_dir(out.parent)
    sha = sink.digest.hexdigest()
    if _file_sha256(out) != sha or out.stat().st_size != sink.size:
        out.unlink(missing_ok=True)
        raise SyncError(
            tr("{out} did not read back as written; the medium may be failing").format(out=out)
        )
    result = ExportResult(
        out, bundle_id, kind, sel.sender_seq, ",".join(t.key_id for t in targets) or None,
        ", ".join(t.user_name for t in targets) or None, len(sel.lines), len(sel.blobs),
        bool(targets), sink.size, sha,
    )  # fmt: skip
    _record(app, result, full, sel.fresh_signatures, max(sel.seqs.get(info.device_id) or [0]))
    if progress is not None:
        progress(total, total)
    return result


def _targets(recipient: PublicKey | Sequence[PublicKey] | None) -> list[PublicKey]:
    if recipient is None:
        return []
    if isinstance(recipient, PublicKey):
        return [recipient]
    distinct = {r.key_id: r for r in recipient}
    return [distinct[k] for k in sorted(distinct)]


def _self_check(plain: BinaryIO, keys: DeviceKeys) -> None:
    """Parse what we wrote with the importer's own checks, before it leaves the laptop."""
    from ca_desktop.sync.reader import check_entries

    check_entries(plain, keys.public("", "officer"))


def _record(
    app: CaDesktop,
    r: ExportResult,
    full: bool,
    signatures: list[tuple[str, str, str]],
    own_seq: int,
) -> None:
    with backend.write_transaction(app.db.engine) as conn:
        # Each own revision is signed once: the next bundle carrying it reuses this.
        sync_queries.save_signatures(conn, signatures)
        # This laptop's own changes up to `own_seq` are now on their way (`send_state`).
        exported = int(device_queries.meta_value(conn, EXPORTED_OWN_SEQ) or 0)
        if own_seq > exported:
            device_queries.set_meta_value(conn, EXPORTED_OWN_SEQ, str(own_seq))
        sync_queries.record_export(
            conn,
            {
                "bundle_id": r.bundle_id,
                "kind": r.kind,
                "sender_seq": r.sender_seq,
                "recipient_key_id": r.recipient_key_id,
                "recipient_name": r.recipient_name,
                "file_name": r.path.name,
                "file_sha256": r.sha256,
                "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "revisions": r.revisions,
                "blobs": r.blobs,
                "encrypted": r.encrypted,
                "full": full,
            },
        )
