"""Where a laptop keeps its data folder. No database code here: the GUI asks before it
imports the storage stack, so the window can show first."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

DB_NAME = "ca-desktop.sqlite"  # the database file inside a data folder
APP_NAME = "CA Desktop"
APP_AUTHOR = "Cities Alliance"


def default_data_dir() -> Path:
    """CA_DESKTOP_DATA_DIR, or the user data folder of this operating system."""
    override = os.environ.get("CA_DESKTOP_DATA_DIR")
    if override:
        return Path(override)
    return Path(user_data_dir(APP_NAME, APP_AUTHOR))
