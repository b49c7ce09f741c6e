"""Attachment files, stored once by SHA-256 under the data folder's `blobs/`.

The file is copied in (streamed, hashed, fsynced, renamed) before its attachment record is
written, so a record never points at a missing or half-written blob. Hashes and file names
arrive from other laptops: a path is built only by `blob_path`, from a checked hash, and a
name only through `clean_file_name` (`domain/attachment_names.py`). In an encrypted folder
the stored bytes are sealed (`sealed_stream.py`, a key derived from the data key); the
SHA-256 is always that of the original file, so bundles and ids do not change. Plain copies
for the system viewer live in the data folder's view folders (`scratch.py`), removed when
the app closes (`remove_opened_copies`).
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ca_desktop.domain.attachment_names import clean_file_name, is_sha256
from ca_desktop.services import at_rest
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.scratch import clean_views, scratch_root, view_folder
from ca_desktop.services.sealed_stream import is_sealed_stream, read_sealed, write_sealed
from ca_desktop.services.views import RecordView
from ca_desktop.store.sqlite import fsync_dir

MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


class BadAttachmentHash(ValueError):
    """An attachment hash that is not 64 lowercase hex digits: never used as a path."""


def blob_path(blobs: Path, sha256: str) -> Path:
    """Where the blob with this hash lives; the one place a blob path is built."""
    if not is_sha256(sha256):
        raise BadAttachmentHash(f"not an attachment hash: {str(sha256)[:70]!r}")
    return blobs / sha256[:2] / sha256


def store_blob(blobs: Path, source: Path) -> tuple[str, int]:
    """Copy `source` into the blob store; returns (sha256, size). Idempotent."""
    blobs.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=blobs, prefix=".incoming-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:

            def chunks() -> Iterator[bytes]:
                nonlocal size
                while chunk := src.read(1 << 20):
                    size += len(chunk)
                    if size > MAX_ATTACHMENT_BYTES:
                        raise ValueError(
                            f"{source.name} is larger than {MAX_ATTACHMENT_BYTES >> 20} MB"
                        )
                    digest.update(chunk)
                    yield chunk

            _write(blobs, chunks(), out)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        final = blob_path(blobs, sha)
        if final.exists():
            tmp.unlink()
        else:
            final.parent.mkdir(exist_ok=True, mode=0o700)
            os.replace(tmp, final)
            fsync_dir(final.parent)
        return sha, size
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def store_blob_bytes(blobs: Path, data: bytes, expected_sha256: str) -> None:
    """Write a blob received from elsewhere; refuses content that does not match its hash."""
    final = blob_path(blobs, expected_sha256)
    if hashlib.sha256(data).hexdigest() != expected_sha256:
        raise ValueError("attachment content does not match its SHA-256")
    if final.exists():
        return
    final.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp_name = tempfile.mkstemp(dir=final.parent, prefix=".incoming-")
    with os.fdopen(fd, "wb") as out:
        _write(final.parent.parent, [data], out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp_name, final)


def attach_file(
    app: CaDesktop, record_type: str, record_id: str, source: Path, caption: str | None = None
) -> RecordView:
    """Store a file and link it to a record."""
    sha, size = store_blob(app.data_dir / "blobs", source)
    media_type = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
    return app.save(
        "attachment",
        {
            "sha256": sha,
            "filename": clean_file_name(source.name),
            "media_type": media_type,
            "size": size,
            "caption": caption,
            "record_type": record_type,
            "record_id": record_id,
        },
    )


def attachments_of(app: CaDesktop, record_id: str) -> list[RecordView]:
    return app.list_records("attachment", where={"record_id": record_id}, order_by="filename")


def open_blob(app: CaDesktop, sha256: str) -> Path:
    """A readable file with the attachment's content (for a viewer or a thumbnail).

    A sealed blob is decrypted into a view folder inside the data folder, removed when the
    data folder is closed (`scratch.py`).
    """
    path = blob_path(app.data_dir / "blobs", sha256)
    if not path.exists():
        raise FileNotFoundError(path)
    with path.open("rb") as src:
        if not is_sealed_stream(src):
            return path
    copy = view_folder(app.data_dir) / sha256
    export_blob(app, sha256, copy)
    return copy


def blob_chunks(blobs: Path, sha256: str) -> Iterator[bytes]:
    """The attachment's original bytes, in chunks (decrypted when sealed)."""
    with blob_path(blobs, sha256).open("rb") as src:
        if not is_sealed_stream(src):
            while block := src.read(1 << 20):
                yield block
            return
        key = at_rest.file_key(blobs.parent, "attachment")
        if key is None:
            raise at_rest.SealedFileError("a sealed attachment in a folder without a key")
        yield from read_sealed(src, key)


def export_blob(app: CaDesktop, sha256: str, target: Path) -> None:
    source = blob_path(app.data_dir / "blobs", sha256)  # a bad hash is refused before any write
    if not source.exists():
        raise FileNotFoundError(source)
    with open(target, "wb") as out:
        for block in blob_chunks(app.data_dir / "blobs", sha256):
            out.write(block)


def opened_copies_dir(app: CaDesktop) -> Path:
    """Where plain copies for the viewer go (each in its own view folder)."""
    return scratch_root(app.data_dir)


def copy_for_opening(app: CaDesktop, sha256: str, filename: str) -> Path:
    """A plain copy under its cleaned name, for the system viewer (which picks the program
    by the name's extension, so the caller checks `opens_directly` on the same name).

    Each copy gets its own folder, so two attachments of the same name never clash; all of
    them go with `remove_opened_copies`.
    """
    target = view_folder(app.data_dir) / clean_file_name(filename)
    export_blob(app, sha256, target)
    return target


def remove_opened_copies(app: CaDesktop) -> None:
    """Delete every copy made for the viewer (at close, and at start for a crash's)."""
    clean_views(app.data_dir)


def _write(blobs: Path, chunks: Iterable[bytes], out: BinaryIO) -> None:
    """Write a blob's bytes as this folder keeps them: sealed when it is encrypted."""
    key = at_rest.file_key(blobs.parent, "attachment")
    if key is None:
        for chunk in chunks:
            out.write(chunk)
    else:
        write_sealed(chunks, out, key)
