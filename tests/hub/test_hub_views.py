"""The indicator views give the same rows on PostgreSQL as on SQLite (and each gives the
reports' figures: tests/store/test_indicator_views.py runs on both backends)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ca_desktop.services.app import CaDesktop
from ca_desktop.services.demo import generate_demo
from ca_desktop.store import backend, indicator_views


def _figures(app: CaDesktop) -> dict[str, list[tuple[object, ...]]]:
    """Every view's rows without record ids (they differ between two generated sets)."""
    with backend.write_transaction(app.db.engine) as conn:
        indicator_views.create_views(conn)
    out = {}
    with app.db.engine.connect() as conn:
        for name in indicator_views.VIEWS:
            rows = indicator_views.view_rows(conn, name)
            out[name] = sorted(
                tuple(
                    round(float(v), 2)
                    if isinstance(v, (int, float)) or hasattr(v, "as_integer_ratio")
                    else v
                    for k, v in row.items()
                    if k != "programme_id"
                )
                for row in rows
            )
    return out


def test_the_views_agree_across_backends(
    hub_folder: Callable[..., CaDesktop], tmp_path: Path
) -> None:
    laptop = CaDesktop.open(tmp_path / "laptop")
    try:
        laptop.init_device("Carla", "coordinator", "UG-CP")
        generate_demo(laptop, 250, seed=11)
        expected = _figures(laptop)
    finally:
        laptop.close()
    server = hub_folder("carla")
    generate_demo(server, 250, seed=11)
    found = _figures(server)
    assert all(expected[name] for name in indicator_views.VIEWS)
    assert found == expected
