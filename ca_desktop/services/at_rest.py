"""Files of an encrypted data folder other than the database: sealed with AES-GCM.

Each kind of file (private keys, drafts, attachments) has its own key, derived from the
data key with HKDF and the kind's name, so a nonce or a file of one kind can never be
taken for another. Sealed bytes start with `MAGIC`; bytes without it are read as they are,
which is how a plain folder (`init --no-encryption`) and a file written before its folder
was converted stay readable.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ca_desktop.services import protection

MAGIC = b"CAENC1\n"
_NONCE = 12


class SealedFileError(Exception):
    """A sealed file is damaged, or the folder is locked."""


def file_key(data_dir: Path, kind: str) -> bytes | None:
    """The key for files of `kind` in `data_dir`; None for a plain folder.

    Raises SealedFileError when the folder is encrypted and not unlocked in this process.
    """
    key = protection.key_for(data_dir)
    if key is None:
        if protection.state(data_dir).encrypted:
            raise SealedFileError(f"{data_dir} is locked: unlock it with the passphrase")
        return None
    return derive(key, kind)


def derive(data_key: bytes, kind: str) -> bytes:
    info = b"ca-desktop at rest: " + kind.encode("ascii")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(data_key)


def seal(data_dir: Path, kind: str, data: bytes) -> bytes:
    """`data` as it should be written in `data_dir` (sealed, or as is in a plain folder)."""
    key = file_key(data_dir, kind)
    if key is None:
        return data
    return seal_with(key, kind, data)


def seal_with(key: bytes, kind: str, data: bytes) -> bytes:
    nonce = secrets.token_bytes(_NONCE)
    return MAGIC + nonce + AESGCM(key).encrypt(nonce, data, kind.encode("ascii"))


def unseal(data_dir: Path, kind: str, blob: bytes) -> bytes:
    """The bytes `seal` was given; raises SealedFileError if they were altered."""
    if not blob.startswith(MAGIC):
        return blob
    key = protection.key_for(data_dir)
    if key is None:
        raise SealedFileError(f"{data_dir} is locked: unlock it with the passphrase")
    return unseal_with(derive(key, kind), kind, blob)


def unseal_with(key: bytes, kind: str, blob: bytes) -> bytes:
    body = blob[len(MAGIC) :]
    if len(body) < _NONCE + 16:
        raise SealedFileError("a sealed file is truncated")
    try:
        return AESGCM(key).decrypt(body[:_NONCE], body[_NONCE:], kind.encode("ascii"))
    except InvalidTag:
        raise SealedFileError("a sealed file is damaged or was altered") from None


def is_sealed(blob: bytes) -> bool:
    return blob.startswith(MAGIC)
