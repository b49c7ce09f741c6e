"""Tables of the sync layer: trusted keys, peers' receipts, the import ledger, exports.

The device's own private keys are not here but in files under the data folder (see
`ca_desktop.sync.keys`): a database backup or copy sent for support must not carry them.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class TrustedKey(SQLModel, table=True):
    """A public key whose fingerprint a person compared and accepted."""

    __tablename__ = "trusted_key"
    key_id: str = Field(primary_key=True, max_length=32)
    device_id: str = Field(index=True, max_length=36)
    user_name: str
    role: str
    signing_key: str  # base64 Ed25519 public key
    encryption_key: str  # base64 X25519 public key
    fingerprint: str
    trusted_at: str
    revoked_at: str | None = None
    # The coordinator key whose signed list added this key; None: a person here trusted it.
    vouched_by: str | None = Field(default=None, max_length=32)


class SyncPeer(SQLModel, table=True):
    """What a peer told us in its newest bundle: its known-state vector (our receipt)."""

    __tablename__ = "sync_peer"
    key_id: str = Field(primary_key=True, max_length=32)
    device_id: str = Field(max_length=36)
    last_sender_seq: int = 0
    last_bundle_id: str = ""
    receipt: str = "{}"  # JSON {device_id: contiguous seq} the peer had when it exported
    updated_at: str = ""


class SyncImport(SQLModel, table=True):
    """The import ledger: one row per bundle applied here, so a second import is a no-op."""

    __tablename__ = "sync_import"
    bundle_id: str = Field(primary_key=True, max_length=36)
    kind: str
    sender_key_id: str = Field(index=True, max_length=32)
    sender_device_id: str = Field(max_length=36)
    sender_name: str = ""
    sender_seq: int
    file_name: str = ""
    file_sha256: str = ""
    imported_at: str
    revisions_new: int = 0
    revisions_known: int = 0
    records_new: int = 0
    records_updated: int = 0
    conflicts: int = 0
    flagged_clocks: int = 0


class SyncExport(SQLModel, table=True):
    """Bundles written here, for the Sync page's history and the next sender sequence."""

    __tablename__ = "sync_export"
    bundle_id: str = Field(primary_key=True, max_length=36)
    kind: str
    sender_seq: int = Field(index=True)
    recipient_key_id: str | None = None
    recipient_name: str | None = None
    file_name: str = ""
    file_sha256: str = ""
    exported_at: str
    revisions: int = 0
    blobs: int = 0
    encrypted: bool = False
    full: bool = False


class RevisionSignature(SQLModel, table=True):
    """Its author's signature of a revision, so any laptop may relay it (issue 10).

    Ed25519 over a domain string and the revision id, by the key of the device that made
    it; checked on import, kept to hand on. Not part of the revision's content hash.
    """

    __tablename__ = "revision_signature"
    rev_id: str = Field(primary_key=True, max_length=64)
    key_id: str = Field(max_length=32)
    signature: str  # base64, 64 bytes
