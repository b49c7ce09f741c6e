"""This device's key pair and the public keys it trusts.

Each device has an Ed25519 key (signs the bundles it writes) and an X25519 key (bundles for
it are encrypted to it). The private keys live in `keys/device-keys.json` in the data
folder, readable by the owner only (0600), not in the database: database backups and
copies sent for support must not carry them. The key id and fingerprint are hashes of both
public keys, so comparing the short fingerprint compares both keys.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ca_desktop.domain.canonical import canonical_json
from ca_desktop.domain.i18n import tr
from ca_desktop.domain.ids import is_uuid
from ca_desktop.services import at_rest
from ca_desktop.services.views import DeviceInfo
from ca_desktop.store import backend, sqlite, sync_queries
from ca_desktop.store.handles import Engine
from ca_desktop.sync import strict_json
from ca_desktop.sync.errors import BundleRejected, SyncError
from ca_desktop.sync.views import TrustedKeyView

KEY_FILE = Path("keys") / "device-keys.json"
PUBLIC_FORMAT = "ca-desktop-public-key"
_KEY_DOMAIN = b"ca-desktop-key-v1"
_PUBFILE_DOMAIN = b"ca-desktop-public-key-v1\n"


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: str, length: int, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise SyncError(tr("{what} is not base64").format(what=what)) from None
    if len(raw) != length:
        raise SyncError(tr("{what} has the wrong length").format(what=what))
    return raw


def _raw(key: Ed25519PublicKey | X25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id_of(signing: bytes, encryption: bytes) -> str:
    return hashlib.sha256(_KEY_DOMAIN + signing + encryption).hexdigest()[:32]


def fingerprint_of(key_id: str) -> str:
    """Five groups of four: short enough to read aloud over a phone line."""
    text = key_id[:20].upper()
    return "-".join(text[i : i + 4] for i in range(0, 20, 4))


@dataclass(frozen=True)
class PublicKey:
    """A device's public keys with who it says it belongs to."""

    device_id: str
    user_name: str
    role: str
    signing: bytes
    encryption: bytes

    @property
    def key_id(self) -> str:
        return key_id_of(self.signing, self.encryption)

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.key_id)

    def verify(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.signing).verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def x25519(self) -> X25519PublicKey:
        return X25519PublicKey.from_public_bytes(self.encryption)


@dataclass(frozen=True)
class DeviceKeys:
    """This device's private keys."""

    device_id: str
    signing: Ed25519PrivateKey
    encryption: X25519PrivateKey

    def public(self, user_name: str, role: str) -> PublicKey:
        return PublicKey(
            self.device_id,
            user_name,
            role,
            _raw(self.signing.public_key()),
            _raw(self.encryption.public_key()),
        )

    @property
    def key_id(self) -> str:
        return key_id_of(_raw(self.signing.public_key()), _raw(self.encryption.public_key()))

    def sign(self, message: bytes) -> bytes:
        return self.signing.sign(message)


def key_path(data_dir: Path) -> Path:
    return data_dir / KEY_FILE


def create_keys(data_dir: Path, device_id: str) -> DeviceKeys:
    """Create the key file once; an existing file for this device is kept as it is."""
    path = key_path(data_dir)
    if path.exists():
        keys = load_keys(data_dir)
        if keys.device_id != device_id:
            raise SyncError(
                tr("{path} belongs to another device; move it away first").format(path=path)
            )
        return keys
    signing, encryption = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    content = json.dumps(
        {
            "version": 1,
            "device_id": device_id,
            "signing_private": b64e(signing.private_bytes_raw()),
            "encryption_private": b64e(encryption.private_bytes_raw()),
        }
    ).encode()
    content = at_rest.seal(data_dir, "device-keys", content)  # encrypted folders only
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".partial")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
        sqlite.fsync_dir(path.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return DeviceKeys(device_id, signing, encryption)


def load_keys(data_dir: Path) -> DeviceKeys:
    path = key_path(data_dir)
    try:
        data = json.loads(at_rest.unseal(data_dir, "device-keys", path.read_bytes()))
        return DeviceKeys(
            data["device_id"],
            Ed25519PrivateKey.from_private_bytes(b64d(data["signing_private"], 32, "signing key")),
            X25519PrivateKey.from_private_bytes(
                b64d(data["encryption_private"], 32, "encryption key")
            ),
        )
    except FileNotFoundError:
        raise SyncError(
            tr("this laptop has no sync keys yet: run 'ca-desktop init' again to create them")
        ) from None
    except at_rest.SealedFileError as exc:
        raise SyncError(f"{path}: {exc}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise SyncError(
            tr("{path} is damaged ({problem}); restore it from a backup").format(
                path=path, problem=exc
            )
        ) from None


def ensure_keys(data_dir: Path, info: DeviceInfo) -> DeviceKeys:
    """The init hook: create the keys at first setup (idempotent).

    After a restore the laptop has a new device id (a new incarnation) but keeps its key:
    the key file names the device id it was made under, one of `info.predecessors`.
    """
    if key_path(data_dir).exists():
        keys = load_keys(data_dir)
        if keys.device_id in info.own_devices:
            return keys
    return create_keys(data_dir, info.device_id)


# -- public key files ---------------------------------------------------------------------


def public_key_json(keys: DeviceKeys, user_name: str, role: str) -> dict[str, Any]:
    """The exportable file content, self-signed so it binds the device id to the keys."""
    pub = keys.public(user_name, role)
    body = {
        "format": PUBLIC_FORMAT,
        "version": 1,
        "key_id": pub.key_id,
        "fingerprint": pub.fingerprint,
        "device_id": pub.device_id,
        "user_name": user_name,
        "role": role,
        "signing_key": b64e(pub.signing),
        "encryption_key": b64e(pub.encryption),
    }
    sig = keys.sign(_PUBFILE_DOMAIN + canonical_json(body).encode())
    return {**body, "signature": b64e(sig)}


def parse_public_key(data: bytes) -> PublicKey:
    """Read and check a public key file; raises SyncError with the reason."""
    try:
        doc = strict_json.loads(data, "public key file", 64 * 1024)
    except BundleRejected as exc:
        raise SyncError(str(exc)) from None
    expected = {
        "format", "version", "key_id", "fingerprint", "device_id", "user_name", "role",
        "signing_key", "encryption_key", "signature",
    }  # fmt: skip
    if not isinstance(doc, dict) or set(doc) != expected:
        raise SyncError(tr("not a CA Desktop public key file"))
    if doc["format"] != PUBLIC_FORMAT or doc["version"] != 1:
        raise SyncError(tr("not a CA Desktop public key file (unknown format or version)"))
    for k in expected - {"version"}:
        if not isinstance(doc[k], str):
            raise SyncError(tr("public key file: {k} must be text").format(k=k))
    if not is_uuid(doc["device_id"]) or doc["role"] not in ("officer", "coordinator"):
        raise SyncError(tr("public key file: bad device id or role"))
    pub = PublicKey(
        doc["device_id"],
        doc["user_name"][:200],
        doc["role"],
        b64d(doc["signing_key"], 32, "signing key"),
        b64d(doc["encryption_key"], 32, "encryption key"),
    )
    if pub.key_id != doc["key_id"] or pub.fingerprint != doc["fingerprint"]:
        raise SyncError(tr("public key file: key id does not match the keys"))
    body = {k: v for k, v in doc.items() if k != "signature"}
    sig = b64d(doc["signature"], 64, "signature")
    if not pub.verify(sig, _PUBFILE_DOMAIN + canonical_json(body).encode()):
        raise SyncError(tr("public key file: the self-signature does not verify (altered file?)"))
    return pub


# -- trust store --------------------------------------------------------------------------


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


ROLES = ("officer", "coordinator")


def normalise_fingerprint(text: str) -> str:
    """A fingerprint as typed or read out: dashes, spaces and case do not count."""
    return "".join(ch for ch in text.upper() if ch not in "- \t")


def check_fingerprint(pub: PublicKey, given: str) -> None:
    """Refuse unless `given` is `pub`'s fingerprint: the check a person makes with the owner."""
    if not given.strip():
        raise SyncError(
            tr(
                "compare the fingerprint with its owner first: this file's key is {fingerprint}; give it with --fingerprint if the owner reads out the same"
            ).format(fingerprint=pub.fingerprint)
        )
    if normalise_fingerprint(given) != normalise_fingerprint(pub.fingerprint):
        raise SyncError(
            tr(
                "the fingerprint does not match this key file: it is not the key of the person who read it out; nothing was trusted"
            )
        )


def trust(
    engine: Engine,
    pub: PublicKey,
    own_key_id: str,
    *,
    fingerprint: str,
    role: str,
    own_devices: tuple[str, ...] = (),
) -> TrustedKeyView:
    """Record that a person compared `pub`'s fingerprint (`fingerprint`, as read out by its
    owner) and accepts it as an officer's or a coordinator's key (`role`, their choice:
    the role written in the file is only a claim).

    The device id in the file is bound to the key for good: the first trust fixes it, and
    a file claiming this laptop's own id, or an id already bound to another key, is
    refused. Trusting a known key again never changes its role or device.
    """
    if role not in ROLES:
        raise SyncError(
            tr("unknown role {role!r}: choose officer or coordinator").format(role=role)
        )
    check_fingerprint(pub, fingerprint)
    if pub.key_id == own_key_id:
        raise SyncError(tr("this is this laptop's own key; trust the other laptop's key instead"))
    if pub.device_id in own_devices:
        raise SyncError(
            tr(
                "this key file claims to be this laptop (its device id is this laptop's own); it is not another laptop's key and was not trusted"
            )
        )
    with backend.write_transaction(engine) as conn:
        found = sync_queries.trusted_key_row(conn, pub.key_id)
        row = TrustedKeyView(**found) if found is not None else None
        if row is not None and row.revoked_at:
            raise SyncError(
                tr(
                    "key {fingerprint} was revoked on {revoked_at}; it cannot be trusted again"
                ).format(fingerprint=pub.fingerprint, revoked_at=row.revoked_at)
            )
        owner = sync_queries.key_of_device(conn, pub.device_id)
        if owner is None:  # work relayed from that laptop already names its key
            owner = next(
                iter(sync_queries.keys_signing_for_device(conn, pub.device_id) - {pub.key_id}), None
            )
        if owner is not None and owner != pub.key_id:
            other = sync_queries.trusted_key_row(conn, owner)
            who = f"{other['user_name']}'s key {other['fingerprint']}" if other else "another key"
            raise SyncError(
                tr(
                    "this key file claims a laptop that belongs to {who}; nothing was trusted"
                ).format(who=who)
            )
        if row is not None and row.device_id != pub.device_id:
            raise SyncError(
                tr(
                    "key {fingerprint} is already trusted for another laptop; a key's laptop never changes, so nothing was trusted"
                ).format(fingerprint=pub.fingerprint)
            )
        if row is not None and row.role != role:
            raise SyncError(
                tr(
                    "key {fingerprint} is already trusted as {role}'s key; trusting it again does not change its role"
                ).format(fingerprint=pub.fingerprint, role=row.role)
            )
        key = TrustedKeyView(
            key_id=pub.key_id,
            device_id=pub.device_id,
            user_name=row.user_name if row else pub.user_name,
            role=role,
            signing_key=b64e(pub.signing),
            encryption_key=b64e(pub.encryption),
            fingerprint=pub.fingerprint,
            trusted_at=row.trusted_at if row else _now(),
            revoked_at=None,
        )
        sync_queries.save_trusted_key(conn, dataclasses.asdict(key))
    return key


def revoke(engine: Engine, key_ref: str) -> TrustedKeyView:
    """Stop trusting a key (by key id, fingerprint or a unique prefix of either)."""
    with backend.write_transaction(engine) as conn:
        row = find_trusted(conn, key_ref)
        if row.revoked_at:
            raise SyncError(
                tr("key {fingerprint} is already revoked").format(fingerprint=row.fingerprint)
            )
        when = _now()
        sync_queries.set_key_revoked(conn, row.key_id, when)
        return dataclasses.replace(row, revoked_at=when)


def find_trusted(conn: Any, key_ref: str) -> TrustedKeyView:
    ref = key_ref.strip().lower().replace("-", "")
    if len(ref) < 4:
        raise SyncError(tr("give at least four characters of the key id or fingerprint"))
    rows = [TrustedKeyView(**r) for r in sync_queries.trusted_key_rows(conn)]
    hits = [r for r in rows if r.key_id.startswith(ref)]
    if not hits:
        raise SyncError(tr("no trusted key matches {key_ref!r}").format(key_ref=key_ref))
    if len(hits) > 1:
        raise SyncError(
            tr("{key_ref!r} matches {count} keys; give more characters").format(
                key_ref=key_ref, count=len(hits)
            )
        )
    return hits[0]


def trusted_keys(engine: Engine) -> list[TrustedKeyView]:
    with engine.connect() as conn:
        return [TrustedKeyView(**r) for r in sync_queries.trusted_key_rows(conn)]


def public_of(row: TrustedKeyView) -> PublicKey:
    return PublicKey(
        row.device_id,
        row.user_name,
        row.role,
        b64d(row.signing_key, 32, "signing key"),
        b64d(row.encryption_key, 32, "encryption key"),
    )
