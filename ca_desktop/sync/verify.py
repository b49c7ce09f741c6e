"""The checks of a bundle before its revisions: signer, recipient, ledger, replay, entries.

`verify_bundle` runs every check and writes nothing (`bundle inspect`); an import runs
the same checks inside its one write transaction (`apply.py`), with the revisions'
checks in `revision_checks.py`. Order matters for the messages people see: who signed it first (an unknown signer is the
common case and needs a clear answer), then whether we already have it, then the content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ca_desktop.domain.i18n import tr
from ca_desktop.services.views import DeviceInfo
from ca_desktop.store import sync_queries
from ca_desktop.store.handles import Connection
from ca_desktop.sync import authorization, recovery_entry, state, trust_list
from ca_desktop.sync.errors import BundleRejected, UnknownSigner
from ca_desktop.sync.keys import DeviceKeys, fingerprint_of, public_of
from ca_desktop.sync.manifest import Manifest
from ca_desktop.sync.reader import OpenBundle
from ca_desktop.sync.recovery_entry import SealedKey
from ca_desktop.sync.revision_checks import RevisionChecks
from ca_desktop.sync.trust_list import TrustList
from ca_desktop.sync.views import TrustedKeyView

Tick = Callable[[int], None]


@dataclass
class VerifiedBundle:
    """What the checks of a bundle's manifest, signer and receipt found. The revisions are
    not kept: `RevisionChecks.batches` reads them again in bounded batches."""

    manifest: Manifest
    signer: TrustedKeyView
    file_sha256: str
    already_imported: str | None = None  # when, if this bundle id is in the ledger
    receipt: dict[str, int] = field(default_factory=dict)
    blob_names: list[str] = field(default_factory=list)
    trust_list: TrustList | None = None  # a coordinator's signed key list, checked
    recovery: SealedKey | None = None  # the sender's data key sealed to this laptop, checked


def check_signer(conn: Connection, bundle: OpenBundle) -> TrustedKeyView:
    """The trusted, unrevoked key that signed the manifest, bound to the sender device."""
    m = bundle.manifest
    row = sync_queries.trusted_key_row(conn, m.sender.key_id)
    name, fingerprint = m.sender.user_name[:60], fingerprint_of(m.sender.key_id)
    if row is None:
        raise UnknownSigner(
            tr(
                "signed by an unknown key ({name!r}, key {fingerprint}); compare fingerprints "
                "and trust it with 'keys trust' first"
            ).format(name=name, fingerprint=fingerprint)
        )
    key = TrustedKeyView(**row)
    if key.revoked_at:
        raise BundleRejected(
            tr(
                "signed by a revoked key ({name!r}, key {fingerprint}, revoked {revoked_at})"
            ).format(name=name, fingerprint=fingerprint, revoked_at=key.revoked_at)
        )
    bundle.verify_signature(public_of(key))
    check_incarnations(conn, m, key)
    if m.kind != "field_export" and key.role != "coordinator":
        raise BundleRejected(
            tr("a {value} bundle signed by {user_name}, who is not a trusted coordinator").format(
                value=m.kind.replace("_", " "), user_name=key.user_name
            )
        )
    return key


def check_incarnations(conn: Connection, m: Manifest, key: TrustedKeyView) -> None:
    """The sender device is the key's own device or a later incarnation of it (a restore).

    A restored laptop signs with the same key under a new device id and names its earlier
    ids, which must include the device the key was made under. No id may belong to
    another key: a key can never speak for someone else's laptop.
    """
    claimed = (m.sender.device_id, *m.predecessors)
    if key.device_id not in claimed:
        raise BundleRejected(
            tr(
                "spoofed origin device: the manifest claims device {device_id} but the key belongs to device {device_id2}"
            ).format(device_id=m.sender.device_id[:8], device_id2=key.device_id[:8])
        )
    for device in claimed:
        owner = sync_queries.key_of_device(conn, device)
        if owner is not None and owner != key.key_id:
            raise BundleRejected(
                tr("spoofed origin device: device {device} belongs to another key").format(
                    device=device[:8]
                )
            )


def verify_header(
    conn: Connection, bundle: OpenBundle, own: DeviceInfo, own_keys: DeviceKeys
) -> VerifiedBundle:
    """Checks 1-9 of the format (signer, recipient, ledger, replay, programme, entries)
    and the receipt; `already_imported` is set, and nothing more checked, for a bundle in
    the ledger."""
    m = bundle.manifest
    signer = check_signer(conn, bundle)
    if not m.addressed_to(own_keys.key_id):
        raise BundleRejected(
            tr("the bundle is addressed to another device (key {recipient})").format(
                recipient=fingerprint_of(m.recipient or m.recipients[0])
            )
        )
    check_envelope_recipients(bundle)
    result = VerifiedBundle(m, signer, bundle.file_sha256)
    done = sync_queries.imported_at(conn, m.bundle_id)
    if done:
        result.already_imported = done
        return result
    check_replay(conn, m)
    check_programme(conn, m, own)
    bundle.check_listed()
    result.receipt = state.parse_state(bundle.read_state())
    result.trust_list = trust_list.read(bundle, m, signer, own_keys.key_id, own.own_devices)
    result.recovery = recovery_entry.read(bundle, m, signer, own_keys)
    result.blob_names = sorted(n for n in m.entries if n.startswith("blobs/"))
    return result


def verify_bundle(
    conn: Connection, bundle: OpenBundle, own: DeviceInfo, own_keys: DeviceKeys, tick: Tick
) -> VerifiedBundle:
    """Every check of an import, writing nothing (`bundle inspect`); raises BundleRejected
    with the first problem found. Memory stays bounded: revisions are checked in batches."""
    result = verify_header(conn, bundle, own, own_keys)
    if result.already_imported:
        return result
    m = bundle.manifest
    checks = RevisionChecks(conn, m, own_keys)
    senders = {m.sender.device_id, *m.predecessors}
    try:
        for batch in checks.batches(bundle, tick):
            # Who may change what: a refusal (a second first version) shows here too.
            authorization.screen(
                conn, batch.revisions, m.sender.key_id, senders, checks.bindings, own,
                own_keys.key_id,
            )  # fmt: skip
    finally:
        checks.close()
    for name in result.blob_names:
        bundle.check_blob(name)
    return result


def check_envelope_recipients(bundle: OpenBundle) -> None:
    """The envelope names exactly the keys the signed manifest names: nobody added or
    dropped a recipient after the sender signed (an encrypted bundle only)."""
    if not bundle.encrypted:
        return
    m = bundle.manifest
    signed = sorted(m.recipients) if m.recipients else [m.recipient] if m.recipient else []
    if sorted(bundle.envelope_recipients) != signed:
        raise BundleRejected(
            tr("the bundle's encryption names other recipients than its signed manifest")
        )


def check_replay(conn: Connection, m: Manifest) -> None:
    """A coordinator's bundles apply in order: an older one must not undo newer receipts.

    Bundle numbers count per incarnation: a restored coordinator starts again from its
    backup's counter under a new device id, and that is no replay.
    """
    seen = sync_queries.peer_incarnation(conn, m.sender.key_id)
    if seen is None or seen[0] != m.sender.device_id:
        return
    last = seen[1]
    if m.kind != "field_export" and m.sender_seq <= last:
        raise BundleRejected(
            tr(
                "replayed older coordinator bundle: #{sender_seq} from {user_name}, but #{last} was already imported"
            ).format(sender_seq=m.sender_seq, user_name=m.sender.user_name, last=last)
        )


def check_programme(conn: Connection, m: Manifest, own: DeviceInfo) -> None:
    code = m.sender.programme
    if code is None or code == own.programme_code:
        return
    if not sync_queries.programme_known(conn, code):
        raise BundleRejected(
            tr("the bundle is for programme {code!r}, unknown on this laptop").format(
                code=code[:40]
            )
        )
