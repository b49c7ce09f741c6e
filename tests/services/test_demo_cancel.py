"""Cancelling demo data: the batch in hand is dropped whole, written batches stay whole."""

from __future__ import annotations

import pytest
from jobs_helpers import StopAfter

from ca_desktop.domain.jobs import Cancelled
from ca_desktop.services import demo
from ca_desktop.services.app import CaDesktop


def _counts(app: CaDesktop) -> dict[str, int]:
    return {t: app.count(t) for t in ("programme", "place", "activity", "attendance_entry")}


def test_cancel_at_once_writes_nothing(app: CaDesktop) -> None:
    before = _counts(app)
    with pytest.raises(Cancelled):
        demo.generate_demo(app, 50, progress=StopAfter(0))
    assert _counts(app) == before


def test_cancel_midway_keeps_whole_batches(app: CaDesktop, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "BATCH", 40)
    progress = StopAfter(3)
    with pytest.raises(Cancelled):
        demo.generate_demo(app, 200, progress=progress)
    done = progress.seen[-2][0]  # activities in the batches written before the stop
    assert 0 < done < 200 and app.count("activity") == done
    assert app.check() == []  # every register line and project points at a written record
