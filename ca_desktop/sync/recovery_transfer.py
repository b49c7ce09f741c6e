"""From the coordinator's laptop back to the officer's: the recovery file and its code.

The coordinator opens the box an officer's bundle brought (`recovery_entry.py`) with its
own private key and writes the officer's data key into a small file, wrapped with a fresh
one-time code shown once on the coordinator's screen. The file travels on a stick, the
code by phone: neither alone gives anything. On the officer's laptop `db recover
--coordinator-file FILE --code-file CODE` unwraps it, checks it opens that laptop's
database, and sets a new passphrase. (The officer's own private key is sealed at rest
with the forgotten key, so the file cannot be sealed to it.)
"""

from __future__ import annotations

import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ca_desktop.domain.canonical import canonical_json
from ca_desktop.services import protection, recovery_code
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.atomic import atomic_output
from ca_desktop.services.data_folder import check_database_key
from ca_desktop.services.errors import DatabaseDamaged
from ca_desktop.services.protection import b64d, b64e
from ca_desktop.sync import recovery_entry, strict_json
from ca_desktop.sync.errors import BundleRejected, SyncError
from ca_desktop.sync.keys import find_trusted, load_keys
from ca_desktop.sync.recovery import open_sealed

FORMAT = "ca-desktop-recovery-file"
VERSION = 1
MAX_BYTES = 4096
_AAD = b"ca-desktop recovery file v1"


def write_recovery_file(app: CaDesktop, key_ref: str, out: Path) -> tuple[str, str]:
    """Write the recovery file for the officer whose key matches `key_ref`.

    Returns (the officer's name, the one-time code to read out to them).
    """
    with app.db.engine.connect() as conn:
        officer = find_trusted(conn, key_ref)
        box = recovery_entry.stored(conn, officer.key_id)
    if box is None:
        raise SyncError(
            f"no recovery key has come from {officer.user_name[:60]}'s laptop yet: it travels "
            "in their next bundle encrypted to you"
        )
    data_key = open_sealed(load_keys(app.data_dir).encryption, box)
    code = recovery_code.new_code()
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    wrapped = AESGCM(recovery_code.kek(code, salt, _AAD)).encrypt(nonce, data_key, _AAD)
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "device_id": box["device_id"],
        "salt": b64e(salt),
        "nonce": b64e(nonce),
        "wrapped": b64e(wrapped),
    }
    with atomic_output(out) as tmp:
        tmp.write_bytes(canonical_json(doc).encode())
    return officer.user_name, code


def key_from_recovery_file(officer_dir: Path, data: bytes, code: str) -> bytes:
    """The folder's data key from a coordinator's recovery file and its code; checked."""
    try:
        doc = strict_json.loads(data, "recovery file", MAX_BYTES)
    except BundleRejected:
        raise protection.ProtectionError("this is not a recovery file") from None
    fields = {"format", "version", "device_id", "salt", "nonce", "wrapped"}
    if not isinstance(doc, dict) or set(doc) != fields or doc["format"] != FORMAT:
        raise protection.ProtectionError("this is not a recovery file")
    if doc["version"] != VERSION:
        raise protection.ProtectionError("update CA Desktop to read this recovery file")
    salt = b64d(doc["salt"], 16, "salt")
    nonce = b64d(doc["nonce"], 12, "nonce")
    wrapped = b64d(doc["wrapped"], 48, "wrapped key")
    try:
        key = AESGCM(recovery_code.kek(code, salt, _AAD)).decrypt(nonce, wrapped, _AAD)
    except InvalidTag:
        raise recovery_code.WrongRecoveryCode("the code does not open this recovery file") from None
    try:
        check_database_key(officer_dir, key)
    except DatabaseDamaged:
        raise protection.ProtectionError("this recovery file is for another laptop") from None
    return key
