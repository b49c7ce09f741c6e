"""`screenshots`: render every page and editor to PNG, offscreen.

PySide6 is imported only when the command runs, so other commands stay Qt-free.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ca_desktop.cli.common import UserError, open_app
from ca_desktop.domain.i18n import tr


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("screenshots", help="render every page and editor to PNG files")
    p.add_argument("--out", required=True, help="the folder to write the PNG files to")
    p.add_argument("--size", default="1280x800", help="window size, WIDTHxHEIGHT (1280x800)")
    p.set_defaults(handler=cmd_screenshots)


def parse_size(value: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in value.lower().split("x"))
    except ValueError:
        raise UserError(f"--size must look like 1280x800, not {value!r}") from None
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise UserError(f"--size {value} is out of range (320x240 to 7680x4320)")
    return width, height


def cmd_screenshots(args: argparse.Namespace) -> int:
    width, height = parse_size(args.size)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UserError(f"{out} is a file; give a folder")
    app = open_app(args)
    try:
        if app.device() is None:
            raise UserError("this data folder is not set up yet: run 'ca-desktop init' first")
        # Offscreen unless the caller chose a platform: works on servers and in CI.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        try:
            from ca_desktop.domain.i18n import set_language
            from ca_desktop.gui.screenshots import render_all
        except ImportError as exc:
            raise UserError(
                tr("the graphical interface cannot start here: {error}").format(error=exc)
            ) from None
        set_language(args.lang or app.meta("language"))
        files = render_all(app, out, (width, height))
    finally:
        app.close()
    for path in files:
        print(path)
    print(tr("{n} screenshots written to {path}").format(n=len(files), path=out))
    return 0
