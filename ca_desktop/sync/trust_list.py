"""The coordinator-signed list of the programme's keys: one fingerprint check per officer.

An officer compares one fingerprint, the coordinator's. The coordinator's bundles then
carry `trust.json`: the keys the coordinator trusts (with the roles and laptops the
coordinator chose) and the keys it revoked, signed by the coordinator's key on its own
(so the list means the same wherever it travels) and versioned by the coordinator's clock
at writing. A laptop applies a list only from a coordinator key a person here trusted
(never from a key that a list added: no chains), adds the listed keys as "vouched by"
that coordinator and applies its revocations. A person's own choices win: a key trusted
here keeps its role and laptop, and nothing in a list can speak for this laptop.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ca_desktop.domain.canonical import canonical_json
from ca_desktop.domain.i18n import tr
from ca_desktop.domain.ids import is_uuid
from ca_desktop.store import device_queries, sync_queries
from ca_desktop.store.handles import Connection
from ca_desktop.sync import strict_json
from ca_desktop.sync.container import TRUST_LIST
from ca_desktop.sync.errors import BundleRejected, SyncError
from ca_desktop.sync.keys import ROLES, DeviceKeys, b64d, fingerprint_of, key_id_of, public_of
from ca_desktop.sync.manifest import Manifest
from ca_desktop.sync.views import TrustedKeyView

ENTRY = TRUST_LIST  # "trust.json"
CAPABILITY = "trust-list/1"
FORMAT = "ca-desktop-trust-list"
VERSION = 1
DOMAIN = b"ca-desktop-trust-list-v1\n"
MAX_BYTES = 8 * 1024 * 1024
MAX_KEYS = 10_000
_KEY_ID = re.compile(r"[0-9a-f]{32}")
_ISSUED = re.compile(r"[0-9]{13}\.[0-9]{5}")  # the issuer's clock: string order is time order
_META = "trust_list:"  # meta key prefix: issuer key id -> `issued` of the newest list applied


@dataclass(frozen=True)
class ListedKey:
    key_id: str
    device_id: str
    user_name: str
    role: str
    signing_key: str
    encryption_key: str


@dataclass(frozen=True)
class TrustList:
    issuer: str
    issued: str
    keys: tuple[ListedKey, ...]
    revoked: tuple[tuple[str, str], ...]  # (key id, revoked at)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


# -- writing (coordinators) -----------------------------------------------------------------


def build(conn: Connection, keys: DeviceKeys, issued: str) -> bytes:
    """The signed list of the keys this laptop's user trusted here, and of all it revoked."""
    rows = [TrustedKeyView(**r) for r in sync_queries.trusted_key_rows(conn)]
    listed = [
        {
            "key_id": r.key_id,
            "device_id": r.device_id,
            "user_name": r.user_name,
            "role": r.role,
            "signing_key": r.signing_key,
            "encryption_key": r.encryption_key,
        }  # fmt: skip
        for r in rows
        if not r.revoked_at and r.vouched_by is None
    ]
    revoked = [{"key_id": r.key_id, "revoked_at": r.revoked_at} for r in rows if r.revoked_at]
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "issuer": keys.key_id,
        "issued": issued,
        "keys": sorted(listed, key=lambda k: k["key_id"]),
        "revoked": sorted(revoked, key=lambda k: str(k["key_id"])),
    }
    signature = keys.sign(DOMAIN + canonical_json(doc).encode())
    body = {"list": doc, "signature": base64.b64encode(signature).decode("ascii")}
    return canonical_json(body).encode()


# -- reading (phase 1: checks only) ---------------------------------------------------------


def _want(cond: bool, what: str) -> None:
    if not cond:
        raise BundleRejected(
            tr("the coordinator's key list is malformed ({what})").format(what=what)
        )


def _text(v: Any, limit: int) -> bool:
    return isinstance(v, str) and 0 < len(v) <= limit


def _listed(item: Any) -> ListedKey:
    fields = {"key_id", "device_id", "user_name", "role", "signing_key", "encryption_key"}
    _want(isinstance(item, dict) and set(item) == fields, "key fields")
    _want(isinstance(item["key_id"], str) and bool(_KEY_ID.fullmatch(item["key_id"])), "key id")
    _want(is_uuid(item["device_id"]), "device id")
    _want(_text(item["user_name"], 200), "user name")
    _want(item["role"] in ROLES, "role")
    try:
        signing = b64d(str(item["signing_key"]), 32, "signing key")
        encryption = b64d(str(item["encryption_key"]), 32, "encryption key")
    except SyncError:
        raise BundleRejected(tr("the coordinator's key list is malformed (keys)")) from None
    _want(key_id_of(signing, encryption) == item["key_id"], "a key id does not match its keys")
    return ListedKey(**item)


def read(
    bundle: Any,
    m: Manifest,
    signer: TrustedKeyView,
    own_key_id: str,
    own_devices: tuple[str, ...],
) -> TrustList | None:
    """The bundle's key list, checked (shape, issuer, signature); None when it has none.

    `bundle` is an open bundle (`reader.OpenBundle`). The list must be listed in the signed
    manifest, required by it, and signed on its own by the bundle's signer, a coordinator.
    Entries naming this laptop's key or devices are left out: no list speaks for it.
    """
    present = ENTRY in m.entries
    if present != (CAPABILITY in m.requires):
        raise BundleRejected(tr("the coordinator's key list and its requirement do not match"))
    if not present:
        return None
    if m.kind == "field_export" or signer.role != "coordinator":
        raise BundleRejected(tr("a key list is only accepted from a trusted coordinator"))
    doc = strict_json.loads(b"".join(bundle.chunks(ENTRY, MAX_BYTES)), ENTRY, MAX_BYTES)
    _want(isinstance(doc, dict) and set(doc) == {"list", "signature"}, "fields")
    body = doc["list"]
    top = {"format", "version", "issuer", "issued", "keys", "revoked"}
    _want(isinstance(body, dict) and set(body) == top, "list fields")
    _want(body["format"] == FORMAT, "format")
    if body["version"] != VERSION:
        raise BundleRejected(
            tr(
                "the coordinator's key list has version {value}; update CA Desktop to read it"
            ).format(value=str(body["version"])[:10])
        )
    _want(body["issuer"] == signer.key_id, "issued by another key than the bundle's signer")
    _want(isinstance(body["issued"], str) and bool(_ISSUED.fullmatch(body["issued"])), "issued")
    _want(isinstance(body["keys"], list) and len(body["keys"]) <= MAX_KEYS, "keys")
    _want(isinstance(body["revoked"], list) and len(body["revoked"]) <= MAX_KEYS, "revoked")
    try:
        sig = b64d(str(doc["signature"]), 64, "signature")
    except SyncError:
        raise BundleRejected(tr("the coordinator's key list is malformed (signature)")) from None
    if not public_of(signer).verify(sig, DOMAIN + canonical_json(body).encode()):
        raise BundleRejected(tr("the coordinator's key list does not match its signature"))
    listed = tuple(
        k
        for k in (_listed(item) for item in body["keys"])
        if k.key_id != own_key_id and k.device_id not in own_devices
    )
    revoked = []
    for item in body["revoked"]:
        _want(isinstance(item, dict) and set(item) == {"key_id", "revoked_at"}, "revocation")
        _want(isinstance(item["key_id"], str) and bool(_KEY_ID.fullmatch(item["key_id"])), "key")
        _want(_text(item["revoked_at"], 40), "revoked at")
        revoked.append((item["key_id"], item["revoked_at"]))
    return TrustList(signer.key_id, body["issued"], listed, tuple(revoked))


# -- applying (phase 2, inside the import's transaction) ------------------------------------


def apply(conn: Connection, tl: TrustList | None) -> None:
    """Add the listed keys and apply the revocations, if a person here trusted the issuer."""
    if tl is None:
        return
    found = sync_queries.trusted_key_row(conn, tl.issuer)
    issuer = TrustedKeyView(**found) if found else None
    if issuer is None or issuer.revoked_at or issuer.vouched_by or issuer.role != "coordinator":
        return  # only a coordinator key trusted by a person here speaks for the programme
    last = device_queries.meta_value(conn, _META + tl.issuer)
    if last is not None and tl.issued <= last:
        return  # an older list than one already applied: it must not undo newer changes
    device_queries.set_meta_value(conn, _META + tl.issuer, tl.issued)
    for key_id, when in tl.revoked:
        row = sync_queries.trusted_key_row(conn, key_id)
        if row is not None and not row["revoked_at"] and key_id != tl.issuer:
            sync_queries.set_key_revoked(conn, key_id, when)
    for k in tl.keys:
        _add(conn, k, tl.issuer)


def _add(conn: Connection, k: ListedKey, issuer: str) -> None:
    if k.key_id == issuer:
        return  # a list does not re-vouch for its own issuer
    row = sync_queries.trusted_key_row(conn, k.key_id)
    owner = sync_queries.key_of_device(conn, k.device_id)
    if owner is not None and owner != k.key_id:
        return  # the laptop is bound to another key for good
    if row is not None and (
        row["revoked_at"] or row["vouched_by"] != issuer or row["device_id"] != k.device_id
    ):
        return  # revoked, trusted by a person here, or vouched by another coordinator
    sync_queries.save_trusted_key(
        conn,
        {
            "key_id": k.key_id, "device_id": k.device_id, "user_name": k.user_name,
            "role": k.role, "signing_key": k.signing_key, "encryption_key": k.encryption_key,
            "fingerprint": fingerprint_of(k.key_id),
            "trusted_at": row["trusted_at"] if row else _now(),
            "revoked_at": None, "vouched_by": issuer,
        },
    )  # fmt: skip
