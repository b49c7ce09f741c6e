"""`hub init|migrate|check|import-laptop`: the office's shared PostgreSQL database
(docs/hub.md). The database comes from `--database URL` or `CA_DESKTOP_DATABASE`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from ca_desktop.cli.errors import UserError
from ca_desktop.cli.passphrase import read_secret_file
from ca_desktop.domain.i18n import tr


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    hub = sub.add_parser("hub", help="set up, upgrade and check the office's shared database")
    hs = hub.add_subparsers(dest="hub_command", metavar="ACTION", required=True)
    p = hs.add_parser("init", help="create the schema, the indicator views and the two roles")
    _roles(p)
    p.add_argument("--app-password-file", help="file holding the application role's password")
    p.add_argument("--reader-password-file", help="file holding the read-only role's password")
    p.set_defaults(handler=cmd_init)
    p = hs.add_parser("migrate", help="upgrade the schema and the views, grant the roles again")
    _roles(p)
    p.set_defaults(handler=cmd_migrate)
    p = hs.add_parser("check", help="schema version, heads against revisions, current rows")
    p.set_defaults(handler=cmd_check)
    p = hs.add_parser(
        "import-laptop", help="bring a laptop's database with all its history into the hub"
    )
    p.add_argument("file", help="the laptop's ca-desktop.sqlite (in its data folder)")
    p.add_argument("--laptop-passphrase-file", help="file holding the laptop folder's passphrase")
    p.set_defaults(handler=cmd_import_laptop)


def _roles(p: argparse.ArgumentParser) -> None:
    p.add_argument("--app-role", default="ca_app", help="the application's role (default ca_app)")
    p.add_argument(
        "--reader-role",
        default="ca_reader",
        help="the read-only role for BI tools (default ca_reader)",
    )


def _url(args: argparse.Namespace) -> str:
    url = getattr(args, "database", None) or os.environ.get("CA_DESKTOP_DATABASE", "").strip()
    if not url:
        raise UserError(
            tr("name the hub with --database {example} or CA_DESKTOP_DATABASE").format(
                example="postgresql://user@host/database"
            )
        )
    return str(url)


def _password(named: str | None, role: str) -> str:
    """From the file given, else typed twice at a terminal; never an argument or a file we
    write (it would stay in the shell history or on disk)."""
    if named:
        return read_secret_file(Path(named))
    if not sys.stdin.isatty():
        raise UserError(
            tr(
                "give the password of role {role} with a password file, or run in a terminal"
            ).format(role=role)
        )
    try:
        first = getpass.getpass(tr("Password for role {role}: ").format(role=role))
        if getpass.getpass(tr("The same password again: ")) != first:
            raise UserError(tr("the two passwords differ; nothing was changed"))
    except EOFError:
        raise UserError(tr("no password was typed; nothing was changed")) from None
    return first


def cmd_init(args: argparse.Namespace) -> int:
    from ca_desktop.services import hub

    url = _url(args)
    app_pw = _password(args.app_password_file, args.app_role)
    reader_pw = _password(args.reader_password_file, args.reader_role)
    try:
        done = hub.init_hub(url, app_pw, reader_pw, hub.Roles(args.app_role, args.reader_role))
    except hub.HubError as exc:
        raise UserError(str(exc)) from None
    print(
        tr(
            "Hub ready: schema {after} (was {before}), {views} indicator views, roles {app} "
            "(application) and {reader} (read-only, views only)."
        ).format(
            after=done.after,
            before=done.before or tr("empty"),
            views=len(done.views),
            app=args.app_role,
            reader=args.reader_role,
        )  # fmt: skip
    )
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from ca_desktop.services import hub

    try:
        done = hub.migrate_hub(_url(args), hub.Roles(args.app_role, args.reader_role))
    except hub.HubError as exc:
        raise UserError(str(exc)) from None
    print(
        tr("Hub schema {after} (was {before}); views and rights renewed.").format(
            after=done.after, before=done.before or tr("empty")
        )
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from ca_desktop.cli.common import printable
    from ca_desktop.services import hub

    try:
        problems = hub.check_hub(_url(args))
    except hub.HubError as exc:
        raise UserError(str(exc)) from None
    for line in problems:
        print(f"ca-desktop: {printable(line)}", file=sys.stderr)
    if problems:
        return 2
    print(tr("The hub is consistent: schema up to date, every head and current row checks."))
    return 0


def cmd_import_laptop(args: argparse.Namespace) -> int:
    from ca_desktop.services import hub

    path = Path(args.file)
    if not path.is_file():
        raise UserError(tr("no such laptop database: {path}").format(path=path))
    phrase = (
        read_secret_file(Path(args.laptop_passphrase_file)) if args.laptop_passphrase_file else None
    )
    try:
        done = hub.import_laptop(_url(args), path, phrase)
    except hub.HubError as exc:
        raise UserError(str(exc)) from None
    print(
        tr(
            "Imported {new} revisions ({known} already in the hub) of {records} records from {path}."
        ).format(new=done.new, known=done.revisions - done.new, records=done.records, path=path)
    )
    return 0
