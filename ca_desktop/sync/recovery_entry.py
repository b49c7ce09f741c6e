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
MAX_BYTES = 4096
META = "recovery_key:"  # meta key prefix: sender key id -> the sealed box and its sender


@dataclass(frozen=True)
class SealedKey:
    sender_key_id: str
    device_id: str
    user_name: str
    slot: dict[str, str]  # ephemeral, sealed (`recovery.seal_to`)


def build(data_dir: Path, own_key_id: str, recipient_key_id: str) -> bytes | None:
    """The entry for a bundle encrypted to `recipient_key_id`; None without a sealed box."""
    slot = protection.recovery_slots(data_dir).get(PREFIX + recipient_key_id)
    if not isinstance(slot, dict):
        return None
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "officer": own_key_id,  # must be the bundle's signer: no relaying another's box
        "coordinator": recipient_key_id,
        "ephemeral": slot["ephemeral"],
        "sealed": slot["sealed"],
    }
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
    if not bundle.encrypted or m.recipient != own_keys.key_id:
        raise BundleRejected(
            tr("a recovery key is only accepted in a bundle encrypted to this laptop")
        )
    if m.kind != "field_export":
        raise BundleRejected(tr("a recovery key is only accepted in an officer's field export"))
    doc = strict_json.loads(b"".join(bundle.chunks(ENTRY, MAX_BYTES)), ENTRY, MAX_BYTES)
    fields = {"format", "version", "officer", "coordinator", "ephemeral", "sealed"}
    _want(isinstance(doc, dict) and set(doc) == fields, tr("its fields"))
    _want(doc["format"] == FORMAT and doc["version"] == VERSION, tr("its format"))
    _want(doc["officer"] == signer.key_id, tr("another laptop's key, not the signer's"))
    _want(doc["coordinator"] == own_keys.key_id, tr("sealed to another key"))
    slot = {"ephemeral": doc["ephemeral"], "sealed": doc["sealed"]}
    _want(all(isinstance(v, str) and len(v) <= 200 for v in slot.values()), tr("its sealed box"))
    try:
        open_sealed(own_keys.encryption, slot)
    except protection.ProtectionError:
        raise BundleRejected(
            tr("the bundle's recovery key does not open with this laptop's key")
        ) from None
    return SealedKey(signer.key_id, m.sender.device_id, signer.user_name, slot)


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
