"""Where this laptop's own changes stand: not exported, exported and waiting for the
coordinator's receipt, or received.

"Not sent yet" after a successful export made officers think the export had failed. A
bundle written to a USB stick is only half the journey: the changes count as received when
a bundle back from the coordinator carries a receipt for them (`sent_seq`, kept by
`apply._note_receipt`). Plain values out, for the status bar and the Home page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ca_desktop.services.app import CaDesktop
from ca_desktop.store import device_queries, sync_queries
from ca_desktop.sync.export import EXPORTED_OWN_SEQ

State = Literal["nothing", "not_exported", "waiting", "received"]


@dataclass(frozen=True)
class SendState:
    unsent: int  # own changes no receipt has acknowledged
    unexported: int  # own changes made after the newest bundle written here
    bundle_name: str | None = None  # the newest bundle written here
    exported_at: str | None = None  # its UTC time, ISO 8601

    @property
    def state(self) -> State:
        if self.unexported:
            return "not_exported"
        if self.unsent:
            return "waiting"
        return "received" if self.bundle_name else "nothing"


def send_state(app: CaDesktop) -> SendState:
    """Where this laptop's own changes stand (all zero before setup)."""
    info = app.device()
    if info is None:
        return SendState(0, 0)
    with app.db.engine.connect() as conn:
        acknowledged = int(device_queries.meta_value(conn, "sent_seq") or 0)
        unsent = device_queries.revisions_after(conn, info.device_id, acknowledged)
        exports = sync_queries.export_rows(conn)
        newest = exports[0] if exports else None
        exported_seq = int(device_queries.meta_value(conn, EXPORTED_OWN_SEQ) or 0)
        unexported = device_queries.revisions_after(
            conn, info.device_id, max(exported_seq, acknowledged)
        )
    if newest is None:
        return SendState(unsent, unexported)
    return SendState(unsent, unexported, str(newest["file_name"]), str(newest["exported_at"]))
