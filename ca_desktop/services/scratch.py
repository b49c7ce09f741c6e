"""Temporary files that may hold personal data live inside the data folder, never in /tmp.

The data folder is private to its user (`0700`) and sits on the disk the officer
protects; the system temporary folder is shared and outlives the app. Copies handed to
another program (an attachment opened in a viewer, a form preview) go to `tmp/view-*`
and are removed when the data folder is closed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

SCRATCH = "tmp"
VIEW_PREFIX = "view-"


def scratch_root(data_dir: Path) -> Path:
    root = data_dir / SCRATCH
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name != "nt":
        os.chmod(root, 0o700)
    return root


def view_folder(data_dir: Path) -> Path:
    """A new private folder for copies shown by other programs (removed by `clean_views`)."""
    return Path(tempfile.mkdtemp(prefix=VIEW_PREFIX, dir=scratch_root(data_dir)))


def clean_views(data_dir: Path) -> None:
    """Remove every view folder (when the data folder is closed)."""
    root = data_dir / SCRATCH
    if not root.is_dir():
        return
    for folder in root.glob(f"{VIEW_PREFIX}*"):
        with contextlib.suppress(OSError):  # a viewer may still hold a file on Windows
            shutil.rmtree(folder)
