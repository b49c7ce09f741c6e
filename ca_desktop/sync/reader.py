"""Reading a bundle file: decrypt, parse the ZIP, check the signed manifest and each entry.

Nothing here touches the database; `verify.py` adds the checks that need it.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.records import RECORD_SPECS
from ca_desktop.domain.revision import Revision
from ca_desktop.sync import strict_json
from ca_desktop.sync.authorship import parse_sig
from ca_desktop.sync.body_shape import body_problem
from ca_desktop.sync.container import MANIFEST, REVISIONS, SIGNATURE, STATE, ZipLayout
from ca_desktop.sync.envelope import (
    MAGIC,
    MAGIC_MULTI,
    check_recipient,
    decrypt_stream,
    read_header,
    recipients_of,
)
from ca_desktop.sync.errors import BundleRejected
from ca_desktop.sync.keys import DeviceKeys, PublicKey
from ca_desktop.sync.limits import (
    MAX_BLOB_BYTES,
    MAX_BUNDLE_BYTES,
    MAX_LINE_BYTES,
    MAX_MANIFEST_BYTES,
    MAX_REVISIONS,
    MAX_REVISIONS_BYTES,
    MAX_STATE_BYTES,
    READ_CHUNK,
)
from ca_desktop.sync.manifest import SIGNATURE_DOMAIN, Manifest, parse_manifest

_HEX64 = re.compile(r"[0-9a-f]{64}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TYPE_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
_HLC = re.compile(r"[0-9]{13}\.[0-9]{5}")  # the format of domain.hlc.Timestamp


class _Hashing:
    """Reads through a file while hashing every byte (the file's id in the ledger)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        self.digest.update(data)
        return data


class OpenBundle:
    """A bundle file opened for checking: plaintext ZIP layout, manifest and signature.

    Use as a context manager; an encrypted bundle is decrypted into an anonymous
    temporary file in the data folder that disappears on close (or on a crash).
    """

    def __init__(self, path: Path, keys: DeviceKeys | None, scratch: Path) -> None:
        self.path = path
        self.keys = keys
        self.scratch = scratch
        self.encrypted = False
        self.envelope_recipients: list[str] = []  # key ids the envelope names
        self.file_sha256 = ""
        self._fp: BinaryIO | None = None

    def __enter__(self) -> OpenBundle:
        try:
            self._open()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._fp is not None:
            self._fp.close()
            self._fp = None

    def _open(self) -> None:
        size = self.path.stat().st_size
        if size == 0:
            raise BundleRejected(tr("the file is empty"))
        if size > MAX_BUNDLE_BYTES + 4096:
            raise BundleRejected(
                tr("the file is larger than a bundle may be ({size} bytes)").format(size=size)
            )
        with self.path.open("rb") as src:
            head = src.read(len(MAGIC))
            src.seek(0)
            hashing = _Hashing(src)
            if head in (MAGIC, MAGIC_MULTI):
                if self.keys is None:
                    raise BundleRejected(tr("the bundle is encrypted and this laptop has no keys"))
                header = read_header(src)[0]
                check_recipient(header, self.keys)  # before creating anything
                self.envelope_recipients = recipients_of(header)
                src.seek(0)
                self.scratch.mkdir(parents=True, exist_ok=True)
                # Owned by this object and closed in close(); gone from disk once closed.
                self._fp = tempfile.TemporaryFile(dir=self.scratch)  # type: ignore[assignment]  # noqa: SIM115
                decrypt_stream(hashing, self._fp, self.keys)  # type: ignore[arg-type]
                self.encrypted = True
            elif head.startswith(b"PK\x03\x04"):
                while hashing.read(READ_CHUNK):
                    pass
                self._fp = self.path.open("rb")
            else:
                raise BundleRejected(tr("not a CA Desktop bundle"))
            self.file_sha256 = hashing.digest.hexdigest()
        self._parse()

    def _parse(self) -> None:
        assert self._fp is not None
        self.layout = ZipLayout.parse(self._fp)
        for name in (MANIFEST, SIGNATURE):
            if name not in self.layout.entries:
                raise BundleRejected(tr("entry {name} is missing").format(name=name))
        self.manifest_bytes = self.layout.stream(MANIFEST, MAX_MANIFEST_BYTES).read_all()
        self.signature = self.layout.stream(SIGNATURE, 64).read_all()
        self.manifest: Manifest = parse_manifest(self.manifest_bytes)

    def verify_signature(self, signer: PublicKey) -> None:
        if len(self.signature) != 64 or not signer.verify(
            self.signature, SIGNATURE_DOMAIN + self.manifest_bytes
        ):
            raise BundleRejected(
                tr("the signature does not match the manifest (altered bundle or moved signature)")
            )

    def check_listed(self) -> None:
        """The ZIP holds exactly the manifest, its signature and the listed entries."""
        listed = set(self.manifest.entries)
        present = set(self.layout.entries) - {MANIFEST, SIGNATURE}
        for name in sorted(listed - present):
            raise BundleRejected(
                tr("entry {name} is listed in the manifest but missing").format(name=name[:60])
            )
        for name in sorted(present - listed):
            raise BundleRejected(
                tr("entry {name} is not listed in the manifest").format(name=name[:60])
            )
        for name in (REVISIONS, STATE):
            if name not in listed:
                raise BundleRejected(tr("entry {name} is missing").format(name=name))
        blobs = [n for n in listed if n.startswith("blobs/")]
        if len(blobs) != self.manifest.blobs:
            raise BundleRejected(tr("the manifest's blob count does not match its entries"))
        for name, info in self.manifest.entries.items():
            entry = self.layout.entries[name]
            if (info.size, info.stored_size) != (entry.size, entry.stored_size):
                raise BundleRejected(
                    tr("entry {name}: size does not match the manifest").format(name=name[:60])
                )
            if name.startswith("blobs/") and name[6:] != info.sha256:
                raise BundleRejected(
                    tr("entry {name}: name does not match its hash").format(name=name[:60])
                )

    def chunks(self, name: str, limit: int) -> Iterator[bytes]:
        """An entry's content; the hashes are compared with the manifest at the end."""
        stream = self.layout.stream(name, limit)
        yield from stream
        info = self.manifest.entries[name]
        if stream.sha256 != info.sha256 or stream.stored_sha256 != info.stored_sha256:
            raise BundleRejected(
                tr("entry {name}: SHA-256 does not match the manifest").format(name=name[:60])
            )

    def read_state(self) -> object:
        return strict_json.loads(
            b"".join(self.chunks(STATE, MAX_STATE_BYTES)), "state.json", MAX_STATE_BYTES
        )

    def check_blob(self, name: str) -> None:
        for _ in self.chunks(name, MAX_BLOB_BYTES):
            pass

    def blob_bytes(self, name: str) -> bytes:
        return b"".join(self.chunks(name, MAX_BLOB_BYTES))

    def revisions(self) -> Iterator[Revision]:
        """Every line parsed strictly and every revision id recomputed."""
        own_schema = self.manifest.schema  # what a revision was written under, unless it says
        buffer = b""
        line_no = 0
        for block in self.chunks(REVISIONS, MAX_REVISIONS_BYTES):
            buffer += block
            *lines, buffer = buffer.split(b"\n")
            if len(buffer) > MAX_LINE_BYTES:
                raise BundleRejected(
                    tr("revisions.jsonl line {value}: longer than {MAX_LINE_BYTES} bytes").format(
                        value=line_no + len(lines) + 1, MAX_LINE_BYTES=MAX_LINE_BYTES
                    )
                )
            for line in lines:
                line_no += 1
                if line_no > MAX_REVISIONS:
                    raise BundleRejected(tr("revisions.jsonl has too many lines"))
                rev = parse_revision_line(line, line_no)
                if not rev.schema_version:
                    # Just parsed, not shared yet: set in place (a copy per revision costs).
                    object.__setattr__(rev, "schema_version", own_schema)
                yield rev
        if buffer:
            raise BundleRejected(tr("revisions.jsonl does not end with a line break (truncated?)"))


def parse_revision_line(line: bytes, line_no: int) -> Revision:
    where = f"revisions.jsonl line {line_no}"
    if len(line) > MAX_LINE_BYTES:
        raise BundleRejected(
            tr("{where}: longer than {MAX_LINE_BYTES} bytes").format(
                where=where, MAX_LINE_BYTES=MAX_LINE_BYTES
            )
        )
    # No depth walk here: `revision_problem` accepts only flat shapes, which bounds depth.
    doc = strict_json.loads(line, where, MAX_LINE_BYTES, max_depth=None)
    if not isinstance(doc, dict):
        raise BundleRejected(tr("{where}: not a revision").format(where=where))
    # A revision written under another schema than the bundle's says so (not hashed).
    version = doc.pop("schema", None)
    if version is not None and (type(version) is not int or not 0 < version < 10**6):
        raise BundleRejected(tr("{where}: bad schema version").format(where=where))
    # The author's signature (not hashed either): checked against its key by the importer.
    sig = doc.pop("sig", None)
    signed = parse_sig(sig, where) if sig is not None else None
    try:
        rev = Revision.from_json_dict(doc, erased_unsalted=True)  # vouched for in apply.py
    except ValueError as exc:
        raise BundleRejected(f"{where}: {exc}") from None
    problem = revision_problem(rev)
    if problem:
        raise BundleRejected(f"{where}: {problem}")
    if version:
        object.__setattr__(rev, "schema_version", version)
    if signed is not None:
        object.__setattr__(rev, "signed", signed)
    return rev


def revision_problem(rev: Revision) -> str | None:
    """What is wrong with a revision whose id matched its content (None when fine)."""
    # Regular expressions rather than uuid.UUID / Timestamp.parse: this runs per revision.
    if not (_UUID.fullmatch(rev.record_id) and _UUID.fullmatch(rev.device_id)):
        return tr("record or device id is not a UUID")
    if rev.record_type not in RECORD_SPECS and not _TYPE_NAME.fullmatch(rev.record_type):
        # An undeclared but well-named type came from a newer version: kept, carried on.
        return tr("unknown record type {record_type!r}").format(record_type=rev.record_type[:40])
    if rev.device_seq < 1 or len(rev.author) > 200:
        return tr("bad sequence number or author")
    if not _HLC.fullmatch(rev.hlc):
        return tr("bad clock timestamp")
    if any(not _HEX64.fullmatch(p) for p in rev.parents) or rev.rev_id in rev.parents:
        return tr("bad parent ids")
    if rev.deleted and not rev.body:
        return None
    problem = body_problem(rev.record_type, dict(rev.body))
    if problem is None:
        return None
    return tr("malformed {record_type} body ({problem})").format(
        record_type=rev.record_type, problem=problem
    )


def check_entries(fp: BinaryIO, signer: PublicKey) -> None:
    """Structure, signature and hashes of a plaintext bundle we just wrote (export check)."""
    bundle = OpenBundle(Path("."), None, Path("."))
    bundle._fp = fp
    bundle._parse()
    bundle.verify_signature(signer)
    bundle.check_listed()
    for name in bundle.manifest.entries:
        for _ in bundle.chunks(name, MAX_BUNDLE_BYTES):
            pass
