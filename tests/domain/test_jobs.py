"""The long-job contract: `report` turns a False from the callback into `Cancelled`."""

from __future__ import annotations

import pytest
from jobs_helpers import StopAfter

from ca_desktop.domain.jobs import Cancelled, no_progress, report


def test_report_passes_progress_on_and_cancels_when_told() -> None:
    progress = StopAfter(1)
    report(progress, 1, 3)
    with pytest.raises(Cancelled):
        report(progress, 2, 3)
    assert progress.seen == [(1, 3), (2, 3)]


def test_no_progress_never_cancels() -> None:
    report(None, 1, 2)
    report(no_progress, 2, 2)


def test_cancelled_carries_what_finished_whole() -> None:
    exc = Cancelled("stopped", partial=[1, 2])
    assert exc.partial == [1, 2] and str(exc) == "stopped"
    assert Cancelled().partial is None
