"""The passphrase on the command line: from a file, or typed at a terminal, never a hang.

`CA_DESKTOP_PASSPHRASE_FILE` or `--passphrase-file` name a file holding it (one line; a
final newline is not part of it); otherwise a terminal is asked, and without one the command
stops with one line saying how to give it. `prepare_folder` leaves the data folder ready for
`CaDesktop.open`: unlocked, created encrypted, or converted from a plain database.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from ca_desktop.cli.errors import UserError
from ca_desktop.domain.passphrase import MIN_LENGTH
from ca_desktop.services import protection

PASSPHRASE_ENV = "CA_DESKTOP_PASSPHRASE_FILE"
MAX_BYTES = 4096
HOW = (
    f"give the passphrase with --passphrase-file FILE or {PASSPHRASE_ENV}, "
    "or run the command in a terminal"
)


def prepare_folder(folder: Path, args: argparse.Namespace) -> None:
    """Unlock, create or convert `folder` as its state needs (UserError when it cannot)."""
    try:
        state = protection.state(folder)
        if state.encrypted:
            if not protection.is_unlocked(folder):
                protection.unlock(folder, read_passphrase(args, new=False))
            return
        if state.plain_on_purpose:
            return
        if getattr(args, "no_encryption", False):
            if state.new or state.needs_conversion:
                protection.mark_plain(folder)
            return
        if protection.plain_for_tests():
            return  # left as it is: the suite's folders, made and checked file by file
        # Imported here: unlocking (the lean `history` path) needs neither.
        from ca_desktop.services.convert import convert_to_encrypted
        from ca_desktop.services.recovery_code import add_code

        phrase = read_passphrase(args, new=True)
        if state.needs_conversion:
            result = convert_to_encrypted(folder, phrase)
            print(f"ca-desktop: {result.message}", file=sys.stderr)
        else:
            protection.create_encrypted(folder, phrase)
        key = protection.key_for(folder)
        assert key is not None
        show_recovery_code(add_code(folder, key))
    except protection.WrongPassphrase:
        raise UserError("the passphrase is not right; nothing was opened") from None
    except protection.ProtectionError as exc:
        raise UserError(str(exc)) from None


def show_recovery_code(code: str) -> None:
    """The recovery code, printed once: it is stored nowhere in clear."""
    print(
        f"Recovery code (write it down and keep it away from the laptop; it is shown only "
        f"once): {code}"
    )


def unlock_only(folder: Path, args: argparse.Namespace) -> None:
    """Unlock an encrypted folder's key without opening or converting anything."""
    try:
        if protection.state(folder).encrypted and not protection.is_unlocked(folder):
            protection.unlock(folder, read_passphrase(args, new=False))
    except protection.WrongPassphrase:
        raise UserError("the passphrase is not right; nothing was opened") from None
    except protection.ProtectionError as exc:
        raise UserError(str(exc)) from None


def read_passphrase(args: argparse.Namespace, new: bool) -> str:
    """The passphrase from the file given, else from the terminal (twice when `new`)."""
    named = getattr(args, "passphrase_file", None) or os.environ.get(PASSPHRASE_ENV)
    if named:
        phrase = _from_file(Path(named))
    elif sys.stdin.isatty():
        phrase = _typed(new)
    else:
        raise UserError(f"this data folder needs a passphrase: {HOW}")
    if not phrase:
        raise UserError("the passphrase is empty")
    if new and len(phrase) < MIN_LENGTH:
        raise UserError(f"a new passphrase needs at least {MIN_LENGTH} characters")
    return phrase


def read_secret_file(path: Path) -> str:
    """One line of text from a small file (a passphrase, a recovery code)."""
    phrase = _from_file(path)
    if not phrase:
        raise UserError(f"the file is empty: {path}")
    return phrase


def _from_file(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise UserError(f"no such passphrase file: {path}") from None
    except IsADirectoryError:
        raise UserError(f"the passphrase file is a folder: {path}") from None
    if len(raw) > MAX_BYTES:
        raise UserError(f"the passphrase file is larger than {MAX_BYTES} bytes: {path}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"the passphrase file is not UTF-8 text: {path}") from None
    lines = text.splitlines()
    if len(lines) > 1:
        raise UserError(f"the passphrase file holds more than one line: {path}")
    return lines[0] if lines else ""


def _typed(new: bool) -> str:
    try:
        phrase = getpass.getpass("Passphrase for the data folder: ")
        if new and getpass.getpass("The same passphrase again: ") != phrase:
            raise UserError("the two passphrases differ; nothing was changed")
    except EOFError:
        raise UserError(f"no passphrase was typed: {HOW}") from None
    return phrase
