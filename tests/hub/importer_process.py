"""One coordinator's desktop importing bundles into a hub, in its own process.

    python importer_process.py DATA_DIR DATABASE_URL GO_FILE BUNDLE...

Opens the desktop (warm: connected, ready), waits until GO_FILE exists so that several
processes start importing at the same moment, then imports and prints one JSON line per
bundle: {"status", "revisions_new", "conflicts"}.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main() -> None:
    folder, url, go, *bundles = sys.argv[1:]
    from ca_desktop.services.app import CaDesktop
    from ca_desktop.sync.service import SyncService

    app = CaDesktop.open(Path(folder), database=url)
    sync = SyncService(app)
    sync.imports()  # connected and warm before the start signal
    print("ready", flush=True)
    deadline = time.monotonic() + 60
    while not Path(go).exists():
        if time.monotonic() > deadline:
            raise SystemExit("no start signal")
        time.sleep(0.005)
    for result in sync.import_bundles([Path(b) for b in bundles]):
        doc = {"status": result.status, "new": result.revisions_new, "conflicts": result.conflicts,
               "reason": result.reason}  # fmt: skip
        print(json.dumps(doc), flush=True)
    app.close()


if __name__ == "__main__":
    main()
