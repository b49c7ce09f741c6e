"""The Sync page's background work, composed from `SyncService`: plain data in and out.

Each function here runs on a worker thread through `TaskManager.run`; none touches a
widget. Removable drives are found through `QStorageInfo` (the only Qt use, and it is
thread-safe) so the export can suggest the USB stick the officer just plugged in.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStorageInfo

from ca_desktop.domain.file_names import safe_file_name
from ca_desktop.domain.jobs import Cancelled, Progress
from ca_desktop.sync.importer import BUNDLE_SUFFIX, ImportResult, expand_paths
from ca_desktop.sync.service import KnownDevice, OwnKey, SyncService
from ca_desktop.sync.views import ExportView, ImportView, TrustedKeyView

# Mount points under which desktops put removable media; `/` and system folders never are.
_REMOVABLE_ROOTS = ("/media/", "/run/media/", "/mnt/", "/Volumes/")
_SYSTEM_FS = {"tmpfs", "devtmpfs", "proc", "sysfs", "overlay", "squashfs", "autofs", "efivarfs"}


EVERY_COORDINATOR = "__coordinators__"  # an officer's bundle for all its coordinators


@dataclass(frozen=True)
class Overview:
    """Everything the Sync page shows, read in one go on a worker thread."""

    own: OwnKey
    trusted: list[TrustedKeyView]
    imports: list[ImportView]
    exports: list[ExportView]
    devices: list[KnownDevice]
    conflicts: int
    default_recipient: str | None  # key id the service picks with no choice (or all
    # coordinators, for an officer who trusts several), if any
    proposals: int = 0  # officers' changes waiting for this coordinator's review


@dataclass(frozen=True)
class Drive:
    root: Path
    name: str


def load_overview(sync: SyncService) -> Overview:
    own = sync.own_key()
    trusted = sync.trusted_keys()
    found = sync.default_recipients()
    if len(found) == 1:
        default: str | None = found[0].key_id
    elif len(found) > 1 and own.role == "officer":
        default = EVERY_COORDINATOR
    else:
        default = None  # several candidates: the user chooses, nothing is wrong
    return Overview(
        own, trusted, sync.imports(), sync.exports(), sync.known_devices(),
        len(sync.conflicts()), default, _proposals(sync),
    )  # fmt: skip


def _proposals(sync: SyncService) -> int:
    """Proposals waiting here; only a coordinator answers them, so only one is told."""
    own = sync.app.device()
    return len(sync.proposals()) if own is not None and own.role == "coordinator" else 0


def is_removable(root: str, fs_type: str, system_drive: str = "C:") -> bool:
    """Whether a mounted volume looks like a USB stick or card rather than a system disk."""
    if fs_type.lower() in _SYSTEM_FS:
        return False
    if sys.platform == "win32" or re.match(r"^[A-Za-z]:[\\/]?$", root):
        return not root.upper().startswith(system_drive.upper())
    return root.startswith(_REMOVABLE_ROOTS)


def removable_drives() -> list[Drive]:
    """Mounted, writable removable volumes, for the export destination."""
    out = []
    for vol in QStorageInfo.mountedVolumes():
        if not (vol.isValid() and vol.isReady()) or vol.isReadOnly():
            continue
        root = vol.rootPath()
        if is_removable(root, bytes(vol.fileSystemType().data()).decode(errors="replace")):
            out.append(Drive(Path(root), vol.displayName() or Path(root).name))
    return out


def short_device(device_id: str) -> str:
    """The laptop id as the status bar shows it: the random end of the UUID, since the
    time-ordered start is the same for laptops set up within a minute of each other."""
    return device_id.split("-")[-1][-8:]


def bundle_name(user_name: str, now: dt.datetime | None = None) -> str:
    """`amina-nakato-2026-11-27-0930.cabundle`: who and when, accents kept
    (`awa-traoré-…`), readable on any file system."""
    now = now or dt.datetime.now()
    slug = re.sub(r"[\W_]+", "-", user_name.lower()).strip("-") or "ca-desktop"
    return safe_file_name(f"{slug}-{now:%Y-%m-%d-%H%M}", BUNDLE_SUFFIX)


def free_path(folder: Path, name: str) -> Path:
    """`folder/name`, or `name-2`, `name-3`… so an export never overwrites an older bundle."""
    path = folder / name
    stem, suffix = path.stem, path.suffix
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}{suffix}"
        n += 1
    return path


def bundle_paths(paths: Sequence[Path]) -> list[Path]:
    """Dropped or chosen paths reduced to bundle files and folders (others are ignored)."""
    return [p for p in paths if p.is_dir() or p.suffix.lower() == BUNDLE_SUFFIX]


def import_paths(
    sync: SyncService, paths: Sequence[Path], progress: Progress, allow_plain: bool = False
) -> list[ImportResult]:
    """Import each bundle on its own, so an unreadable file (a pulled USB stick) becomes a
    rejected line in the report instead of stopping the rest. Stops between files when
    cancelled, raising `Cancelled` with the results so far; a bundle is never half-applied."""
    files = expand_paths(paths)
    results: list[ImportResult] = []
    for i, path in enumerate(files):
        if not progress(i, len(files)):
            raise Cancelled(f"import stopped after {i} of {len(files)} files", results)
        try:
            results += sync.import_bundles([path], allow_plain=allow_plain)
        except OSError as exc:
            results.append(
                ImportResult(
                    path, "rejected", f"the file could not be read ({exc.strerror or exc})"
                )
            )
    progress(len(results), len(files))
    return results
