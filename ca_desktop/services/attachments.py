"""Attachment files, stored once by SHA-256 under the data folder's `blobs/`.

The file is copied in (streamed, hashed, fsynced, renamed) before its attachment record is
written, so a record never points at a missing or half-written blob. Hashes and file names
arrive from other laptops: a path is built only by `blob_path`, from a checked hash, and a
name only through `clean_file_name` (`domain/attachment_names.py`). Copies made for the
system viewer live in one folder removed when the app closes (`remove_opened_copies`).
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import tempfile
from pathlib import Path

from ca_desktop.domain.attachment_names import clean_file_name, is_sha256
from ca_desktop.services.app import CaDesktop
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
    blobs.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp_name = tempfile.mkstemp(dir=blobs, prefix=".incoming-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            while chunk := src.read(1 << 20):
                size += len(chunk)
                if size > MAX_ATTACHMENT_BYTES:
                    raise ValueError(
                        f"{source.name} is larger than {MAX_ATTACHMENT_BYTES >> 20} MB"
                    )
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        final = blob_path(blobs, sha)
        if final.exists():
            tmp.unlink()
        else:
            final.parent.mkdir(exist_ok=True)
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
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=final.parent, prefix=".incoming-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
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
    path = blob_path(app.data_dir / "blobs", sha256)
    if not path.exists():
        raise FileNotFoundError(path)
    return path


def export_blob(app: CaDesktop, sha256: str, target: Path) -> None:
    shutil.copyfile(open_blob(app, sha256), target)


def opened_copies_dir(app: CaDesktop) -> Path:
    return app.data_dir / "tmp" / "opened"


def copy_for_opening(app: CaDesktop, sha256: str, filename: str) -> Path:
    """A plain copy under its cleaned name, for the system viewer (which picks the program
    by the name's extension, so the caller checks `opens_directly` on the same name).

    Each copy gets its own folder, so two attachments of the same name never clash; all of
    them go with `remove_opened_copies`.
    """
    source = open_blob(app, sha256)
    root = opened_copies_dir(app)
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = Path(tempfile.mkdtemp(dir=root)) / clean_file_name(filename)
    shutil.copyfile(source, target)
    return target


def remove_opened_copies(app: CaDesktop) -> None:
    """Delete every copy made for the viewer (at close, and at start for a crash's)."""
    shutil.rmtree(opened_copies_dir(app), ignore_errors=True)
