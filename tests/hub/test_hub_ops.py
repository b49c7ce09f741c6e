"""`hub init`, `hub migrate`, `hub check` against a real PostgreSQL server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from ca_desktop.services import hub
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.demo import generate_demo
from ca_desktop.store import indicator_views, migrate

ROOT = Path(__file__).resolve().parents[2]


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _as_role(url: str, role: str, sql: str) -> str | None:
    """Run `sql` with the rights of `role`; the error's first line, or None when allowed."""
    with psycopg.connect(_libpq(url)) as con:
        con.execute(f'SET ROLE "{role}"')
        try:
            con.execute(sql)
        except psycopg.Error as exc:
            return str(exc).splitlines()[0]
        finally:
            con.rollback()
    return None


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "ca_desktop", *args],
        capture_output=True, text=True, env=env, timeout=300, input=stdin,
    )  # fmt: skip


def test_init_creates_the_schema_views_and_two_narrow_roles(empty_url: str, tmp_path: Path) -> None:
    app_pw, reader_pw = tmp_path / "app.pw", tmp_path / "reader.pw"
    app_pw.write_text("app password 123\n")
    reader_pw.write_text("reader password 456\n")
    done = _cli("hub", "init", "--database", empty_url, "--app-role", "t_app",
                "--reader-role", "t_reader", "--app-password-file", str(app_pw),
                "--reader-password-file", str(reader_pw))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Hub ready: schema " + migrate.SCHEMA_HEAD in done.stdout
    assert "app password" not in done.stdout + done.stderr
    with psycopg.connect(_libpq(empty_url)) as con:
        secret = con.execute("SELECT rolpassword FROM pg_authid WHERE rolname = 't_app'").fetchone()
        assert secret is not None and secret[0].startswith("SCRAM-SHA-256$4096:")
        views = {r[0] for r in con.execute("SELECT table_name FROM information_schema.views")}
    assert set(indicator_views.VIEWS) <= views
    # The application: reads and writes rows, never changes the schema or its version.
    assert _as_role(empty_url, "t_app", "SELECT count(*) FROM revision") is None
    assert _as_role(empty_url, "t_app", "DELETE FROM meta WHERE key = 'x'") is None
    assert "permission denied" in str(_as_role(empty_url, "t_app", "CREATE TABLE x (a int)"))
    assert "must be owner" in str(_as_role(empty_url, "t_app", "DROP TABLE activity"))
    assert "permission denied" in str(
        _as_role(empty_url, "t_app", "UPDATE alembic_version SET version_num = '0001'")
    )
    # The BI role: the indicator views, nothing else (registers hold names and phones).
    for view in indicator_views.VIEWS:
        assert _as_role(empty_url, "t_reader", f"SELECT * FROM {view}") is None
    for table in ("attendance_entry", "grievance", "activity", "revision"):
        assert "permission denied" in str(_as_role(empty_url, "t_reader", f"SELECT * FROM {table}"))
    assert "permission denied" in str(
        _as_role(empty_url, "t_reader", "INSERT INTO meta VALUES ('a', 'b')")
    )


def test_init_again_and_migrate_change_nothing(empty_url: str) -> None:
    first = hub.init_hub(empty_url, "app password 123", "reader password 456")
    assert first.before is None and set(first.created_roles) <= {"ca_app", "ca_reader"}
    again = hub.init_hub(empty_url, "app password 789", "reader password 012")
    assert again.before == again.after == migrate.SCHEMA_HEAD and again.created_roles == ()
    assert hub.migrate_hub(empty_url).before == migrate.SCHEMA_HEAD
    assert hub.check_hub(empty_url) == []


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("--app-role", "pg_monitor"), "role name 'pg_monitor' is not allowed"),
        (("--app-role", 'x"; DROP TABLE activity; --'), "is not allowed"),
        (("--app-role", "same", "--reader-role", "same"), "is not allowed"),
    ],
)
def test_bad_role_names_are_refused_and_nothing_is_written(
    empty_url: str, tmp_path: Path, args: tuple[str, ...], reason: str
) -> None:
    pw = tmp_path / "pw"
    pw.write_text("a long enough password\n")
    pw2 = tmp_path / "pw2"
    pw2.write_text("another long password\n")
    done = _cli("hub", "init", "--database", empty_url, *args, "--app-password-file", str(pw),
                "--reader-password-file", str(pw2))  # fmt: skip
    assert done.returncode == 2 and reason in done.stderr and "Traceback" not in done.stderr
    with psycopg.connect(_libpq(empty_url)) as con:
        tables = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert tables == (0,)


def test_a_password_is_never_taken_without_a_file_or_terminal(empty_url: str) -> None:
    done = _cli("hub", "init", "--database", empty_url, stdin="")
    assert done.returncode == 2
    assert "password of role ca_app" in done.stderr and len(done.stderr.splitlines()) == 1


def test_check_lists_each_problem_and_exits_2(
    hub_folder: Callable[..., CaDesktop], pg: object
) -> None:
    app = hub_folder("carla")
    url = app.db.url
    assert url is not None
    with pytest.raises(hub.HubError, match="does not exist: run 'hub init' first"):
        hub.migrate_hub(url, hub.Roles("nobody_here", "nobody_there"))
    hub.init_hub(url, "app password 123", "reader password 456")
    generate_demo(app, 30, seed=2)
    assert hub.check_hub(url) == []
    with psycopg.connect(_libpq(url)) as con:
        first, second = con.execute("SELECT id FROM activity ORDER BY id LIMIT 2").fetchall()
        con.execute("UPDATE activity SET heads = 2 WHERE id = %s", first)
        con.execute("DELETE FROM record_head WHERE record_id = %s", second)
        con.execute("DROP VIEW ca_indicators_cuf")
    problems = hub.check_hub(url)
    assert any("activity row counts its heads wrong: " + first[0] in p for p in problems)
    assert any("a record has revisions but no head: " + second[0] in p for p in problems)
    assert any("indicator view ca_indicators_cuf is missing" in p for p in problems)
    done = _cli("hub", "check", "--database", url)
    assert done.returncode == 2 and len(done.stderr.splitlines()) == len(problems) >= 4
    assert hub.migrate_hub(url) and not any("view" in p for p in hub.check_hub(url))


def test_check_names_an_old_schema(empty_url: str) -> None:
    hub.init_hub(empty_url, "app password 123", "reader password 456")
    with psycopg.connect(_libpq(empty_url)) as con:
        con.execute("UPDATE alembic_version SET version_num = '0012'")
    [problem] = hub.check_hub(empty_url)
    assert "schema version 0012" in problem and "hub migrate" in problem


def _as_user(url: str, user: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(username=user).render_as_string(hide_password=False)


def test_a_desktop_works_with_the_application_role_only(empty_url: str, tmp_path: Path) -> None:
    """Everything a coordinator's desktop does needs no more than `ca_app`'s rights:
    set-up, records, a bundle import (its TEMP staging tables), reports."""
    from ca_desktop.reports.filters import ReportFilters
    from ca_desktop.reports.indicators import compute_figures
    from ca_desktop.sync.service import SyncService
    from tests.hub.test_several_coordinators import _trust
    from tests.sync.sync_helpers import PROGRAMME, activity

    hub.init_hub(empty_url, "app password 123", "reader password 456")
    url = _as_user(empty_url, "ca_app")
    desk = CaDesktop.open(tmp_path / "carla", database=url)
    amina = CaDesktop.open(tmp_path / "amina")
    try:
        desk.init_device("Carla", "coordinator", "UG-CP")
        amina.init_device("Amina", "officer", "UG-CP")
        _trust(amina, desk, tmp_path, "coordinator")
        _trust(desk, amina, tmp_path, "officer")
        pid = amina.save("programme", PROGRAMME).id
        amina.save("activity", activity(pid))
        bundle = tmp_path / "a.cabundle"
        SyncService(amina).export(bundle)
        [result] = SyncService(desk).import_bundles([bundle])
        assert result.status == "imported", result.reason
        desk.save("activity", activity(pid, title="Typed on the hub"))
        assert compute_figures(desk, ReportFilters()).value("activities") == 2
    finally:
        desk.close()
        amina.close()
    assert hub.check_hub(empty_url) == []


def test_the_password_verifier_is_the_one_the_server_computes(empty_url: str) -> None:
    import base64

    from ca_desktop.store.hub_admin import scram_verifier

    with psycopg.connect(_libpq(empty_url), autocommit=True) as con:
        con.execute("SET password_encryption = 'scram-sha-256'")
        con.execute("DROP ROLE IF EXISTS scram_probe")
        con.execute("CREATE ROLE scram_probe PASSWORD 'Ünïcode-free? no: plain ascii 42'")
        row = con.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = 'scram_probe'"
        ).fetchone()
        con.execute("DROP ROLE scram_probe")
    assert row is not None
    server = row[0]
    salt = base64.b64decode(server.split("$")[1].split(":")[1])
    assert scram_verifier("Ünïcode-free? no: plain ascii 42", salt) == server
