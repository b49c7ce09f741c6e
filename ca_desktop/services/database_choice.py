"""Which database a data folder's records live in: its own SQLite file (the default) or a
PostgreSQL server shared by a programme office (docs/hub.md).

In order: `--database URL` (the CLI's global option), `CA_DESKTOP_DATABASE`, the
`database` key of the folder's `settings.json`; none of them: the file, as always.

A URL is checked before anything connects. A password written in the settings file is
refused: the file is plain JSON beside the data, copied with the folder and readable by
whoever has it. The server's password comes from libpq's `.pgpass` (`PGPASSFILE`) or the
OS keychain instead (`store/postgres.py`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ca_desktop.domain.i18n import tr
from ca_desktop.services.settings import SETTINGS_FILE

DATABASE_ENV = "CA_DESKTOP_DATABASE"
SETTING = "database"
_MAX_URL = 2048
_MAX_SETTINGS_BYTES = 64 * 1024


class DatabaseChoiceError(ValueError):
    """The database named by the option, the environment or the settings cannot be used."""


def chosen_database(data_dir: Path, explicit: str | None = None) -> str | None:
    """The server URL the records of `data_dir` live at, or None for the folder's own file.

    Raises DatabaseChoiceError (one line, never echoing a password) for an unusable URL.
    """
    if explicit:
        return check_url(explicit, stored=False)
    from_env = os.environ.get(DATABASE_ENV, "").strip()
    if from_env:
        return check_url(from_env, stored=False)
    stored = stored_database(data_dir)
    return check_url(stored, stored=True) if stored else None


def server_named(data_dir: Path, explicit: str | None = None) -> bool:
    """Whether the records of `data_dir` are said to live on a server (the URL is checked
    when the app opens). Cheap and without the storage stack: the lean start path asks it
    before reading the folder's own file, which a server's desktop must not show."""
    return bool(explicit or os.environ.get(DATABASE_ENV, "").strip() or stored_database(data_dir))


def stored_database(data_dir: Path) -> str:
    """The raw `database` value of the folder's settings ("" when none or unreadable)."""
    try:
        with open(data_dir / SETTINGS_FILE, "rb") as fh:
            raw = fh.read(_MAX_SETTINGS_BYTES + 1)
        data = json.loads(raw) if len(raw) <= _MAX_SETTINGS_BYTES else {}
    except (OSError, ValueError):
        return ""
    value = data.get(SETTING) if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) else ""


def check_url(raw: str, stored: bool) -> str:
    """`raw` if it names a usable PostgreSQL database; DatabaseChoiceError otherwise.

    `stored`: the URL comes from (or goes to) the settings file, where a password is refused.
    """
    from ca_desktop.store.postgres import DatabaseUrlError, parse_url  # the storage stack

    if len(raw) > _MAX_URL or any(ord(c) < 32 or c == "\x7f" for c in raw):
        raise DatabaseChoiceError(tr("The database URL is not a valid PostgreSQL URL."))
    try:
        url = parse_url(raw)
    except DatabaseUrlError:
        raise DatabaseChoiceError(
            tr("The database URL must look like {example}.").format(
                example="postgresql://user@host:port/database"
            )
        ) from None
    if stored and url.password is not None:
        raise DatabaseChoiceError(
            tr(
                "The settings hold a database password in clear: remove it from the URL and "
                "keep it in the system keychain or a .pgpass file (docs/hub.md)."
            )
        )
    return raw
