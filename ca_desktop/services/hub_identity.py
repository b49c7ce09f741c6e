"""A desktop's own identity on a shared hub, kept in its data folder.

On a laptop, the database file holds the one identity row. On a hub, every coordinator's
desktop has its own row (`store/device_scope.py`): this file (`hub-device.json` beside
the keys, `{"device_id": "<UUID>"}`) says which, so the desktop keeps its device id, its
sequence numbers and its signing key whoever else works on the same database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ca_desktop.domain.ids import is_uuid
from ca_desktop.services.atomic import atomic_output
from ca_desktop.store import device_scope

FILE = "hub-device.json"
_MAX_BYTES = 4096


def device_id_of(folder: Path) -> str | None:
    """The device id this folder is on its hub, or None before its setup there."""
    path = folder / FILE
    try:
        raw = path.read_bytes()[: _MAX_BYTES + 1]
        doc = json.loads(raw) if len(raw) <= _MAX_BYTES else None
    except (OSError, ValueError):
        return None
    value = doc.get("device_id") if isinstance(doc, dict) else None
    return value if isinstance(value, str) and is_uuid(value) else None


def remember(folder: Path, device_id: str) -> None:
    with atomic_output(folder / FILE) as tmp:
        tmp.write_text(json.dumps({"device_id": device_id}) + "\n", encoding="utf-8")


def apply_scope(folder: Path, engine: Any) -> None:
    """Point the engine of `folder`'s hub at this desktop's identity row (if it has one)."""
    found = device_id_of(folder)
    if found is not None:
        device_scope.set_scope(engine, found)
