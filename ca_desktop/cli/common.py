"""Shared pieces of the command line: opening the data folder, errors, exit codes."""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ca_desktop.cli.errors import UserError  # re-exported for the command modules
from ca_desktop.domain.i18n import tr
from ca_desktop.domain.printable import printable
from ca_desktop.domain.validation import ValidationError
from ca_desktop.services.locations import default_data_dir
from ca_desktop.services.settings import load_settings

if TYPE_CHECKING:
    from ca_desktop.services.app import CaDesktop
    from ca_desktop.services.quick_reads import QuickReads

EXIT_OK, EXIT_BUG, EXIT_BAD_INPUT = 0, 1, 2


def restore_hint() -> str:
    return tr("Restore the latest backup with 'ca-desktop db restore --latest'.")


_USER_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EIO, errno.EDQUOT}


# Expected errors that need no storage stack to name (a mistyped id, a bad value).
LIGHT_ERRORS: tuple[type[BaseException], ...] = (
    UserError,
    ValidationError,
    FileNotFoundError,
    IsADirectoryError,
    PermissionError,
)


def expected_errors() -> tuple[type[BaseException], ...]:
    """Errors any command may meet that are the user's situation, not a bug.

    Built when one is met: naming the storage layer's errors imports it, and a command
    that reads through the lean path (`history`) never loads it otherwise."""
    from ca_desktop.services.errors import (
        DatabaseChoiceError,
        DatabaseDamaged,
        DatabaseLocked,
        DatabaseTooNew,
        MigrationFailed,
        NotInitialised,
        NotOnServer,
        ProtectionError,
        SealedFileError,
    )

    return (
        UserError,
        ValidationError,
        NotInitialised,
        DatabaseDamaged,
        DatabaseTooNew,
        MigrationFailed,
        DatabaseLocked,
        DatabaseChoiceError,
        NotOnServer,
        ProtectionError,
        SealedFileError,
        FileNotFoundError,
        IsADirectoryError,
        PermissionError,
    )


def storage_errors() -> tuple[type[BaseException], ...]:
    """The machine's situation (disk full, locked, read-only, a damaged page met while
    reading), from SQLAlchemy or a driver; `storage_problem` tells them from bugs."""
    from ca_desktop.services.errors import (
        DRIVER_ERRORS,
        StorageDatabaseError,
        StorageOperationalError,
    )

    return (StorageOperationalError, StorageDatabaseError, *DRIVER_ERRORS)


def data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data_dir) if args.data_dir else default_data_dir()


def cli_language(args: argparse.Namespace) -> str | None:
    """The language of the messages: `--lang`, else the data folder's setting, else English.

    Not the system's `LANG`: a shared or second-hand laptop is often set up in another
    language than its user's; the data folder's setting is the user's own choice.
    """
    return str(args.lang or load_settings(data_dir(args)).language or "en")


def paper_size(args: argparse.Namespace) -> str:
    """`--paper` when given, else the paper size in the data folder's settings."""
    return str(getattr(args, "paper", None) or load_settings(data_dir(args)).paper)


def unlock_folder(args: argparse.Namespace) -> Path:
    """The data folder, unlocked (or created, or converted) as its state needs."""
    from ca_desktop.cli.passphrase import prepare_folder

    folder = data_dir(args)
    prepare_folder(folder, args)
    return folder


def open_app(args: argparse.Namespace) -> CaDesktop:
    from ca_desktop.services.app import CaDesktop
    from ca_desktop.services.errors import DatabaseDamaged

    try:
        app = CaDesktop.open(unlock_folder(args), getattr(args, "database", None))
    except DatabaseDamaged as exc:
        raise UserError(f"{exc}. {restore_hint()}") from None
    if app.encrypted:
        from ca_desktop.sync.recovery import seal_for_trusted_coordinators

        # A coordinator trusted since the last start gets the recovery key now.
        seal_for_trusted_coordinators(app.data_dir, app.db.engine)
    return app


def quick_reads(args: argparse.Namespace) -> QuickReads | None:
    """The data folder's lean reads (no storage stack) when it can be read as it is, after
    asking for the passphrase of an encrypted folder; None: use `open_app`, which creates,
    converts, upgrades or repairs what needs it, or says why it cannot."""
    from ca_desktop.cli.passphrase import unlock_only
    from ca_desktop.services import protection
    from ca_desktop.services.database_choice import server_named
    from ca_desktop.services.quick_reads import QuickReads

    folder = data_dir(args)
    if server_named(folder, getattr(args, "database", None)):
        return None  # records on a server: only the storage stack reads them
    state = protection.state(folder)
    if not (state.encrypted or state.plain_on_purpose or protection.plain_for_tests()):
        return None  # a new or an old plain folder: `open_app` asks what to do with it
    unlock_only(folder, args)
    return QuickReads.open(folder, getattr(args, "database", None))


def output_file(value: str, suffix: str) -> Path:
    """The file an `--out` option names: not a folder, in a folder that exists, ending in
    `suffix` (".csv", ".xlsx"...). Refused in one line before anything is written."""
    out = Path(value)
    if out.is_dir():
        raise UserError(tr("{path} is a folder; give a file name").format(path=out))
    if not out.parent.is_dir():
        raise UserError(tr("no such folder: {path}").format(path=out.parent))
    if out.suffix.lower() != suffix:
        raise UserError(
            tr("{name}: the file name must end in {suffix}").format(name=out.name, suffix=suffix)
        )
    return out


def run_handler(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("ca-desktop: " + tr("interrupted; nothing half-written was kept"), file=sys.stderr)
        return 130
    except Exception as exc:
        code = _expected_failure(exc)
        if code is None:
            raise
        return code


def _expected_failure(exc: Exception) -> int | None:
    """Tell the user about an expected failure (one line) and return the exit code; None
    for a bug."""
    light = isinstance(exc, LIGHT_ERRORS)  # told without loading the storage stack
    if light or isinstance(exc, expected_errors()):
        print(f"ca-desktop: {printable(message(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if isinstance(exc, storage_errors()):
        reason = storage_problem(exc)
        if reason is None:
            return None
        print(
            "ca-desktop: " + tr("{reason}; nothing was saved").format(reason=reason),
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if isinstance(exc, OSError):
        # Disk full, read-only media, a pulled USB stick: the user's situation, one line.
        print(
            f"ca-desktop: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr
        )
        return EXIT_BAD_INPUT if exc.errno in _USER_ERRNOS else EXIT_BUG
    return None


def storage_problem(exc: BaseException) -> str | None:
    """A readable reason for a database error caused by the machine, or None for a bug."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "disk is full" in text or "disk i/o error" in text:
        return tr("the disk is full or cannot be written")
    if "database is locked" in text:
        return tr("the database is busy in another program; try again")
    if "readonly" in text or "read-only" in text:
        return tr("the data folder is read-only")
    if "malformed" in text or "not a database" in text:
        # A damaged page met while reading: opening checks only a bounded part of the file.
        return tr("the database is damaged ({detail}). {hint}").format(
            detail=text.splitlines()[0], hint=restore_hint()
        )
    return None


def message(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return tr("no such file: {path}").format(path=exc.filename)
    if isinstance(exc, ValidationError):
        problems = "; ".join(f"{i.field}: {i.text()}" for i in exc.issues)
        return tr("invalid input: {problems}").format(problems=problems)
    if isinstance(exc, LIGHT_ERRORS):
        return str(exc)
    from ca_desktop.services.errors import DatabaseDamaged

    if isinstance(exc, DatabaseDamaged):
        # Found by the quick check before the first write (opening checks only a bounded
        # part of the file): nothing was written.
        return tr("{reason}; nothing was written. {hint}").format(reason=exc, hint=restore_hint())
    return str(exc)


def open_gui(args: argparse.Namespace) -> int:
    try:
        from ca_desktop.gui.app import run_gui
    except ImportError as exc:
        raise UserError(
            tr("the graphical interface cannot start here: {reason}").format(reason=exc)
        ) from None
    return run_gui(data_dir(args), lang=args.lang, open_files=getattr(args, "open_files", []))
