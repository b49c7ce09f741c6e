"""From current-state table rows back to record bodies (the write side is in revisions.py)."""

from __future__ import annotations

import json
from typing import Any

from ca_desktop.domain.records import spec_for


def row_to_body(record_type: str, row: Any) -> dict[str, Any]:
    """From a row mapping (SQLAlchemy RowMapping or dict) back to a record body."""
    body: dict[str, Any] = {}
    for fs in spec_for(record_type).fields:
        if fs.name not in row:
            continue  # declared, but no column yet: the value lives in the revision
        value = row[fs.name]
        if fs.kind == "enums":
            value = [v for v in (value or "").split(",") if v]
        elif fs.kind == "list":
            value = json.loads(value or "[]")
        elif fs.kind == "bool":
            value = bool(value)
        elif fs.kind == "decimal" and isinstance(value, float) and value.is_integer():
            value = int(value)
        body[fs.name] = value
    return body
