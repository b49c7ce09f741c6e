"""The recovery code: a second wrap of the data key, for an officer who forgot the passphrase.

Made at setup and shown once (on screen and on a printable sheet), never stored in clear.
The code is 30 random base32 characters (150 bits), so a fast key derivation (HKDF) is
enough: there is nothing for scrypt's cost to protect against.
"""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ca_desktop.services import protection
from ca_desktop.services.protection import b64d, b64e

SLOT = "code"
GROUPS, GROUP = 6, 5
_AAD = b"ca-desktop recovery code v1"
_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


class WrongRecoveryCode(protection.ProtectionError):
    """The code does not unwrap this folder's key."""


def new_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(20)).decode("ascii")  # 32 letters, 30 kept
    return "-".join(raw[i : i + GROUP] for i in range(0, GROUPS * GROUP, GROUP))


def normalise(code: str) -> str:
    """The code as typed (any case, spaces or dashes, 0/1 for O/I) in its canonical form."""
    text = code.upper().replace("0", "O").replace("1", "I").replace("8", "B")
    letters = "".join(c for c in text if c.isalnum())
    if len(letters) != GROUPS * GROUP or not set(letters) <= _ALPHABET:
        raise WrongRecoveryCode(f"a recovery code has {GROUPS * GROUP} letters and digits")
    return "-".join(letters[i : i + GROUP] for i in range(0, GROUPS * GROUP, GROUP))


def kek(code: str, salt: bytes, info: bytes = _AAD) -> bytes:
    """The key a code (in any typed form) and salt give; `info` separates its uses."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info)
    return hkdf.derive(normalise(code).encode("ascii"))


def add_code(data_dir: Path, data_key: bytes) -> str:
    """Wrap `data_key` with a new recovery code, store the wrap, return the code (once)."""
    code = new_code()
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    sealed = AESGCM(kek(code, salt)).encrypt(nonce, data_key, _AAD)
    protection.set_recovery_slot(
        data_dir, SLOT, {"salt": b64e(salt), "nonce": b64e(nonce), "sealed": b64e(sealed)}
    )
    return code


def key_from_code(data_dir: Path, code: str) -> bytes:
    slot = protection.recovery_slots(data_dir).get(SLOT)
    if not isinstance(slot, dict):
        raise protection.ProtectionError("this data folder has no recovery code")
    salt = b64d(slot.get("salt"), 16, "salt")
    nonce = b64d(slot.get("nonce"), 12, "nonce")
    sealed = b64d(slot.get("sealed"), 48, "recovery wrap")
    try:
        return AESGCM(kek(code, salt)).decrypt(nonce, sealed, _AAD)
    except InvalidTag:
        raise WrongRecoveryCode("the recovery code is not right") from None
