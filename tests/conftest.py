"""Shared fixtures. Qt runs offscreen; every test gets its own data folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("CA_DESKTOP_DATA_DIR", None)
# Folders the suite creates stay plain unless a test asks for encryption (tests/security,
# the `encrypted` fixtures); those that do use a cheap key derivation, never a real folder.
os.environ["CA_DESKTOP_TEST_NO_ENCRYPTION"] = "1"
os.environ["CA_DESKTOP_TEST_KDF_COST"] = "10"
os.environ.pop("CA_DESKTOP_PASSPHRASE_FILE", None)

from ca_desktop.services import protection  # noqa: E402
from ca_desktop.services.app import CaDesktop  # noqa: E402
from tests import pg_backend  # noqa: E402

TEST_PASSPHRASE = "a test passphrase"
os.environ["CA_DESKTOP_TEST_PASSPHRASE"] = TEST_PASSPHRASE  # for the suite's own subprocesses

# CI machines are shared and slow: judge properties, not speed.
settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile("ci")


# The suites that run on both backends: an SQLite file and a PostgreSQL server.
BOTH_BACKENDS = ("store", "sync", "reports")
BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `encrypted_too` run on a plain and on an encrypted data folder.

    A representative subset (open, migrate, back up, restore, search, kill -9) carries the
    mark, so the encrypted path is proved without running the whole suite twice.

    Tests of the store, sync and reports suites run on both backends (`backend`), except
    those marked `sqlite_only` (about the file itself: damage, kill -9, SQLCipher, backups).
    """
    if metafunc.definition.get_closest_marker("encrypted_too") and "folder_kind" in metafunc.fixturenames:
        metafunc.parametrize("folder_kind", ["plain", "encrypted"], indirect=True)
    if "backend" in metafunc.fixturenames and _runs_on_both(metafunc):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


def _runs_on_both(metafunc: pytest.Metafunc) -> bool:
    if metafunc.definition.get_closest_marker("sqlite_only"):
        return False
    parts = Path(str(metafunc.definition.path)).relative_to(Path(__file__).parent).parts
    return len(parts) > 1 and parts[0] in BOTH_BACKENDS


def pytest_report_header(config: pytest.Config) -> str:
    return pg_backend.availability()


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """"sqlite" or "postgresql": where the data folders of this test keep their records.

    On "postgresql", each folder made through `data_dir` or `pg_backend.place_records` gets
    a fresh database of the test server (as its `database` setting). No server here: the
    test is skipped with the reason, or fails when `CI` is set (CI must run them).
    """
    kind = str(getattr(request, "param", "sqlite"))
    if kind != "postgresql":
        yield kind
        return
    try:
        server = pg_backend.server()
    except pg_backend.Unavailable as exc:
        message = f"PostgreSQL unavailable: {exc}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    pg_backend.FOLDER_DATABASES.append(server.new_database)
    try:
        yield kind
    finally:
        pg_backend.FOLDER_DATABASES.clear()
        server.drop_made()


@pytest.fixture
def pg_server() -> Iterator[pg_backend.Server]:
    """The test PostgreSQL server (tests of the server backend alone); skipped without
    one, failed when `CI` is set. Databases a test made on it are dropped after it."""
    try:
        server = pg_backend.server()
    except pg_backend.Unavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL unavailable: {exc}")
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    try:
        yield server
    finally:
        server.drop_made()


@pytest.fixture
def folder_kind(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "plain"))


@pytest.fixture
def data_dir(tmp_path: Path, folder_kind: str, backend: str) -> Iterator[Path]:
    folder = tmp_path / "data"
    if folder_kind == "encrypted":
        protection.create_encrypted(folder, TEST_PASSPHRASE)
    pg_backend.place_records(folder)
    yield folder
    protection.lock(folder)


@pytest.fixture
def app(data_dir: Path) -> Iterator[CaDesktop]:
    """An opened, initialised data folder with no records."""
    app = CaDesktop.open(data_dir)
    app.init_device("Amina Nakato", "officer", "UG-CP")
    yield app
    app.close()


@pytest.fixture
def programme_id(app: CaDesktop) -> str:
    return app.save(
        "programme",
        {"code": "UG-CP", "name": "Uganda Country Programme", "kind": "country_programme", "country": "UG"},
    ).id


@pytest.fixture
def settlement_id(app: CaDesktop) -> str:
    country = app.save("place", {"name": "Uganda", "kind": "country", "country": "UG"}).id
    city = app.save("place", {"name": "Kampala", "kind": "city", "parent_id": country}).id
    return app.save("place", {"name": "Kisenyi", "kind": "settlement", "parent_id": city}).id


@pytest.fixture
def activity_body(programme_id: str, settlement_id: str) -> dict[str, object]:
    return {
        "programme_id": programme_id,
        "level": "community",
        "type": "settlement_forum",
        "themes": ["gender", "resilience"],
        "title": "Kisenyi settlement forum",
        "description": "Monthly forum",
        "start_date": "2026-11-02",
        "end_date": "2026-11-02",
        "place_id": settlement_id,
        "status": "completed",
        "female_youth": 5,
        "female_other": 10,
        "male_youth": 3,
        "male_other": 7,
        "notes": "Residents discussed the water kiosk and drainage.",
    }


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config.stash[_EXIT_STATUS] = int(exitstatus)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave with pytest's own status before the interpreter tears Qt down.

    PySide6 occasionally crashes while Python finalises its objects at exit ("Fatal Python
    error: bool_dealloc"), after every test has run and been reported; that must not turn
    a green run red, nor a red one green.
    """
    import sys

    status = config.stash.get(_EXIT_STATUS, None)
    if status is not None and "PySide6.QtCore" in sys.modules:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


_EXIT_STATUS = pytest.StashKey[int]()
