"""The PostgreSQL side of the two-backend fixture (`backend` in tests/conftest.py).

A server comes from `CA_DESKTOP_TEST_PG` (a superuser URL to its `postgres` database, as
`packaging/dev.py test` exports it), or else a throwaway cluster this process starts itself
(`packaging/pg_cluster.py`). Each test gets a fresh database copied from a template that
was migrated once per process (CREATE DATABASE ... TEMPLATE: a file copy on the server,
far quicker than running the migrations again), named after the xdist worker so parallel
workers never meet; every database a test made is dropped after it.
"""

from __future__ import annotations

import atexit
import itertools
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ENV = "CA_DESKTOP_TEST_PG"


class Unavailable(Exception):
    """No PostgreSQL server for the tests; the message says why."""


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _with_database(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _libpq(url: str) -> str:
    """The URL as libpq takes it (no SQLAlchemy driver suffix)."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


class Server:
    """The test server: fresh databases from a migrated template, dropped after each test."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.prefix = f"ca_test_{_worker()}_{os.getpid()}"
        self.template = f"{self.prefix}_template"
        self._names = itertools.count(1)
        self._made: list[str] = []
        self._template_ready = False

    def _admin(self) -> Any:
        import psycopg

        return psycopg.connect(_libpq(self.admin_url), autocommit=True)

    def _ensure_template(self) -> None:
        if self._template_ready:
            return
        from ca_desktop.store.database import Database

        with self._admin() as con:
            con.execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
            con.execute(f'CREATE DATABASE "{self.template}"')
        folder = Path(tempfile.mkdtemp(prefix="ca-pg-template-"))
        Database.open(folder, None, _with_database(self.admin_url, self.template)).close()
        self._template_ready = True
        atexit.register(self.drop_template)

    def new_database(self, migrated: bool = True) -> str:
        """The URL of a fresh database: migrated and empty, or (`migrated=False`) bare."""
        if migrated:
            self._ensure_template()
        name = f"{self.prefix}_{next(self._names)}"
        template = f' TEMPLATE "{self.template}"' if migrated else ""
        with self._admin() as con:
            con.execute(f'CREATE DATABASE "{name}"{template}')
        self._made.append(name)
        return _with_database(self.admin_url, name)

    def drop_made(self) -> None:
        """Drop the databases made since the last call (their connections cut)."""
        if not self._made:
            return
        with self._admin() as con:
            for name in self._made:
                con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._made.clear()

    def drop_template(self) -> None:
        try:
            with self._admin() as con:
                con.execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        except Exception:  # noqa: BLE001 - the server may be gone at exit already
            pass


# The current test's source of server databases (empty: folders keep their own file).
FOLDER_DATABASES: list[Callable[[], str]] = []


def place_records(folder: Path) -> None:
    """Point a new data folder at a fresh server database when the test runs on PostgreSQL
    (the folder's `database` setting); nothing on SQLite."""
    if FOLDER_DATABASES:
        from ca_desktop.services.settings import update_settings

        update_settings(folder, database=FOLDER_DATABASES[-1]())


_server: Server | None = None
_failure: str | None = None


def server() -> Server:
    """The process's test server, started on first use; Unavailable when there is none."""
    global _server, _failure
    if _server is not None:
        return _server
    if _failure is not None:
        raise Unavailable(_failure)
    url = os.environ.get(ENV)
    if not url:
        try:
            url = _start_cluster()
        except Exception as exc:  # noqa: BLE001 - any reason is the reason to report
            _failure = str(exc) or type(exc).__name__
            raise Unavailable(_failure) from None
    _server = Server(url)
    return _server


def _start_cluster() -> str:
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import pg_cluster
    finally:
        sys.path.pop(0)
    cluster = pg_cluster.Cluster()
    try:
        url = cluster.start()
    except BaseException:
        cluster.stop()
        raise
    atexit.register(cluster.stop)
    return url


def availability() -> str:
    """One line for the test run's header: where PostgreSQL tests will run, or why not."""
    if os.environ.get(ENV):
        return f"PostgreSQL tests: on {ENV}"
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import pg_cluster

        bindir = pg_cluster.find_bindir()
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL tests: skipped ({exc})"
    finally:
        sys.path.pop(0)
    return f"PostgreSQL tests: a throwaway cluster per process ({bindir})"
