"""Envelope version 2: one bundle, several recipients (every coordinator of an office).

A fresh random file key encrypts the chunks (through HKDF with a fresh salt); the file key
is wrapped once per recipient: X25519(fresh ephemeral, recipient) through HKDF-SHA256 into
a ChaCha20-Poly1305 key that seals the file key with the recipient's key id as associated
data (the construction of `age`). So no private key is shared between coordinators, and
removing one is revoking trust in its key. The whole header is the associated data of
every chunk: an entry swapped, dropped or added makes every chunk fail.

Everything here is hostile input until checked: the header is bounded in bytes and in
entries before it is parsed, entries are sorted and distinct, and a wrapped key that does
not open is a damaged bundle, never a crash.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ca_desktop.domain.canonical import canonical_json
from ca_desktop.domain.i18n import tr
from ca_desktop.sync import strict_json
from ca_desktop.sync.errors import BundleRejected, SyncError
from ca_desktop.sync.keys import DeviceKeys, PublicKey, b64d, b64e

MAGIC = b"CABUNDLE\x02"
ALG = "X25519-HKDF-SHA256-ChaCha20Poly1305-multi"
MAX_RECIPIENTS = 32  # an office's coordinators, with room; also bounds the header
MAX_HEADER = 8192
_WRAP_INFO = b"ca-desktop bundle v2 recipient"
_PAYLOAD_INFO = b"ca-desktop bundle v2 payload"
_KEY_ID = re.compile(r"[0-9a-f]{32}")
_ZERO_NONCE = bytes(12)  # one message per ephemeral key


@dataclass(frozen=True)
class Stanza:
    recipient: str  # key id
    ephemeral: str  # base64 of 32 bytes
    wrapped: str  # base64 of 48 bytes: the file key sealed to the recipient


@dataclass(frozen=True)
class MultiHeader:
    salt: str
    stanzas: tuple[Stanza, ...]


def _hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def build_header(recipients: Sequence[PublicKey], chunk: int) -> tuple[bytes, bytes]:
    """(header bytes, chunk key) for a fresh file key wrapped to every recipient."""
    distinct = {r.key_id: r for r in recipients}
    if not 1 < len(distinct) <= MAX_RECIPIENTS:
        raise SyncError(
            tr("a bundle can be encrypted for 2 to {limit} keys, not {count}").format(
                limit=MAX_RECIPIENTS, count=len(distinct)
            )
        )
    file_key, salt = os.urandom(32), os.urandom(16)
    stanzas = []
    for key_id, pub in sorted(distinct.items()):
        ephemeral = X25519PrivateKey.generate()
        eph_pub = ephemeral.public_key().public_bytes_raw()
        wrap = _hkdf(ephemeral.exchange(pub.x25519()), eph_pub + pub.encryption, _WRAP_INFO)
        sealed = ChaCha20Poly1305(wrap).encrypt(_ZERO_NONCE, file_key, key_id.encode())
        stanzas.append({"recipient": key_id, "ephemeral": b64e(eph_pub), "wrapped": b64e(sealed)})
    doc = {"alg": ALG, "chunk": chunk, "salt": b64e(salt), "recipients": stanzas}
    return canonical_json(doc).encode(), _hkdf(file_key, salt, _PAYLOAD_INFO)


def _damaged() -> BundleRejected:
    return BundleRejected(tr("the encryption header is damaged or uses an unknown method"))


def parse_header(raw: bytes, chunk: int) -> MultiHeader:
    """The checked header: known method, 2 to 32 entries, sorted, distinct, well formed."""
    if len(raw) > MAX_HEADER:
        raise _damaged()
    doc = strict_json.loads(raw, "encryption header", MAX_HEADER)
    if not (
        isinstance(doc, dict)
        and set(doc) == {"alg", "chunk", "salt", "recipients"}
        and doc["alg"] == ALG
        and doc["chunk"] == chunk
        and isinstance(doc["salt"], str)
        and isinstance(doc["recipients"], list)
    ):
        raise _damaged()
    entries = doc["recipients"]
    if not 1 < len(entries) <= MAX_RECIPIENTS:
        raise BundleRejected(
            tr("the encryption header names {count} recipients (at most {limit})").format(
                count=len(entries), limit=MAX_RECIPIENTS
            )
        )
    stanzas = []
    for e in entries:
        if not (
            isinstance(e, dict)
            and set(e) == {"recipient", "ephemeral", "wrapped"}
            and all(isinstance(v, str) for v in e.values())
            and _KEY_ID.fullmatch(e["recipient"])
        ):
            raise _damaged()
        stanzas.append(Stanza(e["recipient"], e["ephemeral"], e["wrapped"]))
    ids = [s.recipient for s in stanzas]
    if len(set(ids)) != len(ids):
        raise BundleRejected(tr("the encryption header names a recipient twice"))
    if ids != sorted(ids):
        raise BundleRejected(tr("the encryption header's recipients are out of order"))
    return MultiHeader(doc["salt"], tuple(stanzas))


def unwrap(header: MultiHeader, keys: DeviceKeys) -> bytes:
    """The chunk key, from this laptop's entry; BundleRejected when it does not open."""
    own = next((s for s in header.stanzas if s.recipient == keys.key_id), None)
    if own is None:  # checked before, by `check_recipient`; kept for direct callers
        raise BundleRejected(tr("the bundle is not encrypted for this laptop"))
    try:
        eph_pub = b64d(own.ephemeral, 32, "ephemeral key")
        sealed = b64d(own.wrapped, 48, "wrapped key")
        salt = b64d(header.salt, 16, "salt")
        shared = keys.encryption.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    except Exception:  # noqa: BLE001 - bad base64 or a bad point: a damaged header
        raise _damaged() from None
    own_pub = keys.encryption.public_key().public_bytes_raw()
    wrap = _hkdf(shared, eph_pub + own_pub, _WRAP_INFO)
    try:
        file_key = ChaCha20Poly1305(wrap).decrypt(_ZERO_NONCE, sealed, keys.key_id.encode())
    except InvalidTag:
        raise BundleRejected(
            tr("this laptop's key entry in the bundle does not open (altered or swapped entry)")
        ) from None
    return _hkdf(file_key, salt, _PAYLOAD_INFO)
