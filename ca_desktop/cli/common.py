"""Shared pieces of the command line: opening the data folder, errors, exit codes."""

from __future__ import annotations

import argparse
import errno
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

from ca_desktop.cli.errors import UserError  # re-exported for the command modules
from ca_desktop.domain.printable import printable
from ca_desktop.domain.validation import ValidationError
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.data_folder import default_data_dir
from ca_desktop.services.errors import (
    DatabaseDamaged,
    DatabaseTooNew,
    MigrationFailed,
    NotInitialised,
    StorageOperationalError,
)

EXIT_OK, EXIT_BUG, EXIT_BAD_INPUT = 0, 1, 2
_USER_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EIO, errno.EDQUOT}


# Errors any command may meet that are the user's situation, not a bug.
EXPECTED = (
    UserError,
    ValidationError,
    NotInitialised,
    DatabaseDamaged,
    DatabaseTooNew,
    MigrationFailed,
    FileNotFoundError,
    IsADirectoryError,
    PermissionError,
)


def data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else default_data_dir()


def open_app(args: argparse.Namespace) -> CaDesktop:
    try:
        return CaDesktop.open(data_dir(args))
    except DatabaseDamaged as exc:
        raise UserError(
            f"{exc}. Restore the latest backup with 'ca-desktop db restore --latest'."
        ) from None


def run_handler(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return handler(args)
    except EXPECTED as exc:
        print(f"ca-desktop: {printable(message(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (StorageOperationalError, sqlite3.OperationalError) as exc:
        reason = storage_problem(exc)
        if reason is None:
            raise
        print(f"ca-desktop: {reason}; nothing was saved", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        # Disk full, read-only media, a pulled USB stick: the user's situation, one line.
        print(
            f"ca-desktop: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr
        )
        return EXIT_BAD_INPUT if exc.errno in _USER_ERRNOS else EXIT_BUG
    except KeyboardInterrupt:
        print("ca-desktop: interrupted; nothing half-written was kept", file=sys.stderr)
        return 130


def storage_problem(exc: BaseException) -> str | None:
    """A readable reason for a database error caused by the machine, or None for a bug."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "disk is full" in text or "disk i/o error" in text:
        return "the disk is full or cannot be written"
    if "database is locked" in text:
        return "the database is busy in another program; try again"
    if "readonly" in text or "read-only" in text:
        return "the data folder is read-only"
    return None


def message(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"no such file: {exc.filename}"
    if isinstance(exc, ValidationError):
        return "invalid input: " + "; ".join(str(i) for i in exc.issues)
    return str(exc)


def open_gui(args: argparse.Namespace) -> int:
    try:
        from ca_desktop.gui.app import run_gui
    except ImportError as exc:
        raise UserError(f"the graphical interface cannot start here: {exc}") from None
    return run_gui(data_dir(args), lang=args.lang, open_files=getattr(args, "open_files", []))
