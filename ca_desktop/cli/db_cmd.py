"""`db check`, `db backup`, `db restore`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ca_desktop.cli.common import UserError, data_dir, open_app, unlock_folder
from ca_desktop.domain.i18n import tr
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.data_folder import (
    database_file,
    latest_backup,
    restore_backup,
)
from ca_desktop.services.errors import DatabaseDamaged


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    db = sub.add_parser("db", help="check, back up or restore the database")
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    p = dbsub.add_parser("check", help="integrity and reference checks")
    p.set_defaults(handler=cmd_check)
    p = dbsub.add_parser("backup", help="write a verified, consistent copy")
    p.add_argument(
        "--out", help="the backup file to write (default: a dated file in the backup folder)"
    )
    p.set_defaults(handler=cmd_backup)
    p = dbsub.add_parser("restore", help="replace the database with a checked backup")
    p.add_argument("file", nargs="?", help="the backup file")
    p.add_argument("--latest", action="store_true", help="use the newest backup in the data folder")
    p.set_defaults(handler=cmd_restore)
    p = dbsub.add_parser(
        "recover",
        help="forgot the passphrase: set a new one with the recovery code or a coordinator's key",
    )
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--recovery-code-file", help="a file holding the recovery code")
    how.add_argument(
        "--with-coordinator-key",
        metavar="COORDINATOR_DATA_DIR",
        help="the coordinator's own data folder (their private key opens this folder's key)",
    )
    how.add_argument(
        "--coordinator-file",
        help="the recovery file your coordinator wrote ('keys recovery-for'); with --code-file",
    )
    p.add_argument(
        "--coordinator-passphrase-file", help="the coordinator's passphrase for their folder"
    )
    p.add_argument("--code-file", help="a file holding the code the coordinator read out")
    p.set_defaults(handler=cmd_recover)


def refuse_on_server(args: argparse.Namespace, action: str) -> None:
    """`db check|backup|restore` are about the folder's own file: on a server, one line
    naming the server's tool instead (exit 2)."""
    from ca_desktop.services.database_choice import chosen_database

    if chosen_database(data_dir(args), getattr(args, "database", None)) is None:
        return
    if action == "check":
        raise UserError(
            tr("The records are on a PostgreSQL server: check it with 'ca-desktop hub check'.")
        )
    raise UserError(
        tr(
            "The records are on a PostgreSQL server: its backups are the server's "
            "(pg_dump, point-in-time recovery; docs/hub.md)."
        )
    )


def cmd_check(args: argparse.Namespace) -> int:
    refuse_on_server(args, "check")
    path = database_file(data_dir(args))
    if not path.exists():
        raise UserError(tr("no database at {path}").format(path=path))
    # Opening runs only the bounded check; `check()` then runs the thorough one, once.
    try:
        app = CaDesktop.open(unlock_folder(args), getattr(args, "database", None))
    except DatabaseDamaged as exc:
        print(f"ca-desktop: {exc}", file=sys.stderr)
        return 1
    try:
        problems = app.check()
    finally:
        app.close()
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        return 1
    print(f"{path}: ok")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    refuse_on_server(args, "backup")
    if args.out:
        out = Path(args.out)
        if out.exists() and out.is_dir():
            raise UserError(tr("{path} is a folder; give a file name").format(path=out))
    app = open_app(args)
    try:
        out = app.backup(Path(args.out)) if args.out else app.backup_to_folder()
    finally:
        app.close()
    print(f"Backup written and verified: {out}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    refuse_on_server(args, "restore")
    from ca_desktop.cli.passphrase import unlock_only

    folder = data_dir(args)
    unlock_only(folder, args)  # a damaged database is not opened, nor converted
    if args.latest == bool(args.file):
        raise UserError(tr("give a backup file or --latest (one of the two)"))
    source = Path(args.file) if args.file else latest_backup(folder)
    if source is None:
        raise UserError(tr("no backups in {path}").format(path=folder / "backups"))
    if not source.is_file():
        raise UserError(tr("no such file: {path}").format(path=source))
    try:
        aside = restore_backup(folder, source)
    except DatabaseDamaged as exc:
        raise UserError(tr("{reason}; nothing was changed").format(reason=exc)) from None
    print(f"Restored from {source}. The previous database was kept as {aside}.")
    # A restore starts a new incarnation for sync (store/database.py): say what to do next.
    print(
        "For sync this laptop starts afresh (new device number, same key): export a bundle "
        "to your coordinator (or, as coordinator, to every officer) and import the answer."
    )
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    """A new passphrase for an encrypted folder whose passphrase is forgotten."""
    from ca_desktop.cli.passphrase import read_passphrase, read_secret_file
    from ca_desktop.services import protection, recovery_code

    folder = data_dir(args)
    if not protection.state(folder).encrypted:
        raise UserError(f"{folder} is not encrypted: there is nothing to recover")
    if args.recovery_code_file:
        key = recovery_code.key_from_code(folder, read_secret_file(Path(args.recovery_code_file)))
        check_key(folder, key)
    elif args.coordinator_file:
        key = _key_from_coordinator_file(folder, args)
    else:
        key = _key_with_coordinator(folder, Path(args.with_coordinator_key), args)
    protection.use_recovered_key(folder, key, read_passphrase(args, new=True))
    print(f"{folder}: a new passphrase is set; the data is unchanged.")
    return 0


def check_key(folder: Path, key: bytes) -> None:
    from ca_desktop.services.data_folder import check_database_key

    check_database_key(folder, key)


def _key_with_coordinator(folder: Path, coordinator_dir: Path, args: argparse.Namespace) -> bytes:
    from ca_desktop.cli.passphrase import read_secret_file
    from ca_desktop.services import protection
    from ca_desktop.sync.keys import load_keys
    from ca_desktop.sync.recovery import key_with_coordinator

    if protection.state(coordinator_dir).encrypted and not protection.is_unlocked(coordinator_dir):
        if not args.coordinator_passphrase_file:
            raise UserError("give the coordinator's passphrase with --coordinator-passphrase-file")
        phrase = read_secret_file(Path(args.coordinator_passphrase_file))
        protection.unlock(coordinator_dir, phrase)
    return key_with_coordinator(folder, load_keys(coordinator_dir))


def _key_from_coordinator_file(folder: Path, args: argparse.Namespace) -> bytes:
    from ca_desktop.cli.passphrase import read_secret_file
    from ca_desktop.sync.recovery_transfer import MAX_BYTES, key_from_recovery_file

    if not args.code_file:
        raise UserError("give the code your coordinator read out with --code-file")
    path = Path(args.coordinator_file)
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from None
    return key_from_recovery_file(folder, data, read_secret_file(Path(args.code_file)))
