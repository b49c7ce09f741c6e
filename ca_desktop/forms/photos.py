"""Photos of `image` fields: stored as attachments of the submission they belong to.

An image field's value is `{"filename", "sha256", "size"}`. The file goes into the blob
store first (`services/attachments.py`: hashed, fsynced, renamed), then the submission and
one `attachment` record per photo are written in one transaction, so a submission never
names a photo that is not there. A photo comes from outside (a file picked on screen, a
member of an ODK export's zip): it must be an image by its content, not only its name, and
no larger than `MAX_PHOTO_BYTES`; its name is cleaned and never used as a path.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ca_desktop.domain.attachment_names import clean_file_name
from ca_desktop.forms.model import FormDef
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.attachments import store_blob_bytes
from ca_desktop.store.revisions import Change

MAX_PHOTO_BYTES = 20 * 1024 * 1024  # a phone photo is a few MB; ODK's max-pixels keeps it so
_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
)


class NotAPhoto(ValueError):
    """The file is not an image, or too large (the message says which)."""


def image_type(data: bytes) -> str | None:
    """The image's media type from its first bytes, or None when it is not an image."""
    for magic, media in _MAGIC:
        if data.startswith(magic):
            return media
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"avif"):
        return "image/heic" if data[8:11] == b"hei" else "image/avif"
    return None


def check_photo(data: bytes) -> str:
    """The media type of the photo; NotAPhoto when it is not one or is too large."""
    if len(data) > MAX_PHOTO_BYTES:
        raise NotAPhoto(f"the photo is larger than {MAX_PHOTO_BYTES >> 20} MB")
    media = image_type(data)
    if media is None:
        raise NotAPhoto("the file is not a photo (JPEG, PNG, GIF, WebP, TIFF, BMP or HEIC)")
    return media


def store_photo(app: CaDesktop, name: str, data: bytes) -> dict[str, Any]:
    """Check and store a photo's bytes; the image field's value naming it."""
    check_photo(data)
    sha = hashlib.sha256(data).hexdigest()
    store_blob_bytes(app.data_dir / "blobs", data, sha)
    return {"filename": clean_file_name(name, "photo"), "sha256": sha, "size": len(data)}


def read_photo(path: Path) -> bytes:
    """A picked file's bytes, read no further than the limit (NotAPhoto beyond it)."""
    with path.open("rb") as fh:
        data = fh.read(MAX_PHOTO_BYTES + 1)
    check_photo(data)
    return data


def photo_changes(
    form: FormDef, values: Mapping[str, Any], record_id: str, lang: str, have: Iterable[str] = ()
) -> list[Change]:
    """An `attachment` write for each stored photo of the submission not attached yet."""
    known = set(have)
    out = []
    for f in form.fields():
        value = values.get(f.name)
        if f.type != "image" or not isinstance(value, dict) or not value.get("sha256"):
            continue
        sha = str(value["sha256"])
        if sha in known:
            continue
        known.add(sha)
        name = clean_file_name(value.get("filename"), "photo")
        body = {
            "sha256": sha,
            "filename": name,
            "media_type": mimetypes.guess_type(name)[0] or "image/jpeg",
            "size": int(value.get("size") or 0),
            "caption": f.label.get(lang)[:500],
            "record_type": "form_submission",
            "record_id": record_id,
        }
        out.append(Change("attachment", None, body))
    return out
