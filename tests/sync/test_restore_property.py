"""The team-sync state machine with restores (issue 10), a few schedules per CI run.

Thousands run in `bench/soak_sync.py`; its last result is in bench/RESULTS.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from restore_machine import TeamSync, make_template


@pytest.mark.slow
def test_team_sync_with_restores_converges(tmp_path: Path) -> None:
    class Machine(TeamSync):
        template = make_template(tmp_path / "template")
        workdir = tmp_path

    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=25,
            stateful_step_count=50,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        ),
    )
