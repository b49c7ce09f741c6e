"""The data folder's settings: language, paper size, export folder, backup folder and schedule.

Declared once here (each with its default and allowed values, as Picard's `options.py`
does) and kept in `settings.json` inside the data folder, beside the database rather than
in it: the CLI reads the language before it opens anything, and the backup folder must be
known exactly when the database cannot be opened (`db restore --latest` after damage).

The file is written whole or not at all (`atomic.py`). It can be edited by hand or copied
from elsewhere, so it is read as hostile input: bounded in size, every value checked, and a
value that does not pass falls back to its default instead of failing the start.
The user's name and home programme belong to the laptop's identity (`CaDesktop.device`),
not here.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from ca_desktop.domain.i18n import LANGUAGES
from ca_desktop.services.atomic import atomic_output

SETTINGS_FILE = "settings.json"
PAPER_SIZES = ("a4", "letter")
BACKUP_SCHEDULES = ("daily", "weekly", "off")
BACKUP_INTERVAL_HOURS = {"daily": 24, "weekly": 24 * 7}
_MAX_BYTES = 64 * 1024  # a settings file is a few hundred bytes; anything bigger is not ours
_MAX_PATH = 1024


@dataclass(frozen=True)
class Settings:
    language: str = ""  # "" until chosen: the system's or English
    paper: str = "a4"
    export_dir: str = ""  # "" = the user's home folder
    backup_dir: str = ""  # "" = `backups/` inside the data folder
    backup_schedule: str = "daily"
    # A PostgreSQL server's URL, without a password, when the records live there
    # (`services/database_choice.py`); "" = the data folder's own file.
    database: str = ""


class SettingsError(ValueError):
    """A setting given by the user that cannot be used (the message says which and why)."""


def settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_FILE


def load_settings(data_dir: Path) -> Settings:
    """The folder's settings; defaults for anything missing, unreadable or not allowed."""
    path = settings_path(data_dir)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(_MAX_BYTES + 1)
        data = json.loads(raw) if len(raw) <= _MAX_BYTES else {}
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict):
        data = {}
    settings = Settings()
    for field in fields(Settings):
        value = data.get(field.name)
        if isinstance(value, str) and _allowed(field.name, value):
            settings = replace(settings, **{field.name: value})
    return settings


def _allowed(name: str, value: str) -> bool:
    if name == "language":
        return value == "" or value in LANGUAGES
    if name == "paper":
        return value in PAPER_SIZES
    if name == "backup_schedule":
        return value in BACKUP_SCHEDULES
    # Folders: empty (the default) or an absolute path without control characters.
    if value == "":
        return True
    if name == "database":
        return _server_url_allowed(value)
    return (
        len(value) <= _MAX_PATH
        and Path(value).is_absolute()
        and not any(ord(c) < 32 or c == "\x7f" for c in value)
    )


def _server_url_allowed(value: str) -> bool:
    from ca_desktop.store.postgres import DatabaseUrlError, parse_url

    if len(value) > 2 * _MAX_PATH or any(ord(c) < 32 or c == "\x7f" for c in value):
        return False
    try:
        return parse_url(value).password is None
    except DatabaseUrlError:
        return False


def save_settings(data_dir: Path, settings: Settings) -> Settings:
    """Check and write `settings`; raises SettingsError naming the first value refused.

    Folders must exist (an export or a backup must not fail weeks later because of a typo).
    """
    for field in fields(Settings):
        value = getattr(settings, field.name)
        if not isinstance(value, str) or not _allowed(field.name, value):
            if field.name == "database":  # never echo what may hold a password
                raise SettingsError(
                    "database: a postgresql://user@host:port/db URL without a password"
                )
            raise SettingsError(f"{field.name}: {value!r} is not allowed")
    for name in ("export_dir", "backup_dir"):
        folder = getattr(settings, name)
        if folder and not Path(folder).is_dir():
            raise SettingsError(f"{name}: no such folder: {folder}")
    data_dir.mkdir(parents=True, exist_ok=True)
    with atomic_output(settings_path(data_dir)) as tmp:
        tmp.write_text(json.dumps(asdict(settings), indent=2, ensure_ascii=False), "utf-8")
    return settings


def update_settings(data_dir: Path, **changes: str) -> Settings:
    """Change some settings and keep the others."""
    return save_settings(data_dir, replace(load_settings(data_dir), **changes))


def backup_folder(data_dir: Path, settings: Settings | None = None) -> Path:
    """Where automatic backups go: the chosen folder, else `backups/` in the data folder."""
    settings = settings or load_settings(data_dir)
    return Path(settings.backup_dir) if settings.backup_dir else data_dir / "backups"


def export_folder(data_dir: Path, settings: Settings | None = None) -> Path:
    """Where exports are offered first: the chosen folder if it still exists, else home."""
    settings = settings or load_settings(data_dir)
    if settings.export_dir and Path(settings.export_dir).is_dir():
        return Path(settings.export_dir)
    return Path.home()
