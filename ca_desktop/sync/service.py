"""`SyncService`: the Qt-free API the Sync page and the command line call.

Long operations take a `progress(done, total) -> keep_going` callback and are meant to run
on a worker thread; everything returned is plain data.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.jobs import Cancelled, Progress
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.erasure import finish_erasures
from ca_desktop.services.laptops import laptop_names
from ca_desktop.services.views import RecordView
from ca_desktop.store import sync_queries
from ca_desktop.sync import conflicts, keys, proposals
from ca_desktop.sync.conflicts import Conflict
from ca_desktop.sync.errors import SyncError
from ca_desktop.sync.export import ExportResult, export_bundle
from ca_desktop.sync.importer import (
    ImportResult,
    Inspection,
    expand_paths,
    import_file,
    inspect_file,
)
from ca_desktop.sync.views import ExportView, ImportView, ProposalView, TrustedKeyView


@dataclass(frozen=True)
class OwnKey:
    key_id: str
    fingerprint: str
    device_id: str
    user_name: str
    role: str


@dataclass(frozen=True)
class KnownDevice:
    """A device we hold revisions of, with its newest bundle and any gap in its sequence."""

    device_id: str
    name: str
    contiguous_seq: int
    max_seq: int
    last_bundle_at: str | None
    missing: int  # sequence numbers below max_seq we do not have
    laptop: str = ""  # "Amina K. · 4F2A-91C0" (services/laptops.py), never a device id


class SyncService:
    def __init__(self, app: CaDesktop) -> None:
        self.app = app

    # -- keys -----------------------------------------------------------------------------

    def own_key(self) -> OwnKey:
        """This laptop's key id and fingerprint (creating the keys if an old setup lacks them)."""
        info = self.app.device()
        if info is None:
            raise SyncError(tr("this laptop is not set up yet: run 'ca-desktop init'"))
        device_keys = keys.ensure_keys(self.app.data_dir, info)
        return OwnKey(
            device_keys.key_id, keys.fingerprint_of(device_keys.key_id), info.device_id,
            info.user_name, info.role,
        )  # fmt: skip

    def export_public_key(self, out: Path) -> OwnKey:
        """Write this laptop's public keys (never the private ones) to `out`."""
        own = self.own_key()
        doc = keys.public_key_json(keys.load_keys(self.app.data_dir), own.user_name, own.role)
        out.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        return own

    def read_public_key(self, path: Path) -> keys.PublicKey:
        """Parse a public key file (to show its fingerprint before trusting it)."""
        return keys.parse_public_key(path.read_bytes())

    def trust(self, path: Path, fingerprint: str, role: str = "officer") -> TrustedKeyView:
        """Trust the key in `path` as an officer's or coordinator's (`role`, the user's
        choice), if `fingerprint` (as its owner read it out) matches; see `keys.trust`."""
        own = self.own_key()
        info = self.app.device()
        return keys.trust(
            self.app.db.engine,
            self.read_public_key(path),
            own.key_id,
            fingerprint=fingerprint,
            role=role,
            own_devices=info.own_devices if info else (own.device_id,),
        )

    def revoke(self, key_ref: str) -> TrustedKeyView:
        return keys.revoke(self.app.db.engine, key_ref)

    def trusted_keys(self) -> list[TrustedKeyView]:
        return keys.trusted_keys(self.app.db.engine)

    def recipient(self, ref: str | Path | None) -> keys.PublicKey | None:
        """The export recipient: a public key file, a trusted key id or fingerprint, or,
        with None, the only trusted coordinator (officers) / None when there is none."""
        if isinstance(ref, Path):
            pub = self.read_public_key(ref)
            with self.app.db.engine.connect() as conn:
                found = sync_queries.trusted_key_row(conn, pub.key_id)
            if found is None:
                raise SyncError(
                    tr(
                        "key {fingerprint} is not trusted here: compare its fingerprint with its owner and trust it first ('keys trust'), so work is never encrypted to an outsider"
                    ).format(fingerprint=pub.fingerprint)
                )
            if found["revoked_at"]:
                raise SyncError(
                    tr("key {fingerprint} is revoked; nothing is sent to it").format(
                        fingerprint=pub.fingerprint
                    )
                )
            return keys.public_of(TrustedKeyView(**found))
        if ref is not None:
            with self.app.db.engine.connect() as conn:
                row = keys.find_trusted(conn, ref)
            if row.revoked_at:
                raise SyncError(
                    tr("key {fingerprint} is revoked").format(fingerprint=row.fingerprint)
                )
            return keys.public_of(row)
        defaults = self.default_recipients()
        if len(defaults) > 1:
            raise SyncError(
                tr("{count} trusted keys could receive this bundle; choose one with --to").format(
                    count=len(defaults)
                )
            )
        return defaults[0] if defaults else None

    def default_recipients(self) -> list[keys.PublicKey]:
        """Who a bundle is for when nobody is named: an officer's bundle goes to every
        coordinator it trusts (each of them can import it; removing one is revoking its
        key); a coordinator's to the one key a person here trusted, if only one."""
        info = self.app.device()
        active = [k for k in self.trusted_keys() if not k.revoked_at]
        if info and info.role == "officer":
            coordinators = [k for k in active if k.role == "coordinator"]
            return [keys.public_of(k) for k in coordinators]
        wanted = active
        if len(wanted) > 1:
            # A coordinator's list may add colleagues: the one a person here trusted is meant.
            wanted = [k for k in wanted if k.vouched_by is None] or wanted
        return [keys.public_of(k) for k in wanted]

    # -- bundles --------------------------------------------------------------------------

    def export(
        self,
        out: Path,
        to: str | Path | None = None,
        full: bool = False,
        kind: str | None = None,
        plain: bool = False,
        progress: Progress | None = None,
    ) -> ExportResult:
        """Write a bundle; encrypted to the recipient unless `plain` (then signed only)."""
        recipient: keys.PublicKey | list[keys.PublicKey] | None = None
        if to is not None and not plain:
            recipient = self.recipient(to)
        elif not plain:
            found = self.default_recipients()
            info = self.app.device()
            if len(found) > 1 and not (info and info.role == "officer"):
                raise SyncError(
                    tr(
                        "{count} trusted keys could receive this bundle; choose one with --to"
                    ).format(count=len(found))
                )
            recipient = found or None
        if not recipient and not plain:
            raise SyncError(
                tr(
                    "no recipient key: trust your coordinator's key first, give --to, or write an unencrypted bundle with --plain"
                )
            )
        return export_bundle(self.app, out, recipient, full=full, kind=kind, progress=progress)

    def import_bundles(
        self,
        paths: Sequence[Path],
        progress: Progress | None = None,
        bundle_progress: Progress | None = None,
        allow_plain: bool = False,
    ) -> list[ImportResult]:
        """Import files and folders of bundles, each all-or-nothing; one result per file.

        Unencrypted bundles are refused (`ImportResult.unencrypted`) unless `allow_plain`:
        the person importing confirmed they expected one (`--allow-plain`, or the GUI's
        question).

        `progress` gets (files done, files total) and may stop before the next file
        (`Cancelled` then carries the results so far as `partial`); `bundle_progress`
        gets the progress within each file (see `import_file`).
        """
        files = expand_paths(paths)
        results: list[ImportResult] = []
        try:
            for i, path in enumerate(files):
                if progress is not None and not progress(i, len(files)):
                    raise Cancelled(f"import cancelled after {i} of {len(files)} files", results)
                results.append(import_file(self.app, path, bundle_progress, allow_plain))
        finally:
            finish_erasures(self.app)  # an erasure received: WAL, free pages, backups too
        if progress is not None:
            progress(len(results), len(files))
        return results

    def inspect(self, path: Path) -> Inspection:
        return inspect_file(self.app, path)

    # -- history and state ----------------------------------------------------------------

    def imports(self) -> list[ImportView]:
        """The import ledger, newest first."""
        with self.app.db.engine.connect() as conn:
            return [ImportView(**r) for r in sync_queries.import_rows(conn)]

    def exports(self) -> list[ExportView]:
        """Bundles written here, newest first."""
        with self.app.db.engine.connect() as conn:
            return [ExportView(**r) for r in sync_queries.export_rows(conn)]

    def known_devices(self) -> list[KnownDevice]:
        with self.app.db.engine.connect() as conn:
            seqs = sync_queries.device_vector(conn)
            names = sync_queries.trusted_names_by_device(conn)
            last = sync_queries.last_import_by_device(conn)
            authors = sync_queries.last_author_by_device(conn)
            counts = sync_queries.sequence_counts_by_device(conn)
        own = self.app.device()
        laptops = laptop_names(self.app)
        out = []
        for device_id, contiguous_seq, max_seq in seqs:
            name = names.get(device_id) or authors.get(device_id, "")
            if own and device_id in own.own_devices:  # earlier incarnations are ours too
                name = own.user_name
            out.append(
                KnownDevice(
                    device_id,
                    name,
                    contiguous_seq,
                    max_seq,
                    last.get(device_id),
                    max_seq - counts.get(device_id, 0),
                    laptops.of(device_id, name),
                )  # fmt: skip
            )
        return sorted(out, key=lambda d: (d.name, d.device_id))

    # -- conflicts ------------------------------------------------------------------------

    def conflicts(self) -> list[Conflict]:
        return conflicts.list_conflicts(self.app)

    def conflict(self, record_id: str) -> Conflict:
        return conflicts.get_conflict(self.app, record_id)

    def resolve(
        self,
        record_id: str,
        *,
        accept_merge: bool = False,
        take: str | None = None,
        fields: dict[str, str] | None = None,
    ) -> RecordView:
        """Close a conflict with a merge revision (see `conflicts.resolve`)."""
        return conflicts.resolve(
            self.app, record_id, accept_merge=accept_merge, take=take, fields=fields
        )

    # -- proposals (issue 11) ---------------------------------------------------------------

    def proposals(self, status: str | None = "pending") -> list[ProposalView]:
        """Officers' changes kept for review (`status` None: answered ones too)."""
        return proposals.list_proposals(self.app, status)

    def proposal(self, ref: str) -> ProposalView:
        return proposals.get_proposal(self.app, ref)

    def accept_proposal(self, ref: str) -> ProposalView:
        """Apply an officer's proposal as a revision of this coordinator's (relayed as usual)."""
        return proposals.answer(self.app, ref, accept=True)

    def reject_proposal(self, ref: str, reason: str) -> ProposalView:
        """Keep the current version; the proposal stays, marked rejected with `reason`."""
        return proposals.answer(self.app, ref, accept=False, reason=reason)
