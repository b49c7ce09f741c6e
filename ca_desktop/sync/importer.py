"""Importing bundle files: phase 1 (check, nothing written), then phase 2 (apply)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.jobs import Progress, report
from ca_desktop.domain.laptops import laptop_label
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.practice import is_practice
from ca_desktop.sync.apply import apply_bundle
from ca_desktop.sync.errors import BundleRejected, PlainBundleRefused, SyncError, UnknownSigner
from ca_desktop.sync.keys import ensure_keys
from ca_desktop.sync.manifest import Manifest
from ca_desktop.sync.reader import OpenBundle
from ca_desktop.sync.verify import VerifiedBundle, check_signer, verify_bundle
from ca_desktop.sync.views import TrustedKeyView

BUNDLE_SUFFIX = ".cabundle"


@dataclass(frozen=True)
class ImportResult:
    """What happened to one file: imported, unchanged (already imported) or rejected."""

    path: Path
    status: str  # "imported", "unchanged", "rejected"
    reason: str = ""
    bundle_id: str = ""
    kind: str = ""
    sender: str = ""
    revisions_new: int = 0
    revisions_known: int = 0
    records_new: int = 0
    records_updated: int = 0
    records_unchanged: int = 0
    conflicts: int = 0
    flagged_clocks: int = 0
    proposals: int = 0  # officers' changes kept for review, not applied (issue 11)
    unencrypted: bool = False  # refused only because nobody confirmed a plain bundle


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; folders become their `*.cabundle` files in name order."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.iterdir() if q.suffix == BUNDLE_SUFFIX and q.is_file()))
        else:
            out.append(p)
    return out


PLAIN_REFUSED = (
    "the bundle is not encrypted: anyone who had the file could read or swap it; it is "
    "imported only when you confirm you expected an unencrypted bundle from this sender"
)


def import_file(
    app: CaDesktop, path: Path, progress: Progress | None = None, allow_plain: bool = False
) -> ImportResult:
    """Check and apply one bundle. A rejected bundle returns status "rejected" with the
    reason, and nothing was written; OSError (unreadable file) propagates. An unencrypted
    bundle that passes every check is still refused (`unencrypted`) unless `allow_plain`.

    `progress(done, total)` counts each revision twice, checked and written, batch by
    batch inside the one transaction; returning False cancels with Cancelled and nothing
    written.
    """
    if is_practice(app.data_dir):
        raise SyncError(tr("this is practice data: it is never exported or imported"))
    info = app.device()
    if info is None:
        raise SyncError(tr("this laptop is not set up yet: run 'ca-desktop init'"))
    keys = ensure_keys(app.data_dir, info)  # a laptop set up before sync existed gets keys now
    total = [0]

    def tick(done: int) -> None:
        report(progress, done, total[0])

    try:
        with OpenBundle(path, keys, app.data_dir / "tmp") as bundle:
            total[0] = 2 * bundle.manifest.revisions
            tick(0)  # opened (and decrypted): a long step on a big bundle
            verified, counts = apply_bundle(
                app.db.engine, bundle, info, keys, app.data_dir, tick, allow_plain
            )
    except PlainBundleRefused:
        return ImportResult(path, "rejected", tr(PLAIN_REFUSED), unencrypted=True)
    except BundleRejected as exc:
        return ImportResult(path, "rejected", str(exc))
    m = verified.manifest
    if counts is None:
        return _result(
            path,
            "unchanged",
            verified,
            tr("already imported on {date}").format(date=verified.already_imported),
        )
    if progress is not None:
        progress(total[0], total[0])
    return ImportResult(
        path, "imported", "", m.bundle_id, m.kind, sender_label(verified.signer),
        counts.revisions_new, counts.revisions_known, counts.records_new, counts.records_updated,
        counts.records_unchanged, counts.conflicts, counts.flagged_clocks,
        counts.proposals,
    )  # fmt: skip


def sender_label(signer: TrustedKeyView) -> str:
    """The sender as its verified key names it ("Amina K. · 4F2A-91C0"), never as the
    manifest claims: the name and role bound when a person here trusted the key."""
    return laptop_label(signer.user_name, signer.fingerprint)


def _result(path: Path, status: str, v: VerifiedBundle, reason: str) -> ImportResult:
    m = v.manifest
    return ImportResult(path, status, reason, m.bundle_id, m.kind, sender_label(v.signer))


@dataclass(frozen=True)
class Inspection:
    path: Path
    encrypted: bool
    manifest: Manifest
    signer_known: bool
    problem: str  # "" when the bundle would be accepted
    signer: TrustedKeyView | None = None  # the trusted key whose signature verified
    already_imported: bool = False  # `problem` then says when; the bundle is not refused


def inspect_file(app: CaDesktop, path: Path) -> Inspection:
    """Everything phase 1 checks, reported instead of applied. BundleRejected when the file
    cannot even be opened and its manifest read."""
    info = app.device()
    if info is None:
        raise SyncError(tr("this laptop is not set up yet: run 'ca-desktop init'"))
    keys = ensure_keys(app.data_dir, info)  # a laptop set up before sync existed gets keys now
    with OpenBundle(path, keys, app.data_dir / "tmp") as bundle:
        problem = ""
        known, already = True, False
        signer = None
        try:
            with app.db.engine.connect() as conn, conn.begin():
                signer = check_signer(conn, bundle)  # who, by key, before what
                verified = verify_bundle(conn, bundle, info, keys, lambda _n: None)
            if verified.already_imported:
                already = True
                problem = tr("already imported on {date}").format(date=verified.already_imported)
        except BundleRejected as exc:
            problem = str(exc)
            known = not isinstance(exc, UnknownSigner)
        return Inspection(path, bundle.encrypted, bundle.manifest, known, problem, signer, already)
