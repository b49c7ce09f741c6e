"""The data folder's key: created at setup, wrapped with the passphrase, unlocked per process.

An encrypted folder holds a random 256-bit data key. SQLCipher uses it raw for the
database and its backups; the other files at rest (private keys, drafts, attachments) use
keys derived from it (`at_rest.py`). On disk the data key exists only wrapped: AES-GCM under
a key derived from the passphrase with scrypt, whose parameters are stored beside it, so
changing the passphrase rewraps 32 bytes and never re-encrypts the database.

`keys/protection.json` also marks a folder made with `init --no-encryption` as plain on
purpose; a database with no such file predates encryption and is converted (`convert.py`).
Unlocking puts the data key in this process's memory (`key_for`), where `CaDesktop.open`
and the file helpers find it; locking overwrites it there and forgets it (the idle lock,
`CaDesktop.lock`). Python cannot promise more: `docs/security.md` says what stays.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from ca_desktop.services.atomic import atomic_output

PROTECTION_FILE = Path("keys") / "protection.json"
KEY_BYTES = 32
# scrypt N = 2^17, r = 8: about 0.3 s and 128 MiB on a 2015 laptop, 0.6 s on an old one.
DEFAULT_COST = 17
# Folders created by the test suite (this variable set at creation) may use a cheap cost;
# an existing file's stored cost is never lowered, whatever the variable says.
TEST_COST_ENV = "CA_DESKTOP_TEST_KDF_COST"
# The test suite's folders stay plain unless a test asks for encryption (as with `init
# --no-encryption`, for every folder it creates or finds without a key file).
NO_ENCRYPTION_ENV = "CA_DESKTOP_TEST_NO_ENCRYPTION"
MIN_COST, MAX_COST = 10, 20  # bounds for a file from outside: no 2^40-iteration lock file
MAX_FILE_BYTES = 64 * 1024
_AAD = b"ca-desktop data key v1"

# Kept in bytearrays so that locking can overwrite them; the bytes handed out by `key_for`
# are short-lived copies (the engine of an open database keeps one until it is closed).
_UNLOCKED: dict[str, bytearray] = {}


class ProtectionError(Exception):
    """The folder's key file is missing, damaged, or the passphrase is wrong."""


class WrongPassphrase(ProtectionError):
    """The passphrase does not unwrap this folder's key."""


@dataclass(frozen=True)
class FolderState:
    exists: bool  # a database is there
    encrypted: bool  # the folder has a wrapped data key
    plain_on_purpose: bool  # made with `init --no-encryption`

    @property
    def needs_conversion(self) -> bool:
        """A database from before encryption, not marked plain: it must be encrypted."""
        return self.exists and not self.encrypted and not self.plain_on_purpose

    @property
    def new(self) -> bool:
        return not self.exists and not self.encrypted and not self.plain_on_purpose


def _folder(data_dir: Path) -> str:
    return str(data_dir.resolve())


def protection_path(data_dir: Path) -> Path:
    return data_dir / PROTECTION_FILE


def state(data_dir: Path) -> FolderState:
    """What the data folder is, read from its files (opens no database)."""
    db = data_dir / "ca-desktop.sqlite"
    exists = db.exists() and db.stat().st_size > 0
    marker = _read(data_dir)
    encrypted = marker is not None and marker.get("encrypted") is True
    plain = marker is not None and marker.get("encrypted") is False
    return FolderState(exists, encrypted, plain)


def key_for(data_dir: Path) -> bytes | None:
    """The unlocked data key of `data_dir` in this process, or None."""
    held = _UNLOCKED.get(_folder(data_dir))
    return bytes(held) if held is not None else None


def is_unlocked(data_dir: Path) -> bool:
    return _folder(data_dir) in _UNLOCKED


def lock(data_dir: Path) -> None:
    """Forget the data key, overwriting where it was held (the next open needs the
    passphrase again)."""
    held = _UNLOCKED.pop(_folder(data_dir), None)
    if held is not None:
        held[:] = bytes(len(held))


def _hold(data_dir: Path, key: bytes) -> None:
    lock(data_dir)  # an earlier copy is overwritten, not just dropped
    _UNLOCKED[_folder(data_dir)] = bytearray(key)


def create_encrypted(data_dir: Path, passphrase: str) -> bytes:
    """A new data key for `data_dir`, wrapped with `passphrase` and unlocked. Returns it."""
    if protection_path(data_dir).exists():
        raise ProtectionError(f"{data_dir} already has a key file")
    key = secrets.token_bytes(KEY_BYTES)
    _write(data_dir, {"format": 1, "encrypted": True, **_wrap(key, passphrase, _new_cost(None))})
    _hold(data_dir, key)
    return key


def mark_plain(data_dir: Path) -> None:
    """Record that this folder stays unencrypted on purpose (`init --no-encryption`)."""
    if protection_path(data_dir).exists():
        raise ProtectionError(f"{data_dir} already has a key file")
    _write(data_dir, {"format": 1, "encrypted": False})


def unlock(data_dir: Path, passphrase: str) -> bytes:
    """Unwrap the data key with `passphrase` and keep it for this process."""
    marker = _read(data_dir)
    if marker is None or marker.get("encrypted") is not True:
        raise ProtectionError(f"{data_dir} has no encrypted database to unlock")
    key = _unwrap(marker, passphrase)
    _hold(data_dir, key)
    return key


def check_passphrase(data_dir: Path, passphrase: str) -> None:
    """Raise WrongPassphrase unless `passphrase` unwraps this folder's key (the idle lock)."""
    marker = _read(data_dir)
    if marker is None or marker.get("encrypted") is not True:
        raise ProtectionError(f"{data_dir} is not encrypted")
    _hold(data_dir, _unwrap(marker, passphrase))


def change_passphrase(data_dir: Path, old: str, new: str) -> None:
    """Rewrap the data key with `new` (the database itself is not touched)."""
    marker = _read(data_dir)
    if marker is None or marker.get("encrypted") is not True:
        raise ProtectionError(f"{data_dir} is not encrypted")
    key = _unwrap(marker, old)
    stored = _cost_of(marker)
    _write(data_dir, {**marker, **_wrap(key, new, _new_cost(stored))})


def adopt_key(data_dir: Path, key: bytes, passphrase: str) -> None:
    """Wrap an existing data key (a converted folder, a recovered one) with `passphrase`."""
    if len(key) != KEY_BYTES:
        raise ProtectionError("a data key is 32 bytes")
    marker = _read(data_dir) or {"format": 1}
    stored = _cost_of(marker) if marker.get("encrypted") is True else None
    _write(data_dir, {**marker, "encrypted": True, **_wrap(key, passphrase, _new_cost(stored))})
    _hold(data_dir, key)


def plain_for_tests() -> bool:
    """Whether new and pre-encryption folders stay plain (the test suite's setting)."""
    return os.environ.get(NO_ENCRYPTION_ENV) == "1"


def recovery_slots(data_dir: Path) -> dict[str, Any]:
    """The data key's other wraps (recovery code, coordinators), as stored."""
    marker = _read(data_dir)
    slots = marker.get("recovery") if marker else None
    return dict(slots) if isinstance(slots, dict) else {}


def set_recovery_slot(data_dir: Path, name: str, slot: dict[str, Any]) -> None:
    """Store one more wrap of the data key (the passphrase's wrap is left as it is)."""
    marker = _read(data_dir)
    if marker is None or marker.get("encrypted") is not True:
        raise ProtectionError(f"{data_dir} is not encrypted")
    slots = recovery_slots(data_dir)
    slots[name] = slot
    _write(data_dir, {**marker, "recovery": slots})


def use_recovered_key(data_dir: Path, key: bytes, new_passphrase: str) -> None:
    """A key recovered without the passphrase: wrap it with a new passphrase and unlock.

    The caller has checked that `key` opens the database (a wrong key is never stored).
    """
    adopt_key(data_dir, key, new_passphrase)


def _new_cost(stored: int | None) -> int:
    cost = DEFAULT_COST
    wanted = os.environ.get(TEST_COST_ENV, "")
    if wanted.isdigit() and MIN_COST <= int(wanted) <= MAX_COST:
        cost = int(wanted)
    return max(cost, stored or 0)


def _kdf(salt: bytes, cost: int) -> Scrypt:
    return Scrypt(salt=salt, length=KEY_BYTES, n=2**cost, r=8, p=1)


def _wrap(key: bytes, passphrase: str, cost: int) -> dict[str, Any]:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    kek = _kdf(salt, cost).derive(passphrase.encode("utf-8"))
    sealed = AESGCM(kek).encrypt(nonce, key, _AAD)
    return {
        "kdf": {"name": "scrypt", "log2_n": cost, "r": 8, "p": 1, "salt": b64e(salt)},
        "data_key": {"nonce": b64e(nonce), "sealed": b64e(sealed)},
    }


def _cost_of(marker: dict[str, Any]) -> int:
    kdf = marker.get("kdf")
    if not isinstance(kdf, dict) or kdf.get("name") != "scrypt":
        raise ProtectionError("the key file names no known key derivation")
    cost, r, p = kdf.get("log2_n"), kdf.get("r"), kdf.get("p")
    if not (type(cost) is int and MIN_COST <= cost <= MAX_COST and r == 8 and p == 1):
        raise ProtectionError("the key file's key derivation parameters are out of range")
    return cost


def _unwrap(marker: dict[str, Any], passphrase: str) -> bytes:
    cost = _cost_of(marker)
    wrapped = marker.get("data_key")
    if not isinstance(wrapped, dict):
        raise ProtectionError("the key file holds no data key")
    salt = b64d(marker["kdf"].get("salt"), 16, "salt")
    nonce = b64d(wrapped.get("nonce"), 12, "nonce")
    sealed = b64d(wrapped.get("sealed"), KEY_BYTES + 16, "data key")
    kek = _kdf(salt, cost).derive(passphrase.encode("utf-8"))
    try:
        return AESGCM(kek).decrypt(nonce, sealed, _AAD)
    except InvalidTag:
        raise WrongPassphrase("the passphrase is not right") from None


def _read(data_dir: Path) -> dict[str, Any] | None:
    path = protection_path(data_dir)
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return None
    if len(raw) > MAX_FILE_BYTES:
        raise ProtectionError(f"{path} is too large to be a key file")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ProtectionError(f"{path} is damaged; restore it from a backup") from None
    if not isinstance(data, dict) or data.get("format") != 1:
        raise ProtectionError(f"{path} is not a key file this version can read")
    return data


def _write(data_dir: Path, data: dict[str, Any]) -> None:
    path = protection_path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with atomic_output(path) as tmp:  # mkstemp: readable by this user only
        tmp.write_bytes(json.dumps(data, indent=1).encode("utf-8"))


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: object, length: int, what: str) -> bytes:
    """Bytes of an expected length from base64 in a file we did not necessarily write."""
    try:
        raw = base64.b64decode(str(text).encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError, binascii.Error):
        raise ProtectionError(f"the key file's {what} is not base64") from None
    if not isinstance(text, str) or len(raw) != length:
        raise ProtectionError(f"the key file's {what} has the wrong length")
    return raw
