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


# The schema's columns and version, to tell a database a test changed from a new one.
_SHAPE = (
    "SELECT md5(string_agg(table_name || '.' || column_name || ':' || data_type, ',' "
    "ORDER BY table_name, column_name)), (SELECT max(version_num) FROM alembic_version) "
    "FROM information_schema.columns WHERE table_schema = 'public'"
)


class Server:
    """The test server: fresh databases from a migrated template, dropped or emptied for
    reuse after each test."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.prefix = f"ca_test_{_worker()}_{os.getpid()}"
        self.template = f"{self.prefix}_template"
        self._names = itertools.count(1)
        self._made: list[tuple[str, bool]] = []  # (name, to be emptied and reused)
        self._free: list[str] = []  # emptied databases, as new as a copy of the template
        self._template_ready = False
        self._shape: Any = None

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
        url = _with_database(self.admin_url, self.template)
        Database.open(folder, None, url).close()
        import psycopg

        with psycopg.connect(_libpq(url)) as con:
            self._shape = con.execute(_SHAPE).fetchone()
        self._template_ready = True
        atexit.register(self.drop_all)

    def new_database(self, migrated: bool = True, reuse: bool = False) -> str:
        """The URL of a fresh database: migrated and empty, or (`migrated=False`) bare.

        `reuse`: the test will not change its schema, so after the test it is emptied
        and handed out again (copying the template costs a second or two per database;
        emptying it, a few milliseconds)."""
        if migrated and reuse and self._free:
            name = self._free.pop()
        else:
            if migrated:
                self._ensure_template()
            name = f"{self.prefix}_{next(self._names)}"
            template = f' TEMPLATE "{self.template}"' if migrated else ""
            with self._admin() as con:
                con.execute(f'CREATE DATABASE "{name}"{template}')
        self._made.append((name, migrated and reuse))
        return _with_database(self.admin_url, name)

    def drop_made(self) -> None:
        """After a test: its databases' connections cut, then each emptied for reuse or
        dropped."""
        if not self._made:
            return
        with self._admin() as con:
            for name, reuse in self._made:
                if reuse:
                    con.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = %s AND pid <> pg_backend_pid()",
                        (name,),
                    )
                    if self._empty(name):
                        self._free.append(name)
                        continue
                con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._made.clear()

    def _empty(self, name: str) -> bool:
        """Every row the test wrote removed (the schema and the search setting kept)."""
        import psycopg

        try:
            with psycopg.connect(_libpq(_with_database(self.admin_url, name))) as con:
                tables = [
                    r[0]
                    for r in con.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                        "AND tablename NOT IN ('alembic_version', 'meta')"
                    )
                ]
                if con.execute(_SHAPE).fetchone() != self._shape:
                    return False  # the test changed the schema: not as new any more
                names = ", ".join(f'"{t}"' for t in tables)
                con.execute(f"TRUNCATE {names} RESTART IDENTITY")
                con.execute("DELETE FROM meta WHERE key <> 'search_fields'")
            return True
        except psycopg.Error:
            return False  # dropped instead

    def drop_all(self) -> None:
        """At exit: the template and the databases kept for reuse."""
        try:
            with self._admin() as con:
                for name in [*self._free, self.template]:
                    con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
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


def folder_database() -> str:
    """A database for one data folder of a test on the PostgreSQL backend."""
    return server().new_database(reuse=True)


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
        url = cluster.start()  # watched: stopped when this process ends, however
    except BaseException:
        cluster.stop()
        raise
    _STOP.append(cluster.stop)
    atexit.register(shutdown)
    return url


_STOP: list[Callable[[], None]] = []


def shutdown() -> None:
    """Drop this process's databases and stop the cluster it started, if any (pytest's
    end of session; the cluster's watchdog covers an abrupt end)."""
    if _server is not None:
        _server.drop_all()
    while _STOP:
        _STOP.pop()()


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
