"""A PostgreSQL server for the hub's tests: empty databases (for `hub init`) and folders
whose records live in a fresh, migrated one."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ca_desktop.services.app import CaDesktop
from tests import pg_backend


@pytest.fixture
def pg() -> Iterator[pg_backend.Server]:
    try:
        server = pg_backend.server()
    except pg_backend.Unavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL unavailable: {exc}")
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    yield server
    server.drop_made()


@pytest.fixture
def empty_url(pg: pg_backend.Server) -> str:
    """A database with nothing in it (as an administrator creates one for the office)."""
    name = f"{pg.prefix}_empty_{len(pg._made)}_{os.urandom(3).hex()}"
    with pg._admin() as con:
        con.execute(f'CREATE DATABASE "{name}"')
    pg._made.append((name, False))
    return pg_backend._with_database(pg.admin_url, name)


@pytest.fixture
def hub_folder(pg: pg_backend.Server, tmp_path: Path) -> Iterator[Callable[..., CaDesktop]]:
    """Open a coordinator's desktop on `url` (a fresh hub database when None)."""
    opened: list[CaDesktop] = []

    def make(name: str, role: str = "coordinator", url: str | None = None) -> CaDesktop:
        app = CaDesktop.open(tmp_path / name, database=url or pg.new_database())
        app.init_device(name.title(), role, "UG-CP")
        opened.append(app)
        return app

    yield make
    for app in opened:
        app.close()
