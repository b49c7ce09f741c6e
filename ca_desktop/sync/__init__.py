"""Sync: keys, the bundle format, export, import and merge, conflict review.

Importing this package registers the init hook that creates the device's keys, so every
entry point that can run `init` (the CLI's `bundle_cmd`, the GUI) must import it.
"""

from ca_desktop.services.app import CaDesktop, on_device_init
from ca_desktop.services.views import DeviceInfo
from ca_desktop.sync.keys import ensure_keys


def _create_keys(app: CaDesktop, info: DeviceInfo) -> None:
    ensure_keys(app.data_dir, info)


on_device_init(_create_keys)
