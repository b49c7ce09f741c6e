"""The store on a PostgreSQL server: schema, upgrades, the writers' lock, the URL.

The shared suites run on both backends through the `backend` fixture; these tests are about
what only the server has (its migrations in one locked transaction, the advisory lock, the
search index as tsvector), against a real server (`pg_server`).
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from ca_desktop.services.app import CaDesktop
from ca_desktop.store import backend, database, migrate, postgres
from tests.pg_backend import Server


def _open(url: str, folder: Path) -> CaDesktop:
    app = CaDesktop.open(folder, database=url)
    if app.device() is None:
        app.init_device("Grace Coordinator", "coordinator", "UG-CP")
    return app


def test_a_new_server_database_gets_the_whole_schema(pg_server: Server, tmp_path: Path) -> None:
    url = pg_server.new_database(migrated=False)
    app = _open(url, tmp_path / "folder")
    try:
        assert app.on_server
        with app.db.engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
            assert {"revision", "record_head", "activity", "activity_fts", "local_device"} <= names
            assert migrate.current_revision_in(conn) == migrate.head_revision()
            indexes = {i["name"] for i in inspect(conn).get_indexes("activity_fts")}
            assert "ix_activity_fts_doc" in indexes
            ext = conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'"))
            assert ext.scalar() == 1
        # Nothing of the database in the folder: it keeps keys, settings and attachments.
        assert not (tmp_path / "folder" / database.DB_NAME).exists()
    finally:
        app.close()


def test_two_desktops_opening_a_new_database_at_once_migrate_it_once(
    pg_server: Server, tmp_path: Path
) -> None:
    url = pg_server.new_database(migrated=False)
    errors: list[BaseException] = []

    def open_one(name: str) -> None:
        try:
            CaDesktop.open(tmp_path / name, database=url).close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_one, args=(n,)) for n in ("a", "b", "c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    engine = backend.make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    finally:
        engine.dispose()


def test_a_server_database_from_a_newer_version_is_refused_untouched(
    pg_server: Server, tmp_path: Path
) -> None:
    url = pg_server.new_database()
    engine = backend.make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
        with pytest.raises(migrate.DatabaseTooNew, match="newer version"):
            CaDesktop.open(tmp_path / "f", database=url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                "9999_future"
            )
    finally:
        engine.dispose()


def test_a_failing_migration_on_the_server_changes_nothing(
    pg_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, activity_body: dict
) -> None:
    url = pg_server.new_database()
    app = _open(url, tmp_path / "f")
    programme = app.save(
        "programme",
        {"code": "UG-CP", "name": "Uganda", "kind": "country_programme", "country": "UG"},
    )
    rec = app.save("activity", {**activity_body, "programme_id": programme.id})
    app.close()
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts)
    (scripts / "versions" / "9001_broken.py").write_text(
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f'revision = "9001"\ndown_revision = "{migrate.head_revision()}"\n'
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade():\n"
        '    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))\n'
        "    op.execute(\"UPDATE activity SET title = 'overwritten'\")\n"
        '    raise RuntimeError("step two failed")\n\n\n'
        "def downgrade():\n    pass\n"
    )
    monkeypatch.setattr(migrate, "MIGRATIONS", scripts)
    monkeypatch.setattr(migrate, "SCHEMA_HEAD", "9001")
    with pytest.raises(migrate.MigrationFailed, match="left as it was"):
        CaDesktop.open(tmp_path / "f", database=url)
    monkeypatch.undo()
    reopened = CaDesktop.open(tmp_path / "f", database=url)
    try:
        got = reopened.get("activity", rec.id)
        assert got is not None and got.body["title"] == activity_body["title"]
        with reopened.db.engine.connect() as conn:
            assert "half_done" not in inspect(conn).get_table_names()
    finally:
        reopened.close()


def test_a_writer_waits_for_the_other_writers_transaction(pg_server: Server) -> None:
    """The advisory lock: a second writer starts only after the first committed, so it
    sees the first one's rows (what `BEGIN IMMEDIATE` gives on SQLite)."""
    url = pg_server.new_database()
    engine = backend.make_engine(url)
    first_holds, seen_by_second = threading.Event(), []
    try:

        def first() -> None:
            with backend.write_transaction(engine) as conn:
                first_holds.set()
                time.sleep(0.5)
                conn.execute(text("INSERT INTO meta(key, value) VALUES ('first', 'done')"))

        def second() -> None:
            first_holds.wait(10)
            with backend.write_transaction(engine) as conn:
                seen_by_second.append(
                    conn.execute(text("SELECT value FROM meta WHERE key = 'first'")).scalar()
                )

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert seen_by_second == ["done"]
        # Readers are not held up by a writer.
        with backend.write_transaction(engine), engine.connect() as reader:
            assert reader.execute(text("SELECT count(*) FROM meta")).scalar() >= 1
    finally:
        engine.dispose()


def test_file_operations_name_the_server_tool_and_checks_still_run(
    pg_server: Server, tmp_path: Path
) -> None:
    app = _open(pg_server.new_database(), tmp_path / "f")
    try:
        with pytest.raises(backend.NotOnServer, match="pg_dump"):
            app.backup(tmp_path / "copy.sqlite")
        assert app.check() == []
        assert app.backup_if_due(max_age_hours=0) is None
        app.verify_database()  # nothing to check on a server: returns at once
    finally:
        app.close()


def test_the_url_keeps_tls_options_and_takes_the_password_from_the_keychain() -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class Keychain(KeyringBackend):
        priority = 1  # type: ignore[assignment]
        entries: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.entries.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.entries[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.entries.pop((service, username), None)

    before = keyring.get_keyring()
    keyring.set_keyring(Keychain())
    try:
        raw = "postgresql://grace@db.office.example:6543/ca?sslmode=verify-full&sslrootcert=/ca.pem"
        keyring.set_password("ca-desktop", "grace@db.office.example:6543/ca", "s3cret")
        engine = postgres.make_engine(raw)
        try:
            assert engine.url.password == "s3cret"
            assert engine.url.query["sslmode"] == "verify-full"
            assert engine.url.query["sslrootcert"] == "/ca.pem"
            assert engine.url.drivername == "postgresql+psycopg"
        finally:
            engine.dispose()
        # No entry: no password in the URL, left to libpq's .pgpass.
        other = postgres.make_engine("postgresql://amina@db.office.example/ca")
        assert other.url.password is None
        other.dispose()
    finally:
        keyring.set_keyring(before)


def test_search_text_is_safe_and_prefix_matching() -> None:
    assert postgres.tsquery("water k") == "(water) & (k:*)"
    assert postgres.tsquery("water-kiosk") == "(water <-> kiosk:*)"
    assert postgres.tsquery("' OR 1=1; DROP TABLE activity --") == (
        "(OR) & (1 <-> 1) & (DROP) & (TABLE) & (activity:*)"
    )
    assert postgres.tsquery(" -- ") == ""


def test_the_server_check_finds_a_search_index_out_of_step(
    pg_server: Server, tmp_path: Path, activity_body: dict
) -> None:
    app = _open(pg_server.new_database(), tmp_path / "f")
    try:
        app.save("activity", activity_body)
        assert app.check() == []
        with app.db.engine.begin() as conn:
            conn.execute(text("DELETE FROM activity_fts"))
        assert app.check() == ["search index: 0 entries for 1 live activities"]
    finally:
        app.close()


def test_the_command_line_works_on_the_server_and_refuses_file_commands(
    pg_server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ca_desktop.cli import main

    url, folder = pg_server.new_database(), str(tmp_path / "f")
    assert main(["--data-dir", folder, "--database", url, "init", "--name", "Grace",
                 "--role", "coordinator", "--no-encryption"]) == 0  # fmt: skip
    assert main(["--data-dir", folder, "figures", "--json", "--database", url]) == 0
    capsys.readouterr()
    for command in (["db", "backup"], ["db", "check"], ["db", "restore", "--latest"]):
        assert main(["--data-dir", folder, "--database", url, *command]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "PostgreSQL server" in err[0], command
    assert not (tmp_path / "f" / "ca-desktop.sqlite").exists()
