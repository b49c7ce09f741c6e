"""Attachment hashes and file names as they come from other laptops: checked before use.

An attachment record names its blob by SHA-256 and carries the file name it was added
under. Both travel in bundles, so both are hostile: a "hash" of `../keys/device-keys.json`
once became a path, and a name such as `photo\u202egpj.exe` shows as `photoexe.jpg`. A
path is built only from a hash that is exactly 64 lowercase hex digits; a name is cleaned
before it is shown, used for a copy, or handed to the system to open.
"""

from __future__ import annotations

import re
import unicodedata

_SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_NAME = 120  # characters; long enough for a real name, short enough for every file system
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"}  # controls, bidi overrides, ...
_FORBIDDEN = set('/\\:*?"<>|')  # separators and characters Windows refuses in names
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}  # fmt: skip

# Opened directly with the system's viewer: images, PDFs and office documents (macro-free
# formats only). Everything else, programs and scripts above all, is never opened: the
# user may save a copy, with a warning.
OPENS_DIRECTLY = frozenset(
    {
        ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".heic",
        ".pdf",
        ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf",
        ".txt", ".csv",
    }
)  # fmt: skip


def is_sha256(text: object) -> bool:
    """64 lowercase hex digits: the only form of hash a path may be built from."""
    return isinstance(text, str) and _SHA256.fullmatch(text) is not None


def clean_file_name(name: object, fallback: str = "attachment") -> str:
    """`name` safe as one file name on any system, and showing what it is.

    Path separators and characters Windows forbids become `_`; control, bidirectional and
    other invisible characters are dropped (they can disguise the extension); leading
    dots and trailing dots or spaces go; the stem is shortened so the whole fits
    `MAX_NAME`, keeping the extension. Reserved device names get a `_` in front.
    """
    text = unicodedata.normalize("NFC", name if isinstance(name, str) else "")
    out = []
    for ch in text:
        if unicodedata.category(ch) in _INVISIBLE:
            continue
        out.append("_" if ch in _FORBIDDEN else ch)
    cleaned = "".join(out).strip().lstrip(".").rstrip(". ")
    if not cleaned:
        return fallback
    stem, dot, ext = cleaned.rpartition(".")
    if not dot or not stem or len(ext) > 16:
        stem, ext = cleaned, ""
    suffix = f".{ext}" if ext else ""
    stem = stem[: max(1, MAX_NAME - len(suffix))].rstrip(". ") or fallback
    if stem.split(".")[0].lower() in _RESERVED:
        stem = "_" + stem
    return stem + suffix


def opens_directly(file_name: str) -> bool:
    """Whether a (cleaned) file name is of a type the app hands to the system viewer."""
    _, dot, ext = file_name.rpartition(".")
    return bool(dot) and f".{ext.lower()}" in OPENS_DIRECTLY
