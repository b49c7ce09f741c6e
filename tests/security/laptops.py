"""The laptops the bundle attacks start from: real data folders whose keys are exchanged
and trusted, closed after the test.

`pair`: an officer (Amina) and the coordinator, each trusting the other; `team`: two
officers (Amina, Brian) and the coordinator, each officer trusting the coordinator and the
coordinator both. `trusting` builds any other cast the same way.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.sync.sync_helpers import Laptop, make_laptop


@contextmanager
def trusting(
    root: Path, officers: Sequence[str], coordinator: str = "coord"
) -> Iterator[dict[str, Laptop]]:
    """Officers and a coordinator by name; every officer and the coordinator trust each other."""
    laps = {name: make_laptop(root, name, "officer") for name in officers}
    laps[coordinator] = coord = make_laptop(root, coordinator, "coordinator")
    try:
        staff = [lap for name, lap in laps.items() if name != coordinator]
        for officer in staff:
            officer.trust(coord)
        coord.trust(*staff)
        yield laps
    finally:
        for lap in laps.values():
            lap.app.close()


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Laptop, Laptop]]:
    """Amina, an officer, and the coordinator, who trust each other."""
    with trusting(tmp_path, ["amina"]) as laps:
        yield laps["amina"], laps["coord"]


@pytest.fixture
def team(tmp_path: Path) -> Iterator[dict[str, Laptop]]:
    """Amina and Brian, officers, and the coordinator: "amina", "brian", "coord"."""
    with trusting(tmp_path, ["amina", "brian"]) as laps:
        yield laps
