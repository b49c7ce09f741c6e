"""`keys`, `bundle` and `conflicts`: exchanging work between laptops."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import ca_desktop.sync  # noqa: F401  (registers key creation at init)
from ca_desktop.cli.common import UserError, open_app
from ca_desktop.domain.i18n import tr
from ca_desktop.domain.laptops import laptop_label
from ca_desktop.domain.printable import printable
from ca_desktop.services.laptops import laptop_names
from ca_desktop.sync.errors import BundleRejected, SyncError
from ca_desktop.sync.importer import ImportResult
from ca_desktop.sync.service import SyncService


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    keys = sub.add_parser("keys", help="this laptop's keys and the keys it trusts")
    ks = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    p = ks.add_parser("show", help="this laptop's fingerprint and the trusted keys")
    p.set_defaults(handler=cmd_keys_show)
    p = ks.add_parser("export", help="write this laptop's public key to a file")
    p.add_argument("--out", required=True, help="file to write, e.g. amina.pubkey")
    p.set_defaults(handler=cmd_keys_export)
    p = ks.add_parser("trust", help="trust a public key file after comparing its fingerprint")
    p.add_argument("file")
    p.add_argument(
        "--fingerprint", help="the fingerprint as its owner reads it out (required; must match)"
    )
    p.add_argument(
        "--role",
        choices=("officer", "coordinator"),
        default="officer",
        help="whose key this is, as you know it (default officer); the file's claim is ignored",
    )
    p.set_defaults(handler=cmd_keys_trust)
    p = ks.add_parser("revoke", help="stop trusting a key")
    p.add_argument("key_id", help="key id or fingerprint (or a unique beginning of it)")
    p.set_defaults(handler=cmd_keys_revoke)
    p = ks.add_parser(
        "recovery-for",
        help="coordinators: a recovery file for an officer who forgot their passphrase",
    )
    p.add_argument("key_id", help="the officer's key id or fingerprint (or a unique beginning)")
    p.add_argument("--out", required=True, help="file to write, e.g. amina.carecovery")
    p.set_defaults(handler=cmd_keys_recovery_for)

    bundle = sub.add_parser("bundle", help="write, read and check sync bundles")
    bs = bundle.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    p = bs.add_parser("export", help="write a bundle with what the recipient does not have")
    p.add_argument("--out", required=True, help="bundle file to write (.cabundle)")
    p.add_argument("--to", help="recipient: a public key file or a trusted key id/fingerprint")
    p.add_argument("--full", action="store_true", help="everything, not only what is new")
    p.add_argument("--reference", action="store_true", help="reference data only (coordinators)")
    p.add_argument("--plain", action="store_true", help="do not encrypt (signed only)")
    p.set_defaults(handler=cmd_bundle_export)
    p = bs.add_parser("import", help="import bundle files or folders of bundles")
    p.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER")
    p.add_argument(
        "--allow-plain",
        action="store_true",
        help="also import unencrypted bundles (only if you expected one from their sender)",
    )
    p.set_defaults(handler=cmd_bundle_import)
    p = bs.add_parser("inspect", help="show a bundle's signer, kind and counts without importing")
    p.add_argument("file")
    p.set_defaults(handler=cmd_bundle_inspect)

    conflicts = sub.add_parser("conflicts", help="records edited in two places")
    cs = conflicts.add_subparsers(dest="conflicts_command", metavar="ACTION", required=True)
    p = cs.add_parser("list", help="one open conflict per line")
    p.set_defaults(handler=cmd_conflicts_list)
    p = cs.add_parser("show", help="base and each version of one conflict, field by field")
    p.add_argument("record_id")
    p.set_defaults(handler=cmd_conflicts_show)
    p = cs.add_parser("resolve", help="close a conflict with a merge")
    p.add_argument("record_id")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--accept-merge", action="store_true", help="take the proposed merge")
    how.add_argument("--take", metavar="REV", help="keep one version whole (revision id prefix)")
    how.add_argument(
        "--field", action="append", metavar="NAME=REV", help="take a field from a version"
    )
    p.set_defaults(handler=cmd_conflicts_resolve)


@contextmanager
def _service(args: argparse.Namespace) -> Iterator[SyncService]:
    app = open_app(args)
    try:
        yield SyncService(app)
    except (SyncError, BundleRejected) as exc:
        raise UserError(str(exc)) from None
    finally:
        app.close()


def cmd_keys_show(args: argparse.Namespace) -> int:
    with _service(args) as sync:
        own = sync.own_key()
        trusted = sync.trusted_keys()
    print(
        f"This laptop: {own.fingerprint}  {printable(own.user_name)} ({own.role})  key {own.key_id}"
    )
    for k in trusted:
        state = f"revoked {k.revoked_at}" if k.revoked_at else f"trusted {k.trusted_at}"
        print(f"  {k.fingerprint}  {printable(k.user_name)} ({k.role})  key {k.key_id}  {state}")
    return 0


def cmd_keys_export(args: argparse.Namespace) -> int:
    with _service(args) as sync:
        own = sync.export_public_key(Path(args.out))
    print(f"Public key written to {args.out}; fingerprint {own.fingerprint}")
    return 0


def cmd_keys_trust(args: argparse.Namespace) -> int:
    with _service(args) as sync:
        key = sync.trust(Path(args.file), args.fingerprint or "", role=args.role)
    print(
        f"Trusted {printable(key.user_name)} ({key.role}), fingerprint {key.fingerprint}"
        " (checked with its owner)."
    )
    return 0


def cmd_keys_revoke(args: argparse.Namespace) -> int:
    with _service(args) as sync:
        key = sync.revoke(args.key_id)
    print(
        f"Revoked {printable(key.user_name)}'s key {key.fingerprint}; its bundles will be refused."
    )
    return 0


def cmd_keys_recovery_for(args: argparse.Namespace) -> int:
    from ca_desktop.sync.recovery_transfer import write_recovery_file

    with _service(args) as sync:
        name, code = write_recovery_file(sync.app, args.key_id, Path(args.out))
    print(
        f"Recovery file for {printable(name)} written to {args.out}. Read this code out to "
        f"them by phone, not with the file (shown only once): {code}"
    )
    return 0


def _progress(label: str) -> object:
    interactive = sys.stderr.isatty()

    def progress(done: int, total: int) -> bool:
        if interactive and total:
            print(f"\r{label} {done}/{total}", end="", file=sys.stderr, flush=True)
        return True

    return progress


def cmd_bundle_export(args: argparse.Namespace) -> int:
    to: str | Path | None = args.to
    if args.to and Path(args.to).is_file():
        to = Path(args.to)
    with _service(args) as sync:
        result = sync.export(
            Path(args.out),
            to=to,
            full=args.full,
            kind="reference_data" if args.reference else None,
            plain=args.plain,
            progress=_progress("writing"),  # type: ignore[arg-type]
        )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    who = (
        tr("encrypted for {name}").format(name=printable(result.recipient_name))
        if result.encrypted
        else tr("not encrypted")
    )
    print(
        tr(
            "Wrote {path} ({kind} #{seq}, {revisions} revisions, {blobs} attachments, "
            "{size} bytes, {who})."
        ).format(
            path=result.path,
            kind=result.kind.replace("_", " "),
            seq=result.sender_seq,
            revisions=result.revisions,
            blobs=result.blobs,
            size=result.size,
            who=who,
        )
    )
    return 0


def cmd_bundle_import(args: argparse.Namespace) -> int:
    with _service(args) as sync:
        results = sync.import_bundles([Path(p) for p in args.paths], allow_plain=args.allow_plain)
    if not results:
        raise UserError(tr("no .cabundle files found"))
    rejected = 0
    for r in results:
        if r.status == "rejected":
            rejected += 1
            line = (
                tr("{file}: rejected: {reason} (import it anyway with --allow-plain)")
                if r.unencrypted
                else tr("{file}: rejected: {reason}")
            )
            line = line.format(file=printable(r.path.name), reason=printable(r.reason))
            print(f"ca-desktop: {line}", file=sys.stderr)
        elif r.status == "unchanged":
            print(
                tr("{file}: unchanged ({reason})").format(
                    file=printable(r.path.name), reason=printable(r.reason)
                )
            )
        else:
            print(_imported_line(r))
    return 2 if rejected else 0


def _imported_line(r: ImportResult) -> str:
    # Counts stand beside their words; the translations put them as "word: n" where a
    # language's plural would otherwise have to agree with each of them.
    line = tr(
        "{file}: imported from {sender}: {new} new, {updated} updated, {unchanged} unchanged "
        "records, {conflicts} in conflict"
    ).format(
        file=printable(r.path.name),
        sender=printable(r.sender),
        new=r.records_new,
        updated=r.records_updated,
        unchanged=r.records_unchanged,
        conflicts=r.conflicts,
    )
    if r.flagged_clocks:
        line += tr(", {n} with a doubtful clock").format(n=r.flagged_clocks)
    if r.proposals:
        line += tr(", {n} kept for review ('proposals list')").format(n=r.proposals)
    return line


def cmd_bundle_inspect(args: argparse.Namespace) -> int:
    with _service(args) as sync:
        ins = sync.inspect(Path(args.file))
    m = ins.manifest
    print(f"bundle {m.bundle_id}  {m.kind.replace('_', ' ')} #{m.sender_seq}")
    if ins.signer is not None:  # named by the key trusted here, not by the manifest
        who = laptop_label(ins.signer.user_name, ins.signer.fingerprint)
        print(
            tr("signer: {who} ({role}), signature verified").format(
                who=printable(who), role=ins.signer.role
            )
        )
    else:
        claimed = printable(f"{m.sender.user_name[:60]} ({m.sender.role})")
        print(
            tr("signer: not verified; the bundle claims {claimed}, key {key}").format(
                claimed=claimed, key=m.sender.key_id
            )
        )
    yes, no = tr("yes"), tr("no")
    print(
        tr("encrypted: {encrypted}; programme: {programme}").format(
            encrypted=yes if ins.encrypted else no, programme=m.sender.programme or "-"
        )
    )
    print(
        tr("revisions: {revisions}; attachments: {blobs}; full: {full}").format(
            revisions=m.revisions, blobs=m.blobs, full=yes if m.full else no
        )
    )
    for device, runs in sorted(m.ranges.items()):
        spans = ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in runs)
        print("  " + tr("device {device}: {spans}").format(device=device, spans=spans))
    if ins.already_imported:
        print(ins.problem)
        return 0
    if ins.problem:
        raise UserError(tr("would be rejected: {problem}").format(problem=ins.problem))
    print(tr("valid: would be imported"))
    return 0


def cmd_conflicts_list(args: argparse.Namespace) -> int:
    with _service(args) as sync:
        items = sync.conflicts()
    for c in items:
        winner = next(v for v in c.versions if v.rev_id == c.winner) if any(
            v.rev_id == c.winner for v in c.versions) else c.versions[0]  # fmt: skip
        print(
            f"{c.record_id}  {c.record_type}  {c.kind}  {len(c.versions)} versions  "
            f"{printable(repr(c.title[:40]))}  {c.reason}  (showing {printable(winner.author)}'s)"
        )
    return 0


def cmd_conflicts_show(args: argparse.Namespace) -> int:
    with _service(args) as sync:
        c = sync.conflict(args.record_id)
        laptops = laptop_names(sync.app)
    print(f"{c.record_type} {c.record_id}  {printable(c.title)}\n{c.kind} conflict: {c.reason}")
    columns = ([("base", c.base)] if c.base else []) + [(v.rev_id[:12], v) for v in c.versions]
    for label, v in columns:
        assert v is not None
        mark = " (shown)" if v.rev_id == c.winner else ""
        state = " DELETED" if v.deleted else ""
        flag = " (clock looked wrong)" if v.clock_flag else ""
        print(
            f"[{label}] {printable(v.author)} on {printable(laptops.of(v.device_id, v.author))} at {v.when}{state}{flag}{mark}"
        )
        for name in v.changed if label != "base" else ():
            print(f"    {name}: {printable(json.dumps(v.body.get(name), ensure_ascii=False)[:80])}")
    if c.proposed is not None and c.kind == "soft":
        print("proposed merge: conflicts resolve --accept-merge " + c.record_id)
    return 0


def cmd_conflicts_resolve(args: argparse.Namespace) -> int:
    fields: dict[str, str] = {}
    for item in args.field or []:
        name, sep, ref = item.partition("=")
        if not sep or not name or not ref:
            raise UserError(tr("--field wants NAME=REV, got {item!r}").format(item=item))
        fields[name] = ref
    with _service(args) as sync:
        view = sync.resolve(
            args.record_id, accept_merge=args.accept_merge, take=args.take, fields=fields or None
        )
    print(f"Resolved {view.record_type} {view.id}: merge revision {view.rev_id[:12]}.")
    return 0
