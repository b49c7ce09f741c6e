"""Issue 11 item 6: a laptop whose clock runs more than a day ahead never wins a conflict.

Before, only a clock a *year* ahead lost: an officer who set the date a few days forward
won every conflict against the coordinator's honest edits. Built with real bundles.
"""

from __future__ import annotations

from ca_desktop.domain.hlc import Timestamp, physical_ms
from ca_desktop.store import sqlite
from ca_desktop.store.tables import LocalDevice
from tests.sync.sync_helpers import PROGRAMME, Laptop, activity

DAY = 24 * 3600 * 1000


def _clock_ahead(lap: Laptop, days: int) -> None:
    stamp = str(Timestamp(physical_ms() + days * DAY, 0))
    with sqlite.write_transaction(lap.app.db.engine) as conn:
        conn.execute(LocalDevice.__table__.update().values(clock=stamp))  # type: ignore[attr-defined]


def test_a_clock_days_ahead_is_flagged_and_loses(pair: tuple[Laptop, Laptop]) -> None:
    amina, coord = pair
    pid = coord.app.save("programme", PROGRAMME).id
    amina.receive(coord.send(amina))
    aid = amina.app.save("activity", activity(pid)).id
    coord.receive(amina.send(coord))
    amina.receive(coord.send(amina))
    coord.app.save("activity", {"title": "Coordinator's honest edit"}, aid)
    _clock_ahead(amina, 3)
    amina.app.save("activity", {"title": "Written three days ahead"}, aid)
    result = coord.receive(amina.send(coord))
    assert result.flagged_clocks == 1
    rec = coord.app.get("activity", aid)
    assert rec is not None and rec.heads == 2
    assert rec.body["title"] == "Coordinator's honest edit"
    assert [e.clock_flag for e in coord.app.history(aid)].count(True) == 1
    [c] = coord.sync.conflicts()
    assert next(v for v in c.versions if v.rev_id == c.winner).body["title"] == (
        "Coordinator's honest edit"
    )
