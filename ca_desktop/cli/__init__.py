"""Command line: `ca-desktop [--data-dir DIR] [--lang LANG] COMMAND`.

Each command group lives in its own module with a `register(subparsers)` function; the
handler gets the parsed arguments and returns an exit code. Expected failures raise
`UserError` (exit 2, one line on stderr, nothing written); anything else is a bug (exit 1).

Start-up is kept short: `--version` imports nothing else; the GUI starts without building
the sub-commands or importing the storage stack (the window shows first); a command
imports only its own module (`COMMANDS`). Only `--help` and a mistyped command load all.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ca_desktop import __version__
from ca_desktop.cli.errors import UserError
from ca_desktop.domain.i18n import set_language

# Each top-level command and the module that registers it (a test keeps this complete).
COMMANDS: dict[str, str] = {
    "init": "ca_desktop.cli.setup_cmd",
    "demo": "ca_desktop.cli.setup_cmd",
    "history": "ca_desktop.cli.setup_cmd",
    "db": "ca_desktop.cli.db_cmd",
    "forms": "ca_desktop.cli.forms_cmd",
    "keys": "ca_desktop.cli.bundle_cmd",
    "bundle": "ca_desktop.cli.bundle_cmd",
    "conflicts": "ca_desktop.cli.bundle_cmd",
    "proposals": "ca_desktop.cli.proposals_cmd",
    "report": "ca_desktop.cli.report_cmd",
    "figures": "ca_desktop.cli.report_cmd",
    "screenshots": "ca_desktop.cli.gui_cmd",
    "export": "ca_desktop.cli.export_cmd",
    "template": "ca_desktop.cli.export_cmd",
    "import": "ca_desktop.cli.import_cmd",
    "settings": "ca_desktop.cli.settings_cmd",
    "erase": "ca_desktop.cli.erase_cmd",
    "hub": "ca_desktop.cli.hub_cmd",
}
COMMAND_MODULES = tuple(dict.fromkeys(COMMANDS.values()))
COMMAND_NAMES = set(COMMANDS)


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    """The parser with the sub-commands of `modules` (all of them by default)."""
    parser = argparse.ArgumentParser(
        prog="ca-desktop",
        description="CA Desktop: offline programme data for Cities Alliance teams.",
    )
    parser.add_argument("--version", action="version", version=f"ca-desktop {__version__}")
    parser.add_argument(
        "--data-dir", help="data folder (default: CA_DESKTOP_DATA_DIR or the user data folder)"
    )
    parser.add_argument(
        "--lang", choices=("en", "fr", "es", "pt"), help="language of the GUI and of printed forms"
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="the records on a PostgreSQL server: postgresql://user@host:port/db "
        "(default: CA_DESKTOP_DATABASE, the data folder's settings, else its own file)",
    )
    parser.add_argument(
        "--passphrase-file",
        help="file holding the data folder's passphrase (default: CA_DESKTOP_PASSPHRASE_FILE)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
        importlib.import_module(name).register(sub)
    return parser


def _bundle_files(argv: Sequence[str]) -> tuple[list[str], list[Path]]:
    """Split off `.cabundle` paths given without a command (a double-clicked bundle)."""
    files = [Path(a) for a in argv if a.lower().endswith(".cabundle") and Path(a).is_file()]
    rest = [a for a in argv if not (a.lower().endswith(".cabundle") and Path(a).is_file())]
    return rest, files


GLOBAL_OPTIONS = ("--lang", "--data-dir", "--passphrase-file", "--database")


def hoist_global_options(argv: Sequence[str]) -> list[str]:
    """Move `--lang X` and `--data-dir X` (or `--lang=X`) found after the command to the front.

    argparse only accepts the main parser's options before the subcommand; people type
    `forms print CA-F01 --blank --lang fr` too. Nothing after a `--` is touched, and an
    option without its value is left in place for argparse to report.
    """
    front: list[str] = []
    rest: list[str] = []
    items = list(argv)
    i = 0
    while i < len(items):
        arg = items[i]
        if arg == "--":
            rest.extend(items[i:])
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS and "=" in arg:
            front.append(arg)
        elif arg in GLOBAL_OPTIONS and i + 1 < len(items):
            front.extend(items[i : i + 2])
            i += 1
        else:
            rest.append(arg)
        i += 1
    return front + rest


def main(argv: Sequence[str] | None = None) -> int:
    raw = hoist_global_options(sys.argv[1:] if argv is None else argv)
    rest, bundles = _bundle_files(raw)
    _, after_globals = _global_options().parse_known_args(rest)
    words = [a for a in after_globals if not a.startswith("-")]
    command = next((a for a in words if a in COMMANDS), None)
    if command is None and "--version" in rest:
        print(f"ca-desktop {__version__}")
        return 0
    if command is None and not words and not {"-h", "--help"} & set(rest):
        return _start_gui(rest, bundles)
    # A known command loads its own module; help or a mistyped command loads them all.
    parser = build_parser((COMMANDS[command],) if command else COMMAND_MODULES)
    args = parser.parse_args(raw)
    args.open_files = []
    from ca_desktop.cli.common import cli_language, run_handler

    set_language(cli_language(args))

    if args.command is None:
        return _start_gui(rest, bundles)
    return run_handler(args.handler, args)


def _global_options() -> argparse.ArgumentParser:
    """Just the options that come before a command (to find the command word)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data-dir")
    parser.add_argument("--lang")
    parser.add_argument("--passphrase-file")
    parser.add_argument("--database")
    return parser


def _start_gui(options: Sequence[str], bundles: list[Path]) -> int:
    """The GUI, with only the global options parsed: no sub-commands, no storage stack."""
    args = build_parser(()).parse_args(options)
    set_language(args.lang)
    try:
        from ca_desktop.gui.app import run_gui
    except ImportError as exc:
        print(f"ca-desktop: the graphical interface cannot start here: {exc}", file=sys.stderr)
        return 2
    from ca_desktop.services.locations import default_data_dir

    folder = Path(args.data_dir) if args.data_dir else default_data_dir()
    if args.database:  # this process is the GUI now: the option reaches it as the variable
        os.environ["CA_DESKTOP_DATABASE"] = args.database
    return run_gui(folder, lang=args.lang, open_files=bundles)


__all__ = ["main", "UserError"]

if __name__ == "__main__":
    sys.exit(main())
