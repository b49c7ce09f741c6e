"""Practice mode: demo data in a folder of its own, never mixed with real work.

Demo data written into a real data folder went out in the next bundle and could not be
taken back. Practice data therefore lives in a sibling folder (`<data folder>-practice`)
marked by a file, so any part of the app can tell practice from real work: the GUI marks
it in the title and status bars, sync refuses to export or import there, and removing it is
deleting that folder, which is only ever done to a folder carrying the mark.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from ca_desktop.domain.jobs import Progress

if TYPE_CHECKING:  # the GUI asks about practice folders before the storage stack loads
    from ca_desktop.services.app import CaDesktop

MARK = "PRACTICE-MODE"
PRACTICE_ACTIVITIES = 2000
PRACTICE_USER = "Practice user"


class PracticeData(Exception):
    """Something real (a sync bundle) was asked of a practice folder."""


def practice_dir(real_dir: Path) -> Path:
    """Where the practice folder of a real data folder lives (beside it, never inside)."""
    return real_dir.parent / f"{real_dir.name}-practice"


def is_practice(data_dir: Path) -> bool:
    return (data_dir / MARK).is_file()


def prepare_practice(real_dir: Path) -> Path:
    """Create the (empty, marked) practice folder if needed; returns it."""
    folder = practice_dir(real_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARK).write_text("Practice data: never synced, safe to delete.\n", "utf-8")
    return folder


def fill_practice(app: CaDesktop, progress: Progress | None = None) -> dict[str, int]:
    """Give a new practice folder its practice identity and demo data (once)."""
    from ca_desktop.services.demo import generate_demo

    if not is_practice(app.data_dir):
        raise PracticeData(f"{app.data_dir} is not a practice folder")
    if app.device() is not None:
        return {}
    app.init_device(PRACTICE_USER, "officer", None)
    return generate_demo(app, PRACTICE_ACTIVITIES, progress=progress)


def remove_practice(folder: Path) -> bool:
    """Delete a practice folder (closed first); False, touching nothing, if it is not one."""
    if not is_practice(folder):
        return False
    shutil.rmtree(folder)
    return True
