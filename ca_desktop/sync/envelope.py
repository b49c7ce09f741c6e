"""The encrypted outer layer of a bundle: the whole signed ZIP, encrypted to its recipients.

Layout: MAGIC (9 bytes) | header length (2 bytes, big-endian) | header (canonical JSON) |
chunks. Every 64 KiB chunk is sealed with ChaCha20-Poly1305 under a nonce of an 11-byte
counter and a final-chunk flag, with the header as associated data. So a changed header,
a swapped, dropped or altered chunk and a truncation at any byte all fail authentication.

Version 1 (`CABUNDLE\\x01`) has one recipient: the chunk key is X25519(ephemeral,
recipient) through HKDF-SHA256. Version 2 (`CABUNDLE\\x02`, `envelope_recipients.py`) has
several: a random file key, wrapped once per recipient, as in `age`. A bundle for exactly
one recipient is still written as version 1, so older releases keep reading it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ca_desktop.domain.canonical import canonical_json
from ca_desktop.domain.i18n import tr
from ca_desktop.sync import envelope_recipients as multi
from ca_desktop.sync import strict_json
from ca_desktop.sync.errors import BundleRejected
from ca_desktop.sync.keys import DeviceKeys, PublicKey, b64d, b64e, fingerprint_of
from ca_desktop.sync.limits import MAX_BUNDLE_BYTES

MAGIC = b"CABUNDLE\x01"
MAGIC_MULTI = multi.MAGIC
ALG = "X25519-HKDF-SHA256-ChaCha20Poly1305"
CHUNK = 64 * 1024
TAG = 16
_INFO = b"ca-desktop bundle v1"
_MAX_HEADER = 1024


def is_encrypted(head: bytes) -> bool:
    return head.startswith(MAGIC) or head.startswith(MAGIC_MULTI)


def _key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=_INFO)
    return hkdf.derive(shared)


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def encrypt_stream(
    src: BinaryIO, dst: BinaryIO, recipient: PublicKey | Sequence[PublicKey]
) -> None:
    """Encrypt everything readable from `src` to `recipient` (one key, or several),
    writing to `dst`."""
    recipients = [recipient] if isinstance(recipient, PublicKey) else list(recipient)
    if len(recipients) == 1:
        one = recipients[0]
        ephemeral = X25519PrivateKey.generate()
        eph_pub = ephemeral.public_key().public_bytes_raw()
        shared = ephemeral.exchange(one.x25519())
        aead = ChaCha20Poly1305(_key(shared, eph_pub, one.encryption))
        fields = {"alg": ALG, "chunk": CHUNK, "ephemeral": b64e(eph_pub), "recipient": one.key_id}
        header, magic = canonical_json(fields).encode(), MAGIC
    else:
        header, key = multi.build_header(recipients, CHUNK)
        aead, magic = ChaCha20Poly1305(key), MAGIC_MULTI
    dst.write(magic + len(header).to_bytes(2, "big") + header)
    counter = 0
    pending = src.read(CHUNK)
    while True:
        following = src.read(CHUNK)
        last = not following
        dst.write(aead.encrypt(_nonce(counter, last), pending, header))
        if last:
            return
        counter += 1
        pending = following


def read_header(src: BinaryIO) -> tuple[dict[str, object], bytes]:
    """The header (checked) and its raw bytes; `src` is left at the first chunk.

    A version 2 header comes back as `{"recipients": [key ids], "multi": parsed}`."""
    magic = src.read(len(MAGIC))
    if magic not in (MAGIC, MAGIC_MULTI):
        raise BundleRejected(tr("not an encrypted CA Desktop bundle"))
    size = int.from_bytes(src.read(2), "big")
    limit = multi.MAX_HEADER if magic == MAGIC_MULTI else _MAX_HEADER
    if size == 0 or size > limit:
        raise BundleRejected(tr("the encryption header is damaged"))
    raw = src.read(size)
    if len(raw) != size:
        raise BundleRejected(tr("the encryption header is damaged"))
    if magic == MAGIC_MULTI:
        parsed = multi.parse_header(raw, CHUNK)
        return {"recipients": [s.recipient for s in parsed.stanzas], "multi": parsed}, raw
    header = strict_json.loads(raw, "encryption header", _MAX_HEADER)
    if (
        not isinstance(header, dict)
        or set(header) != {"alg", "chunk", "ephemeral", "recipient"}
        or header["alg"] != ALG
        or header["chunk"] != CHUNK
        or not isinstance(header["recipient"], str)
        or not isinstance(header["ephemeral"], str)
    ):
        raise BundleRejected(tr("the encryption header is damaged or uses an unknown method"))
    return {**header, "recipients": [header["recipient"]]}, raw


def recipients_of(header: dict[str, object]) -> list[str]:
    """The key ids a checked header names (one for version 1)."""
    return list(header["recipients"])  # type: ignore[call-overload]


def check_recipient(header: dict[str, object], keys: DeviceKeys) -> None:
    named = recipients_of(header)
    if keys.key_id in named:
        return
    if len(named) == 1:
        raise BundleRejected(
            tr(
                "the bundle is encrypted for another device (key {value}), not for this laptop"
            ).format(value=fingerprint_of(named[0]))
        )
    raise BundleRejected(
        tr("the bundle is encrypted for {count} other devices, not for this laptop").format(
            count=len(named)
        )
    )


def _chunk_cipher(header: dict[str, object], keys: DeviceKeys) -> ChaCha20Poly1305:
    if "multi" in header:
        return ChaCha20Poly1305(multi.unwrap(header["multi"], keys))  # type: ignore[arg-type]
    try:
        eph_pub = b64d(str(header["ephemeral"]), 32, "ephemeral key")
        shared = keys.encryption.exchange(X25519PublicKey.from_public_bytes(eph_pub))
    except Exception:  # noqa: BLE001 - a bad public point is a damaged header, nothing else
        raise BundleRejected(tr("the encryption header is damaged")) from None
    own_pub = keys.encryption.public_key().public_bytes_raw()
    return ChaCha20Poly1305(_key(shared, eph_pub, own_pub))


def decrypt_stream(
    src: BinaryIO, dst: BinaryIO, keys: DeviceKeys, max_bytes: int = MAX_BUNDLE_BYTES
) -> int:
    """Decrypt into `dst`; returns the plaintext size. BundleRejected on any tampering."""
    header, raw = read_header(src)
    check_recipient(header, keys)
    aead = _chunk_cipher(header, keys)
    counter, total = 0, 0
    block = src.read(CHUNK + TAG)
    while True:
        following = src.read(CHUNK + TAG)
        last = not following
        if len(block) < TAG or (not last and len(block) != CHUNK + TAG):
            raise BundleRejected(tr("the bundle is truncated or damaged (encrypted data)"))
        try:
            plain = aead.decrypt(_nonce(counter, last), block, raw)
        except InvalidTag:
            raise BundleRejected(
                tr("the bundle is damaged or was altered (decryption failed)")
            ) from None
        total += len(plain)
        if total > max_bytes:
            raise BundleRejected(
                tr("the bundle is larger than {max_bytes} bytes").format(max_bytes=max_bytes)
            )
        dst.write(plain)
        if last:
            return total
        counter += 1
        block = following
