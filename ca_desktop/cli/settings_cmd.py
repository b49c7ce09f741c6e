"""`settings`: show or change the data folder's settings (paper, folders, backups, language)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

from ca_desktop.cli.common import UserError, data_dir
from ca_desktop.domain.i18n import LANGUAGES, tr
from ca_desktop.services.settings import (
    BACKUP_SCHEDULES,
    PAPER_SIZES,
    SettingsError,
    load_settings,
    update_settings,
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("settings", help="show or change paper size, folders, backups, language")
    p.add_argument("--paper", choices=PAPER_SIZES, help="paper of printed forms and reports")
    p.add_argument("--export-dir", metavar="DIR", help="where exports go first ('' = home)")
    p.add_argument(
        "--backup-dir", metavar="DIR", help="where automatic backups go ('' = data folder)"
    )
    p.add_argument("--backup-schedule", choices=BACKUP_SCHEDULES, help="automatic backups")
    p.add_argument("--language", choices=LANGUAGES, help="language of the GUI and of the CLI")
    p.add_argument(
        "--server",
        metavar="URL",
        dest="server",
        help="the office's PostgreSQL database, postgresql://user@host/db without a password "
        "('' = this laptop's own file)",
    )
    p.set_defaults(handler=cmd_settings)


def cmd_settings(args: argparse.Namespace) -> int:
    folder = data_dir(args)
    changes = {
        name: value
        for name in ("paper", "export_dir", "backup_dir", "backup_schedule", "language")
        if (value := getattr(args, name)) is not None
    }
    if args.server is not None:
        changes["database"] = args.server.strip()
    for name in ("export_dir", "backup_dir"):
        if changes.get(name):
            changes[name] = str(Path(changes[name]).expanduser().resolve())
    if changes:
        try:
            update_settings(folder, **changes)
        except SettingsError as exc:
            raise UserError(tr("{reason}; nothing was changed").format(reason=exc)) from None
    for name, value in asdict(load_settings(folder)).items():
        print(f"{name}\t{value}")
    return 0
