"""Revision signatures: the author's key signs each revision, so anyone may relay it.

A bundle's manifest signature proves who carried the bundle; this proves who *made* each
revision inside it. The device and author of a revision are those of the key that signed
it, whoever relays it (issue 10): an officer may hand a coordinator its own edits back
after a restore, and cannot alter or invent anyone else's on the way.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.revision import Revision
from ca_desktop.store import sync_queries
from ca_desktop.store.handles import Connection
from ca_desktop.sync.errors import BundleRejected
from ca_desktop.sync.keys import DeviceKeys, b64e

REVISION_DOMAIN = b"ca-desktop-revision-v1\n"
CAPABILITY = "signatures/1"  # a bundle whose lines carry "sig" requires this of its reader
_KEY_ID = re.compile(r"[0-9a-f]{32}")


def sign_revision(keys: DeviceKeys, rev_id: str) -> tuple[str, str]:
    """(key id, base64 signature) of one revision made on this laptop."""
    return keys.key_id, b64e(keys.sign(REVISION_DOMAIN + rev_id.encode("ascii")))


def parse_sig(value: object, where: str) -> tuple[str, str]:
    """A line's "sig" member -> (key id, base64 signature); BundleRejected when malformed."""
    ok = (
        isinstance(value, dict)
        and set(value) == {"key", "value"}
        and isinstance(value["key"], str)
        and bool(_KEY_ID.fullmatch(value["key"]))
        and isinstance(value["value"], str)
        and len(value["value"]) == 88
    )
    if ok:
        try:
            ok = len(base64.b64decode(value["value"], validate=True)) == 64  # type: ignore[index]
        except (binascii.Error, ValueError):
            ok = False
    if not ok:
        raise BundleRejected(tr("{where}: malformed signature").format(where=where))
    return value["key"], value["value"]  # type: ignore[index]


class AuthorCheck:
    """Checks revision signatures against trusted keys (and our own), one key cached each.

    `senders` are the device ids the bundle's signer speaks for; their revisions need no
    signature of their own. Anything else in a field export must be signed by its author.
    """

    def __init__(
        self, conn: Connection, own: DeviceKeys, senders: Iterable[str], sender_key: str
    ) -> None:
        self.conn = conn
        self.sender_key = sender_key
        self.own = own
        self.senders = set(senders)
        self._keys: dict[str, Ed25519PublicKey | None] = {}
        self._owner: dict[str, str | None] = {}
        self._names: dict[str, str | None] = {}
        self.verified: list[tuple[str, str, str]] = []  # (rev_id, key id, signature) to keep
        self.bind: dict[str, str] = {}  # device id -> key id learnt from a signature

    def _public(self, key_id: str) -> Ed25519PublicKey | None:
        if key_id not in self._keys:
            if key_id == self.own.key_id:
                self._keys[key_id] = self.own.signing.public_key()
            else:
                row = sync_queries.trusted_key_row(self.conn, key_id)
                usable = row is not None and not row["revoked_at"]
                raw = base64.b64decode(row["signing_key"]) if usable and row else None
                self._keys[key_id] = Ed25519PublicKey.from_public_bytes(raw) if raw else None
        return self._keys[key_id]

    def _device_owner(self, device_id: str) -> str | None:
        if device_id not in self._owner:
            self._owner[device_id] = sync_queries.key_of_device(self.conn, device_id)
        return self._owner[device_id]

    def _name(self, key_id: str) -> str | None:
        """The person a trusted key belongs to, as its trust recorded it."""
        if key_id not in self._names:
            row = sync_queries.trusted_key_row(self.conn, key_id)
            self._names[key_id] = str(row["user_name"]) if row is not None else None
        return self._names[key_id]

    def _check_author(self, rev: Revision, key_id: str) -> None:
        """The author a revision names is the person bound to the key that signed it.

        The key's signature (or the bundle's, for the sender's own revisions) covers the
        author through the revision id, so only the key's holder chose it; what remains
        is that the holder named itself. Our own key is exempt: we made those revisions,
        under whatever name this laptop had then.
        """
        if key_id == self.own.key_id:
            return
        name = self._name(key_id)
        if name is not None and rev.author != name:
            raise BundleRejected(
                tr(
                    "forged author: {record_type} {record_id} claims author {author!r}, but it is signed by the key of {name!r}"
                ).format(
                    record_type=rev.record_type,
                    record_id=rev.record_id,
                    author=rev.author[:60],
                    name=name[:60],
                )
            )

    def check(self, rev: Revision, relayed_needs_signature: bool) -> None:
        """Raise BundleRejected unless `rev`'s authorship holds (see the class doc)."""
        own_work = rev.device_id in self.senders
        if rev.signed is None:
            if relayed_needs_signature and not own_work:
                raise BundleRejected(
                    tr(
                        "spoofed origin device: revision {rev_id} claims device {device_id} without its author's signature"
                    ).format(rev_id=rev.rev_id[:12], device_id=rev.device_id[:8])
                )
            if own_work:
                self._check_author(rev, self.sender_key)
            return
        key_id, signature = rev.signed
        if own_work and key_id == self.sender_key:
            self._check_author(rev, key_id)
            # The bundle's own signature already proves its sender made these; checking
            # each again would double the import's cost. Kept for relaying: a later
            # receiver checks it (see docs/sync-bundle-format.md, "Authorship").
            self.verified.append((rev.rev_id, key_id, signature))
            return
        public = self._public(key_id)
        if public is None:
            if relayed_needs_signature and not own_work:
                raise BundleRejected(
                    tr("revision {rev_id} is signed by a key this laptop does not trust").format(
                        rev_id=rev.rev_id[:12]
                    )
                )
            # Carried by a trusted coordinator, who vouches as before signatures existed;
            # kept, so a laptop that does trust the key can check it when it is relayed on.
            self.verified.append((rev.rev_id, key_id, signature))
            return
        try:
            public.verify(base64.b64decode(signature), REVISION_DOMAIN + rev.rev_id.encode())
        except InvalidSignature:
            raise BundleRejected(
                tr("revision {rev_id}: bad author signature").format(rev_id=rev.rev_id[:12])
            ) from None
        owner = self.bind.get(rev.device_id) or self._device_owner(rev.device_id)
        if owner is not None and owner != key_id:
            raise BundleRejected(
                tr(
                    "spoofed origin device: revision {rev_id} is signed by another key than device {device_id}'s"
                ).format(rev_id=rev.rev_id[:12], device_id=rev.device_id[:8])
            )
        self._check_author(rev, key_id)
        self.bind[rev.device_id] = key_id
        self.verified.append((rev.rev_id, key_id, signature))
