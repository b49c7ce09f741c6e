"""Opening a database: migrations all-or-nothing, newer schemas refused, damage detected."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from ca_desktop.services import protection
from ca_desktop.services.app import CaDesktop
from ca_desktop.store import database, migrate, sqlite
from ca_desktop.store.sqlite import DatabaseDamaged

pytestmark = pytest.mark.sqlite_only(
    "opening, damaging, migrating and restoring the SQLite file (the server's: test_postgres.py)"
)


def tables(path: Path) -> set[str]:
    con = sqlite.connect(path, protection.key_for(path.parent))
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()


def version(path: Path) -> str:
    con = sqlite.connect(path, protection.key_for(path.parent))
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def test_a_new_database_gets_the_whole_schema_with_pragmas(data_dir: Path) -> None:
    app = CaDesktop.open(data_dir)
    with app.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    app.close()
    assert {"revision", "record_head", "activity", "activity_fts", "local_device"} <= tables(data_dir / database.DB_NAME)
    assert version(data_dir / database.DB_NAME) == migrate.head_revision()


def test_a_database_from_a_newer_version_is_refused_untouched(data_dir: Path) -> None:
    CaDesktop.open(data_dir).close()
    path = data_dir / database.DB_NAME
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num='9999_future'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(migrate.DatabaseTooNew, match="newer version"):
        CaDesktop.open(data_dir)
    assert path.read_bytes() == before


def _failing_migrations(tmp_path: Path) -> Path:
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts)
    head = migrate.head_revision()
    (scripts / "versions" / "9001_broken.py").write_text(
        f'''
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    op.add_column("activity", sa.Column("extra", sa.Text))
    op.execute("UPDATE activity SET title = 'overwritten'")
    raise RuntimeError("step three failed")


def downgrade():
    pass
'''
    )
    return scripts


@pytest.mark.encrypted_too
def test_a_failing_migration_leaves_schema_and_data_intact(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, activity_body: dict, app: CaDesktop
) -> None:
    rec = app.save("activity", activity_body)
    app.close()
    path = data_dir / database.DB_NAME
    old_version, old_tables = version(path), tables(path)
    monkeypatch.setattr(migrate, "MIGRATIONS", _failing_migrations(tmp_path))
    monkeypatch.setattr(migrate, "SCHEMA_HEAD", "9001")  # a build whose newest step fails
    with pytest.raises(migrate.MigrationFailed, match="left as it was"):
        CaDesktop.open(data_dir)
    assert version(path) == old_version
    assert tables(path) == old_tables
    monkeypatch.undo()
    reopened = CaDesktop.open(data_dir)
    got = reopened.get("activity", rec.id)
    reopened.close()
    assert got is not None and got.body["title"] == activity_body["title"]
    # The verified backup taken before the attempt is there too.
    assert list((data_dir / "backups").glob("before-upgrade-*.sqlite"))


def test_a_damaged_file_is_detected_at_open(data_dir: Path, app: CaDesktop, activity_body: dict) -> None:
    for i in range(200):
        app.save("activity", {**activity_body, "title": f"Forum {i}"})
    app.close()
    path = data_dir / database.DB_NAME
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, len(data), 4096):  # scribble over every page after the third
        data[offset + 100 : offset + 200] = b"\xff" * 100
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamaged):
        CaDesktop.open(data_dir)


def test_not_a_database_is_detected(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / database.DB_NAME).write_bytes(b"this is a text file, not SQLite" * 100)
    with pytest.raises(DatabaseDamaged):
        CaDesktop.open(data_dir)


@pytest.mark.encrypted_too
def test_backup_and_restore_round_trip(data_dir: Path, tmp_path: Path, app: CaDesktop, activity_body: dict) -> None:
    rec = app.save("activity", activity_body)
    target = app.backup(tmp_path / "copy.sqlite")
    app.save("activity", {**activity_body, "title": "After the backup"}, record_id=rec.id)
    app.close()
    aside = database.restore(data_dir, target, key=protection.key_for(data_dir))
    assert aside.exists()
    again = CaDesktop.open(data_dir)
    got = again.get("activity", rec.id)
    again.close()
    assert got is not None and got.body["title"] == activity_body["title"]


def test_restore_refuses_a_file_that_is_not_a_backup(data_dir: Path, tmp_path: Path, app: CaDesktop) -> None:
    app.close()
    before = (data_dir / database.DB_NAME).read_bytes()
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"\0" * 5000)
    with pytest.raises(DatabaseDamaged):
        database.restore(data_dir, junk)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.commit()
    with pytest.raises(DatabaseDamaged, match="not a CA Desktop database"):
        database.restore(data_dir, other)
    assert (data_dir / database.DB_NAME).read_bytes() == before


def test_restore_never_reuses_a_sequence_number(
    data_dir: Path, tmp_path: Path, app: CaDesktop, activity_body: dict
) -> None:
    app.save("activity", activity_body)
    target = app.backup(tmp_path / "old.sqlite")
    later = [app.save("activity", {**activity_body, "title": f"Later {i}"}) for i in range(3)]
    app.close()
    database.restore(data_dir, target)
    again = CaDesktop.open(data_dir)
    fresh = again.save("activity", {**activity_body, "title": "After restore"})
    again.close()
    con = sqlite3.connect(data_dir / database.DB_NAME)
    mine = con.execute(
        "SELECT device_id, device_seq FROM revision WHERE rev_id = ?", (fresh.rev_id,)
    ).fetchone()
    con.close()
    # The revisions made after the backup live on in the file kept aside, with their numbers;
    # the restored laptop is a new incarnation (a new device id), so none can collide.
    aside = sqlite3.connect(sorted((data_dir / "backups").glob("replaced-*.sqlite"))[-1])
    earlier = {
        aside.execute(
            "SELECT device_id, device_seq FROM revision WHERE rev_id = ?", (r.rev_id,)
        ).fetchone()
        for r in later
    }
    aside.close()
    assert mine not in earlier and mine[0] not in {d for d, _ in earlier}


@pytest.mark.encrypted_too
def test_automatic_backups_are_taken_when_due_and_pruned(app: CaDesktop, activity_body: dict) -> None:
    first = app.backup_if_due()
    assert first is not None and first.exists()
    assert app.backup_if_due() is None  # a fresh one exists
    for _ in range(12):
        assert app.backup_if_due(max_age_hours=0) is not None
    assert len(list(app.db.backups_dir.glob("auto-*.sqlite"))) == database.KEEP_BACKUPS
    assert database.latest_backup(app.data_dir) is not None


def test_schema_head_constant_matches_the_migration_scripts() -> None:
    assert migrate.head_revision() == migrate.SCHEMA_HEAD


def test_opening_an_up_to_date_database_does_not_load_alembic(data_dir: Path) -> None:
    import subprocess
    import sys

    CaDesktop.open(data_dir).close()
    code = (
        "import sys, pathlib; from ca_desktop.services.app import CaDesktop;"
        f"CaDesktop.open(pathlib.Path({str(data_dir)!r})).close();"
        "print(any(m == 'alembic' or m.startswith('alembic.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_restore_replaces_a_database_whose_header_is_destroyed(
    data_dir: Path, tmp_path: Path, app: CaDesktop, activity_body: dict
) -> None:
    rec = app.save("activity", activity_body)
    good = app.backup(tmp_path / "good.sqlite")
    app.close()
    path = data_dir / database.DB_NAME
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.write_bytes(b"\x00" * 100 + path.read_bytes()[100:])
    with pytest.raises(DatabaseDamaged):
        CaDesktop.open(data_dir)
    aside = database.restore(data_dir, good)
    assert aside.exists()  # the damaged file is kept, never deleted
    again = CaDesktop.open(data_dir)
    assert again.get("activity", rec.id) is not None
    again.close()
