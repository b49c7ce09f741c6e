"""Known-state vectors and receipts: what each side has, so exports carry only the rest."""

from __future__ import annotations

import json
from typing import Any

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.ids import is_uuid
from ca_desktop.domain.records import RECORD_SPECS
from ca_desktop.store import sync_queries
from ca_desktop.store.handles import Connection
from ca_desktop.sync.errors import BundleRejected

# Record types a reference-data bundle may carry: those the declarations mark reference.
REFERENCE_TYPES = tuple(t for t, spec in RECORD_SPECS.items() if spec.reference)


def own_vector(conn: Connection) -> dict[str, dict[str, int]]:
    """{device_id: {"contiguous": n, "max": m}} for every device we hold revisions of."""
    return {d: {"contiguous": c, "max": m} for d, c, m in sync_queries.device_vector(conn)}


def state_json(conn: Connection) -> bytes:
    return json.dumps({"devices": own_vector(conn)}, sort_keys=True, separators=(",", ":")).encode()


def parse_state(doc: Any) -> dict[str, int]:
    """A peer's state.json -> {device_id: contiguous seq}; BundleRejected when malformed."""
    ok = isinstance(doc, dict) and set(doc) == {"devices"} and isinstance(doc["devices"], dict)
    out: dict[str, int] = {}
    if ok:
        for device, v in doc["devices"].items():
            if not (
                is_uuid(device)
                and isinstance(v, dict)
                and set(v) == {"contiguous", "max"}
                and all(
                    isinstance(x, int) and not isinstance(x, bool) and x >= 0 for x in v.values()
                )
                and v["contiguous"] <= v["max"]
            ):
                ok = False
                break
            out[device] = v["contiguous"]
    if not ok:
        raise BundleRejected(tr("state.json is malformed"))
    return out


def receipt_from(conn: Connection, key_id: str) -> dict[str, int]:
    """The newest known-state vector the peer with `key_id` sent us ({} if none)."""
    value = sync_queries.peer_receipt(conn, key_id)
    return json.loads(value) if value else {}
