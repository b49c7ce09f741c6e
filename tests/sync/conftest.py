"""Fixtures for sync tests: two officers and a coordinator who trust each other."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_helpers import Laptop, make_laptop


@pytest.fixture
def laptops(tmp_path: Path, backend: str) -> Iterator[dict[str, Laptop]]:
    """Two officers and a coordinator who have exchanged and trusted public keys."""
    amina = make_laptop(tmp_path, "amina", "officer")
    brian = make_laptop(tmp_path, "brian", "officer")
    coord = make_laptop(tmp_path, "coord", "coordinator")
    amina.trust(coord)
    brian.trust(coord)
    coord.trust(amina, brian)
    yield {"amina": amina, "brian": brian, "coord": coord}
    for lap in (amina, brian, coord):
        lap.app.close()
