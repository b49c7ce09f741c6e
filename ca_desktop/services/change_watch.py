"""Changes made by others: what the GUI's short poll asks (`gui/change_poll.py`)."""

from __future__ import annotations

import threading

from ca_desktop.services.app import CaDesktop
from ca_desktop.store import change_marker


class ChangeWatch:
    """Remembers the newest change seen; `poll` returns the record types changed since."""

    def __init__(self, app: CaDesktop) -> None:
        self.app = app
        self._seen: int | None = None
        self._lock = threading.Lock()  # polls run on worker threads

    def poll(self) -> frozenset[str]:
        """Record types changed since the last poll (nothing on the first: the baseline).

        One index probe when nothing changed, so it can run every few seconds."""
        with self._lock, self.app.db.engine.connect() as conn:
            if self._seen is None:
                self._seen = change_marker.marker(conn)
                return frozenset()
            self._seen, types = change_marker.types_since(conn, self._seen)
            return types
