"""Whether this officer's own change of a record waits for the coordinator (issue 11).

An officer may change reference data, or a record first created on another laptop, on
their own laptop; the coordinator's laptop keeps that change as a proposal until it is
accepted or rejected. Until a coordinator's answer (a revision descending from the
officer's) comes back, the record's shown version is the officer's own: it is *pending*.
The same rule as `sync/authorization.py`, read from the graph here.
"""

from __future__ import annotations

from collections.abc import Sequence

from ca_desktop.domain.records import RECORD_SPECS
from ca_desktop.services.app import CaDesktop
from ca_desktop.store import proposal_queries


def pending_review(app: CaDesktop, record_ids: Sequence[str]) -> set[str]:
    """Of `record_ids`, those showing an officer's change still awaiting the coordinator
    (always empty on a coordinator's laptop: its changes apply everywhere)."""
    info = app.device()
    if info is None or info.role == "coordinator" or not record_ids:
        return set()
    reference = [t for t, spec in RECORD_SPECS.items() if spec.reference]
    with app.db.engine.connect() as conn:
        return proposal_queries.own_heads_out_of_bounds(
            conn, record_ids, info.own_devices, reference
        )
