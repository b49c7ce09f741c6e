"""`recovery.json`: an officer's data key, sealed to the coordinator a bundle is for.

The sealed box `recovery.py` keeps in the officer's key file travels in the encrypted part
of the officer's next `field_export` bundle to that coordinator, listed in the signed
manifest and required by it (`recovery/1`), so the coordinator can help a forgotten
passphrase without the officer's folder. Never in a plain bundle: the box is safe to copy,
but who holds whose key is nobody else's business. The coordinator checks on import that
the box opens with its own private key and keeps it, in the same transaction as the
import, in the `meta` table under the sender's key id (the newest one wins: an officer's
data key never changes, a restored laptop's may).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ca_desktop.domain.canonical import canonical_json
from ca_desktop.domain.i18n import tr
from ca_desktop.services import protection
from ca_desktop.store import device_queries
from ca_desktop.store.handles import Connection
from ca_desktop.sync import strict_json
from ca_desktop.sync.container import RECOVERY
from ca_desktop.sync.errors import BundleRejected
from ca_desktop.sync.keys import DeviceKeys
from ca_desktop.sync.manifest import Manifest
from ca_desktop.sync.recovery import PREFIX, open_sealed
from ca_desktop.sync.views import TrustedKeyView

ENTRY = RECOVERY
CAPABILITY = "recovery/1"
FORMAT = "ca-desktop-recovery"
VERSION = 1
MAX_BYTES = 16384  # version 2: up to 32 boxes
META = "recovery_key:"  # meta key prefix: sender key id -> the sealed box and its sender


@dataclass(frozen=True)
class SealedKey:
    sender_key_id: str
    device_id: str
    user_name: str
    slot: dict[str, str]  # ephemeral, sealed (`recovery.seal_to`)


def build(data_dir: Path, own_key_id: str, recipient_key_ids: Sequence[str]) -> bytes | None:
    """The entry for a bundle encrypted to `recipient_key_ids`; None without a sealed box.

    One recipient: version 1 (one box). Several (a bundle for every coordinator of an
    office): version 2, one box per recipient this laptop holds a box for."""
    slots = protection.recovery_slots(data_dir)
    boxes = [
        {"coordinator": key_id, "ephemeral": slot["ephemeral"], "sealed": slot["sealed"]}
        for key_id in sorted(set(recipient_key_ids))
        if isinstance(slot := slots.get(PREFIX + key_id), dict)
    ]
    if not boxes:
        return None
    if len(recipient_key_ids) == 1:
        # "officer" must be the bundle's signer: no relaying another's box.
        doc = {"format": FORMAT, "version": 1, "officer": own_key_id, **boxes[0]}
        return canonical_json(doc).encode()
    doc = {"format": FORMAT, "version": 2, "officer": own_key_id, "boxes": boxes}
    return canonical_json(doc).encode()


def _want(cond: bool, what: str) -> None:
    if not cond:
        raise BundleRejected(
            tr("the bundle's recovery key is malformed ({what})").format(what=what)
        )


def read(
    bundle: Any, m: Manifest, signer: TrustedKeyView, own_keys: DeviceKeys
) -> SealedKey | None:
    """The bundle's sealed data key, checked; None when it has none.

    Accepted only in an encrypted `field_export` bundle addressed to this laptop, naming
    this laptop's key, and only if the box opens with this laptop's private key.
    """
    present = ENTRY in m.entries
    if present != (CAPABILITY in m.requires):
        raise BundleRejected(tr("the bundle's recovery key and its requirement do not match"))
    if not present:
        return None
    addressed = m.recipient == own_keys.key_id or own_keys.key_id in m.recipients
    if not bundle.encrypted or not addressed:
        raise BundleRejected(
            tr("a recovery key is only accepted in a bundle encrypted to this laptop")
        )
    if m.kind != "field_export":
        raise BundleRejected(tr("a recovery key is only accepted in an officer's field export"))
    doc = strict_json.loads(b"".join(bundle.chunks(ENTRY, MAX_BYTES)), ENTRY, MAX_BYTES)
    box = _own_box(doc, m, own_keys.key_id)
    _want(doc["officer"] == signer.key_id, tr("another laptop's key, not the signer's"))
    if box is None:
        return None  # sealed to the other coordinators only
    doc = box
    slot = {"ephemeral": doc["ephemeral"], "sealed": doc["sealed"]}
    _want(all(isinstance(v, str) and len(v) <= 200 for v in slot.values()), tr("its sealed box"))
    try:
        open_sealed(own_keys.encryption, slot)
    except protection.ProtectionError:
        raise BundleRejected(
            tr("the bundle's recovery key does not open with this laptop's key")
        ) from None
    return SealedKey(signer.key_id, m.sender.device_id, signer.user_name, slot)


def _own_box(doc: Any, m: Manifest, own_key_id: str) -> dict[str, Any] | None:
    """Version 1: the one box, which must be sealed to this laptop. Version 2 (a bundle for
    several keys): the box sealed to this laptop, if the sender holds one."""
    _want(isinstance(doc, dict) and doc.get("format") == FORMAT, tr("its format"))
    if doc.get("version") == 1 and not m.recipients:
        fields = {"format", "version", "officer", "coordinator", "ephemeral", "sealed"}
        _want(set(doc) == fields, tr("its fields"))
        _want(doc["coordinator"] == own_key_id, tr("sealed to another key"))
        return doc  # type: ignore[no-any-return]
    _want(doc.get("version") == 2 and bool(m.recipients), tr("its format"))
    _want(set(doc) == {"format", "version", "officer", "boxes"}, tr("its fields"))
    boxes = doc["boxes"]
    _want(isinstance(boxes, list) and 0 < len(boxes) <= len(m.recipients), tr("its sealed boxes"))
    names = []
    for b in boxes:
        _want(
            isinstance(b, dict) and set(b) == {"coordinator", "ephemeral", "sealed"},
            tr("its sealed box"),
        )
        _want(b["coordinator"] in m.recipients, tr("sealed to a key the bundle is not for"))
        names.append(b["coordinator"])
    _want(names == sorted(set(names)), tr("boxes twice or out of order"))
    return next((b for b in boxes if b["coordinator"] == own_key_id), None)


def apply(conn: Connection, sealed: SealedKey | None, received: str) -> None:
    """Keep the box (inside the import's transaction), replacing the sender's older one."""
    if sealed is None:
        return
    value = {
        "device_id": sealed.device_id,
        "user_name": sealed.user_name,
        "received": received,
        **sealed.slot,
    }
    device_queries.set_meta_value(conn, META + sealed.sender_key_id, json.dumps(value))


def stored(conn: Connection, sender_key_id: str) -> dict[str, str] | None:
    """The box kept for `sender_key_id`'s laptop, as stored; None if none came."""
    value = device_queries.meta_value(conn, META + sender_key_id)
    return json.loads(value) if value else None
