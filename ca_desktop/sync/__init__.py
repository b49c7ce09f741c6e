"""Sync: keys, the bundle format, export, import and merge, conflict review.

Importing this package registers the init hook that creates the device's keys and the write
hook that signs each new revision with them, so every entry point that can run `init` or
write (the CLI's `bundle_cmd`, the GUI) must import it.
"""

from pathlib import Path

from ca_desktop.services.app import CaDesktop, on_device_init, on_revisions_written
from ca_desktop.services.views import DeviceInfo
from ca_desktop.sync.authorship import sign_revision
from ca_desktop.sync.errors import SyncError
from ca_desktop.sync.keys import DeviceKeys, ensure_keys, key_path, load_keys

_KEYS: dict[Path, DeviceKeys] = {}  # loaded once per data folder: the key file never changes


def _create_keys(app: CaDesktop, info: DeviceInfo) -> None:
    ensure_keys(app.data_dir, info)


def _sign(app: CaDesktop, rev_ids: list[str]) -> list[tuple[str, str, str]]:
    keys = _KEYS.get(app.data_dir)
    if keys is None:
        if not key_path(app.data_dir).exists():
            return []  # no keys yet (set up before sync existed): the export signs instead
        try:
            keys = _KEYS[app.data_dir] = load_keys(app.data_dir)
        except SyncError:
            return []  # a damaged key file is reported by sync itself, not by every save
    return [(rev_id, *sign_revision(keys, rev_id)) for rev_id in rev_ids]


on_device_init(_create_keys)
on_revisions_written(_sign)
