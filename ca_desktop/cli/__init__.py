"""Command line: `ca-desktop [--data-dir DIR] [--lang LANG] COMMAND`.

Each command group lives in its own module with a `register(subparsers)` function; the
handler gets the parsed arguments and returns an exit code. Expected failures raise
`UserError` (exit 2, one line on stderr, nothing written); anything else is a bug (exit 1).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from ca_desktop import __version__
from ca_desktop.cli.common import UserError, run_handler
from ca_desktop.domain.i18n import set_language

COMMAND_MODULES = (
    "ca_desktop.cli.setup_cmd",
    "ca_desktop.cli.db_cmd",
    "ca_desktop.cli.forms_cmd",
    "ca_desktop.cli.bundle_cmd",
    "ca_desktop.cli.report_cmd",
    "ca_desktop.cli.gui_cmd",
    "ca_desktop.cli.export_cmd",
    "ca_desktop.cli.import_cmd",
)


COMMAND_NAMES: set[str] = set()


def build_parser() -> argparse.ArgumentParser:
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    COMMAND_NAMES.update(sub.choices)
    return parser


def _bundle_files(argv: Sequence[str]) -> tuple[list[str], list[Path]]:
    """Split off `.cabundle` paths given without a command (a double-clicked bundle)."""
    files = [Path(a) for a in argv if a.lower().endswith(".cabundle") and Path(a).is_file()]
    rest = [a for a in argv if not (a.lower().endswith(".cabundle") and Path(a).is_file())]
    return rest, files


GLOBAL_OPTIONS = ("--lang", "--data-dir")


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
    parser = build_parser()
    raw = hoist_global_options(sys.argv[1:] if argv is None else argv)
    rest, bundles = _bundle_files(raw)
    if bundles and not COMMAND_NAMES.intersection(rest):
        raw = rest
    else:
        bundles = []
    args = parser.parse_args(raw)
    args.open_files = bundles
    set_language(args.lang)
    if args.command is None:
        from ca_desktop.cli.common import open_gui

        return run_handler(open_gui, args)
    return run_handler(args.handler, args)


__all__ = ["main", "UserError"]

if __name__ == "__main__":
    sys.exit(main())
