"""Where the shipped resources (form definitions, fonts) live.

They sit at the top of the repository, beside the package, so that packagers can ship them
as data; `CA_DESKTOP_RESOURCES` points elsewhere (an installed copy, a test folder).
"""

from __future__ import annotations

import os
from pathlib import Path


def resources_dir() -> Path:
    override = os.environ.get("CA_DESKTOP_RESOURCES")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "resources"


def forms_dir() -> Path:
    return resources_dir() / "forms"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"
