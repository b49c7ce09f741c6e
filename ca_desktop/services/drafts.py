"""Drafts: what an editor holds but has not saved yet, kept so a crash loses nothing.

An editor calls `save_draft` every few seconds while the user types, `discard_draft` after
a successful save or an explicit "discard", and `load_draft` when it opens, to offer the
draft back. A draft is one JSON file under `data_dir/drafts/`, written atomically (temp file,
fsync, rename), so a draft is either the previous one or the new one, never half of each.

Keys are chosen by the editor, e.g. ``"activity:<record id>"`` or ``"activity:new"``; any
string works, it is encoded into a safe file name.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ca_desktop.services import at_rest
from ca_desktop.services.app import CaDesktop
from ca_desktop.store.sqlite import fsync_dir

DRAFTS_DIR = "drafts"
_SUFFIX = ".json"


@dataclass(frozen=True)
class DraftInfo:
    key: str
    saved_at: str  # ISO 8601 UTC, seconds
    path: Path


def drafts_dir(app: CaDesktop) -> Path:
    return app.data_dir / DRAFTS_DIR


def _file_for(app: CaDesktop, key: str) -> Path:
    if not key:
        raise ValueError("a draft needs a key")
    # urlsafe base64 keeps any key (ids, colons, slashes) a valid, reversible file name.
    name = base64.urlsafe_b64encode(key.encode("utf-8")).decode("ascii").rstrip("=")
    return drafts_dir(app) / f"{name}{_SUFFIX}"


def _key_from(path: Path) -> str | None:
    stem = path.name[: -len(_SUFFIX)]
    try:
        return base64.urlsafe_b64decode(stem + "=" * (-len(stem) % 4)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None


def save_draft(app: CaDesktop, key: str, data: dict[str, Any]) -> Path:
    """Write (or replace) the draft under `key`; `data` must be JSON-serialisable.

    Values that JSON does not know (dates, decimals) are stored as strings.
    """
    target = _file_for(app, key)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    payload = {
        "key": key,
        "saved_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "data": data,
    }
    encoded = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
    encoded = at_rest.seal(app.data_dir, "draft", encoded)  # encrypted folders only
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".draft-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(encoded)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, target)
        fsync_dir(target.parent)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return target


def load_draft(app: CaDesktop, key: str) -> dict[str, Any] | None:
    """The draft's data, or None when there is none (or it cannot be read)."""
    payload = _read(app, _file_for(app, key))
    data = payload.get("data") if isinstance(payload, dict) else None
    return data if isinstance(data, dict) else None


def draft_saved_at(app: CaDesktop, key: str) -> str | None:
    """When the draft under `key` was written (ISO UTC), or None."""
    payload = _read(app, _file_for(app, key))
    return payload.get("saved_at") if isinstance(payload, dict) else None


def discard_draft(app: CaDesktop, key: str) -> None:
    """Remove the draft under `key`; no error when there is none."""
    _file_for(app, key).unlink(missing_ok=True)


def list_drafts(app: CaDesktop) -> list[DraftInfo]:
    """Every readable draft, newest first."""
    folder = drafts_dir(app)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"*{_SUFFIX}"):
        key = _key_from(path)
        if key is None:
            continue
        payload = _read(app, path)
        if not isinstance(payload, dict) or payload.get("key") != key:
            continue
        found.append(DraftInfo(key, str(payload.get("saved_at", "")), path))
    found.sort(key=lambda d: d.saved_at, reverse=True)
    return found


def _read(app: CaDesktop, path: Path) -> Any:
    """A draft file's JSON, or None when missing, unreadable or not sealed with our key."""
    try:
        return json.loads(at_rest.unseal(app.data_dir, "draft", path.read_bytes()))
    except (OSError, ValueError, at_rest.SealedFileError):
        return None
