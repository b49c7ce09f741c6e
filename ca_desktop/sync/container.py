"""The ZIP container: written with `zipfile` in one canonical shape, read by our own parser.

`zipfile` trusts what it reads (duplicate names, overlapping entries, bombs, symlinks,
hidden data between entries), so reading never goes through it: `ZipLayout.parse` walks the
end record, the central directory and every local header itself and accepts only the exact
shape `BundleZipWriter` produces: entries back to back from offset 0, no extra fields, no
comments, fixed dates and attributes, stored or deflated. Together with the hashes of the
stored bytes in the signed manifest, every byte of a plain bundle is checked.
"""

from __future__ import annotations

import hashlib
import re
import stat
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from ca_desktop.domain.i18n import tr
from ca_desktop.sync.errors import BundleRejected
from ca_desktop.sync.limits import MAX_ENTRIES, MAX_RATIO, MAX_TOTAL_UNCOMPRESSED, READ_CHUNK

MANIFEST, SIGNATURE, REVISIONS, STATE = (
    "manifest.json",
    "manifest.sig",
    "revisions.jsonl",
    "state.json",
)
BLOB_NAME = re.compile(r"blobs/[0-9a-f]{64}")
FIXED_NAMES = (MANIFEST, SIGNATURE, REVISIONS, STATE)
TRUST_LIST = "trust.json"  # optional: a coordinator's signed key list (`trust_list.py`)
RECOVERY = "recovery.json"  # optional: the sender's data key sealed to the recipient
COMPRESS_LEVEL = 6

_DATE_TIME = (1980, 1, 1, 0, 0, 0)
_DOS_TIME, _DOS_DATE = 0, (1 << 5) | 1
_EXTERNAL_ATTR = (stat.S_IFREG | 0o644) << 16
_VERSION_MADE = (3 << 8) | 20  # made on Unix, ZIP 2.0
_VERSION_NEEDED = 20
_EOCD = struct.Struct("<4sHHHHIIH")
_CDIR = struct.Struct("<4sHHHHHHIIIHHHHHII")
_LOCAL = struct.Struct("<4sHHHHHIIIHH")


def allowed_name(name: str) -> bool:
    return (
        name in FIXED_NAMES
        or name in (TRUST_LIST, RECOVERY)
        or BLOB_NAME.fullmatch(name) is not None
    )


class BundleZipWriter:
    """Writes entries in the canonical shape (see module docstring)."""

    def __init__(self, fileobj: BinaryIO) -> None:
        self.zip = zipfile.ZipFile(fileobj, "w", allowZip64=False)

    @staticmethod
    def _info(name: str, compress: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=_DATE_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = _EXTERNAL_ATTR
        info.create_system = 3
        # zlib level 6: bundles travel by email; the attribute was renamed in Python 3.13.
        for attr in ("_compresslevel", "compress_level"):
            if attr in zipfile.ZipInfo.__slots__:
                setattr(info, attr, COMPRESS_LEVEL if compress else None)
        return info

    def add_bytes(self, name: str, data: bytes, compress: bool) -> None:
        self.zip.writestr(self._info(name, compress), data)

    def open(self, name: str, compress: bool) -> BinaryIO:
        """A writable stream for one entry (close it before the next)."""
        return self.zip.open(self._info(name, compress), "w")  # type: ignore[return-value]

    def close(self) -> None:
        self.zip.close()

    def abort(self) -> None:
        """Forget the half-written archive (its file is discarded by the caller)."""
        self.zip.fp = None


@dataclass(frozen=True)
class Entry:
    name: str
    method: int  # 0 stored, 8 deflated
    crc: int
    stored_size: int
    size: int
    data_offset: int


def _check_name(name: str, external_attr: int) -> None:
    mode = external_attr >> 16
    shown = name[:60]
    if stat.S_ISLNK(mode):
        raise BundleRejected(tr("entry {shown!r} is a symbolic link").format(shown=shown))
    if stat.S_ISDIR(mode) or name.endswith("/"):
        raise BundleRejected(tr("entry {shown!r} is a directory").format(shown=shown))
    if "\\" in name:
        raise BundleRejected(tr("entry name {shown!r} contains a backslash").format(shown=shown))
    if name.startswith("/"):
        raise BundleRejected(tr("entry name {shown!r} is an absolute path").format(shown=shown))
    if re.match(r"[A-Za-z]:", name):
        raise BundleRejected(
            tr("entry name {shown!r} starts with a drive letter").format(shown=shown)
        )
    if ".." in name.split("/"):
        raise BundleRejected(
            tr("entry name {shown!r} climbs out of the bundle with '..'").format(shown=shown)
        )
    if "\x00" in name or any(unicodedata.category(c) == "Cc" for c in name):
        raise BundleRejected(
            tr("entry name {shown!r} contains control characters").format(shown=shown)
        )


class ZipLayout:
    """A parsed and checked bundle ZIP; entries by name."""

    def __init__(self, fileobj: BinaryIO, entries: dict[str, Entry]) -> None:
        self.file = fileobj
        self.entries = entries

    @classmethod
    def parse(cls, fileobj: BinaryIO) -> ZipLayout:
        fileobj.seek(0, 2)
        size = fileobj.tell()
        if size == 0:
            raise BundleRejected(tr("the file is empty"))
        if size < _EOCD.size:
            raise BundleRejected(tr("not a CA Desktop bundle (too short)"))
        fileobj.seek(0)
        if fileobj.read(4) != b"PK\x03\x04":
            raise BundleRejected(tr("not a CA Desktop bundle (not a ZIP file)"))
        fileobj.seek(size - _EOCD.size)
        sig, disk, cd_disk, n_disk, n_total, cd_size, cd_offset, comment = _EOCD.unpack(
            fileobj.read(_EOCD.size)
        )
        if sig != b"PK\x05\x06" or disk or cd_disk or n_disk != n_total or comment:
            raise BundleRejected(tr("the bundle is truncated or damaged (ZIP end record)"))
        if cd_offset + cd_size + _EOCD.size != size:
            raise BundleRejected(tr("the bundle is truncated or damaged (ZIP directory)"))
        if n_total > MAX_ENTRIES or cd_size > n_total * (_CDIR.size + 200):
            raise BundleRejected(tr("the bundle has too many entries"))
        fileobj.seek(cd_offset)
        cdir = fileobj.read(cd_size)
        entries, raw = cls._central(cdir, n_total)
        cls._check_names(list(entries))
        cls._check_locals(fileobj, entries, raw, cd_offset)
        return cls(fileobj, entries)

    @staticmethod
    def _central(cdir: bytes, count: int) -> tuple[dict[str, Entry], dict[str, tuple[int, ...]]]:
        entries: dict[str, Entry] = {}
        raw: dict[str, tuple[int, ...]] = {}
        pos = 0
        for _ in range(count):
            if pos + _CDIR.size > len(cdir):
                raise BundleRejected(tr("the bundle is damaged (ZIP directory too short)"))
            fields = _CDIR.unpack_from(cdir, pos)
            (sig, made, needed, flags, method, mtime, mdate, crc, csize, usize,
             nlen, xlen, clen, disk, iattr, eattr, offset) = fields  # fmt: skip
            if sig != b"PK\x01\x02":
                raise BundleRejected(tr("the bundle is damaged (ZIP directory entry)"))
            name_bytes = cdir[pos + _CDIR.size : pos + _CDIR.size + nlen]
            pos += _CDIR.size + nlen + xlen + clen
            try:
                name = name_bytes.decode("utf-8" if flags & 0x800 else "ascii")
            except UnicodeDecodeError:
                raise BundleRejected(tr("an entry name is not valid text")) from None
            _check_name(name, eattr)
            if name in entries:
                raise BundleRejected(tr("entry {name!r} appears twice").format(name=name[:60]))
            # The UTF-8 flag is tolerated here so that non-ASCII names reach the collision
            # and allow-list checks, which give the clearer reason.
            shape = (made, needed, flags & ~0x800, mtime, mdate, xlen, clen, disk, iattr, eattr)
            if shape != (_VERSION_MADE, _VERSION_NEEDED, 0, _DOS_TIME, _DOS_DATE, 0, 0, 0, 0,
                         _EXTERNAL_ATTR) or method not in (0, 8):  # fmt: skip
                raise BundleRejected(
                    tr("entry {name!r} is not in the bundle's ZIP format").format(name=name[:60])
                )
            if method == 0 and csize != usize:
                raise BundleRejected(
                    tr("entry {name!r} has inconsistent sizes").format(name=name[:60])
                )
            entries[name] = Entry(name, method, crc, csize, usize, offset)
            raw[name] = (method, crc, csize, usize, nlen, offset, flags)
        if pos != len(cdir):
            raise BundleRejected(tr("the bundle is damaged (ZIP directory length)"))
        return entries, raw

    @staticmethod
    def _check_names(names: list[str]) -> None:
        seen: dict[str, str] = {}
        for name in names:
            folded = unicodedata.normalize("NFC", name).casefold()
            if folded in seen:
                raise BundleRejected(
                    tr(
                        "entries {value!r} and {name!r} differ only by case or Unicode normalisation"
                    ).format(value=seen[folded][:40], name=name[:40])
                )
            seen[folded] = name
        for name in names:
            if not allowed_name(name):
                raise BundleRejected(
                    tr("entry {name!r} is not allowed in a bundle").format(name=name[:60])
                )

    @staticmethod
    def _check_locals(
        fileobj: BinaryIO, entries: dict[str, Entry], raw: dict[str, tuple[int, ...]], end: int
    ) -> None:
        total = 0
        expected_offset = 0
        for name in sorted(entries, key=lambda n: entries[n].data_offset):
            method, crc, csize, usize, nlen, offset, flags = raw[name]
            if offset != expected_offset:
                raise BundleRejected(tr("the bundle is damaged (entries overlap or hide data)"))
            fileobj.seek(offset)
            header = fileobj.read(_LOCAL.size + nlen)
            if len(header) != _LOCAL.size + nlen:
                raise BundleRejected(tr("the bundle is truncated (ZIP entry header)"))
            fields = _LOCAL.unpack_from(header)
            expect = (b"PK\x03\x04", _VERSION_NEEDED, flags, method, _DOS_TIME, _DOS_DATE, crc,
                      csize, usize, nlen, 0)  # fmt: skip
            if fields != expect or header[_LOCAL.size :] != name.encode("utf-8"):
                raise BundleRejected(
                    tr("entry {name!r} has a damaged local header").format(name=name[:60])
                )
            if usize > max(csize * MAX_RATIO, 1 << 16):
                raise BundleRejected(
                    tr("entry {name!r} expands too much (a zip bomb?)").format(name=name[:60])
                )
            total += usize
            if total > MAX_TOTAL_UNCOMPRESSED:
                raise BundleRejected(tr("the bundle expands to more than the allowed total size"))
            data = offset + _LOCAL.size + nlen
            entries[name] = Entry(name, method, crc, csize, usize, data)
            expected_offset = data + csize
        if expected_offset != end:
            raise BundleRejected(tr("the bundle is damaged (data between entries and directory)"))

    def stream(self, name: str, limit: int) -> EntryStream:
        """Decompressed content of one entry, in chunks, with sizes bounded while reading."""
        return EntryStream(self.file, self.entries[name], limit)


class EntryStream:
    """Iterate to get chunks; afterwards `sha256`, `stored_sha256` and `size` are final.

    Stops with BundleRejected as soon as the output exceeds the declared size or `limit`,
    so a bomb never expands further than one chunk past what its header admits.
    """

    def __init__(self, fileobj: BinaryIO, entry: Entry, limit: int) -> None:
        self.file, self.entry, self.limit = fileobj, entry, limit
        self.sha256 = ""
        self.stored_sha256 = ""
        self.size = 0

    def __iter__(self) -> Iterator[bytes]:
        e = self.entry
        if e.size > self.limit:
            raise BundleRejected(
                tr("entry {name!r} is larger than {limit} bytes").format(
                    name=e.name, limit=self.limit
                )
            )
        content, stored = hashlib.sha256(), hashlib.sha256()
        inflater = zlib.decompressobj(-15) if e.method == 8 else None
        crc, size, left, pos = 0, 0, e.stored_size, e.data_offset
        cap = min(e.size, self.limit)
        while left or (inflater is not None and inflater.unconsumed_tail):
            if inflater is not None and inflater.unconsumed_tail:
                block = inflater.unconsumed_tail
                out = inflater.decompress(block, READ_CHUNK)
            else:
                self.file.seek(pos)
                block = self.file.read(min(READ_CHUNK, left))
                if not block:
                    raise BundleRejected(tr("entry {name!r} is truncated").format(name=e.name))
                pos += len(block)
                left -= len(block)
                stored.update(block)
                try:
                    out = inflater.decompress(block, READ_CHUNK) if inflater else block
                except zlib.error:
                    raise BundleRejected(
                        tr("entry {name!r} is damaged (bad compressed data)").format(name=e.name)
                    ) from None
            size += len(out)
            if size > cap:
                raise BundleRejected(
                    tr("entry {name!r} expands beyond its declared size").format(name=e.name)
                )
            if out:
                crc = zlib.crc32(out, crc)
                content.update(out)
                yield out
        if inflater is not None and (not inflater.eof or inflater.unused_data):
            raise BundleRejected(
                tr("entry {name!r} is damaged (compressed data ends badly)").format(name=e.name)
            )
        if size != e.size or crc != e.crc:
            raise BundleRejected(
                tr("entry {name!r} is damaged (size or checksum mismatch)").format(name=e.name)
            )
        self.sha256, self.stored_sha256, self.size = content.hexdigest(), stored.hexdigest(), size

    def read_all(self) -> bytes:
        return b"".join(self)
