"""The coordinator's way back in: the data key sealed to a trusted coordinator's key.

When this laptop trusts a coordinator's public key, the data key is sealed to it (an
X25519 sealed box: an ephemeral key pair, X25519 agreement, HKDF-SHA256, AES-GCM) and kept
in the folder's key file beside the passphrase's wrap. A coordinator whose officer forgot
the passphrase opens that folder with their own private key (`db recover
--with-coordinator-key`), and the officer sets a new passphrase. The sealed box reveals
nothing to anyone without the coordinator's private key, so it may travel and be copied.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ca_desktop.services import protection
from ca_desktop.services.protection import b64d, b64e
from ca_desktop.store import sqlite
from ca_desktop.sync.keys import DeviceKeys, public_of, trusted_keys

PREFIX = "coordinator:"
_INFO = b"ca-desktop data key to coordinator v1"


def _raw(key: X25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def seal_to(recipient: X25519PublicKey, data_key: bytes) -> dict[str, str]:
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(recipient)
    eph_raw, rcpt_raw = _raw(ephemeral.public_key()), _raw(recipient)
    kek = HKDF(hashes.SHA256(), 32, salt=eph_raw + rcpt_raw, info=_INFO).derive(shared)
    nonce = b"\x00" * 12  # one message per ephemeral key: a fixed nonce is safe here
    sealed = AESGCM(kek).encrypt(nonce, data_key, _INFO)
    return {"ephemeral": b64e(eph_raw), "sealed": b64e(sealed)}


def open_sealed(own: X25519PrivateKey, slot: Mapping[str, object]) -> bytes:
    eph_raw = b64d(slot.get("ephemeral"), 32, "ephemeral key")
    sealed = b64d(slot.get("sealed"), 48, "sealed data key")
    shared = own.exchange(X25519PublicKey.from_public_bytes(eph_raw))
    rcpt_raw = _raw(own.public_key())
    kek = HKDF(hashes.SHA256(), 32, salt=eph_raw + rcpt_raw, info=_INFO).derive(shared)
    try:
        return AESGCM(kek).decrypt(b"\x00" * 12, sealed, _INFO)
    except InvalidTag:
        raise protection.ProtectionError("the sealed data key is damaged") from None


def seal_for_trusted_coordinators(data_dir: Path, engine: object) -> int:
    """Add a sealed box for each trusted, unrevoked coordinator key that has none yet.

    Called after the folder is opened unlocked (any coordinator trusted since is covered
    at the next start). Returns how many were added.
    """
    key = protection.key_for(data_dir)
    if key is None:
        return 0
    have = protection.recovery_slots(data_dir)
    added = 0
    for row in trusted_keys(engine):  # type: ignore[arg-type]
        if row.role != "coordinator" or row.revoked_at or PREFIX + row.key_id in have:
            continue
        slot = {**seal_to(public_of(row).x25519(), key), "user_name": row.user_name}
        protection.set_recovery_slot(data_dir, PREFIX + row.key_id, slot)
        added += 1
    return added


def key_with_coordinator(officer_dir: Path, coordinator: DeviceKeys) -> bytes:
    """The officer folder's data key, from the slot sealed to `coordinator`; checked."""
    slot = protection.recovery_slots(officer_dir).get(PREFIX + coordinator.key_id)
    if not isinstance(slot, dict):
        raise protection.ProtectionError(
            "this data folder holds no recovery key for this coordinator (it is added once "
            "the laptop trusts the coordinator's key and is opened again)"
        )
    key = open_sealed(coordinator.encryption, slot)
    sqlite.check_file(officer_dir / "ca-desktop.sqlite", thorough=False, key=key)
    return key
