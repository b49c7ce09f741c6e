"""Plain, frozen copies of the sync ledgers' rows: what `SyncService` hands to the GUI and CLI.

The field names are those of the stored columns, so `TrustedKeyView(**row)` builds one from
a row of `store.sync_queries` and a caller reads the same attributes it always did.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrustedKeyView:
    """A public key whose fingerprint a person compared and accepted."""

    key_id: str
    device_id: str
    user_name: str
    role: str
    signing_key: str  # base64 Ed25519 public key
    encryption_key: str  # base64 X25519 public key
    fingerprint: str
    trusted_at: str
    revoked_at: str | None = None
    vouched_by: str | None = None  # key id of the coordinator whose signed list added it


@dataclass(frozen=True)
class ImportView:
    """One bundle applied here (a row of the import ledger)."""

    bundle_id: str
    kind: str
    sender_key_id: str
    sender_device_id: str
    sender_seq: int
    imported_at: str
    sender_name: str = ""
    file_name: str = ""
    file_sha256: str = ""
    revisions_new: int = 0
    revisions_known: int = 0
    records_new: int = 0
    records_updated: int = 0
    conflicts: int = 0
    flagged_clocks: int = 0


@dataclass(frozen=True)
class ExportView:
    """One bundle written here."""

    bundle_id: str
    kind: str
    sender_seq: int
    exported_at: str
    recipient_key_id: str | None = None
    recipient_name: str | None = None
    file_name: str = ""
    file_sha256: str = ""
    revisions: int = 0
    blobs: int = 0
    encrypted: bool = False
    full: bool = False
