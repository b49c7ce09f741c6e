"""Hostile database URLs: a password in the settings file, another scheme, control
characters, a huge value. Each is refused with one line (exit 2), nothing is opened or
written, and a password is never echoed back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ca_desktop.cli import main
from ca_desktop.services.database_choice import (
    DATABASE_ENV,
    DatabaseChoiceError,
    chosen_database,
)

SECRET = "hunter2-correct-horse"


def _settings(folder: Path, database: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.json").write_text(json.dumps({"database": database}), "utf-8")


@pytest.fixture(autouse=True)
def _no_database_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATABASE_ENV, raising=False)


def test_a_password_in_the_settings_is_refused_and_not_repeated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    _settings(folder, f"postgresql://grace:{SECRET}@db.office.lan/ca")
    assert main(["--data-dir", str(folder), "figures"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "password in clear" in err
    assert SECRET not in err
    assert not (folder / "ca-desktop.sqlite").exists()  # nothing opened instead


@pytest.mark.parametrize(
    "value",
    [
        "sqlite:////etc/passwd",
        "file:///etc/shadow",
        "postgresql://grace@db.office.lan/",  # no database
        "postgresql://grace@db.office.lan/ca\nhost=evil",
        "postgresql://grace@db.office.lan/" + "x" * 5000,
        "not a url at all",
    ],
)
def test_an_unusable_url_in_the_settings_is_refused(tmp_path: Path, value: str) -> None:
    folder = tmp_path / "data"
    _settings(folder, value)
    with pytest.raises(DatabaseChoiceError):
        chosen_database(folder)


def test_settings_refuse_to_store_a_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    url = f"postgresql://grace:{SECRET}@db.office.lan/ca"
    assert main(["--data-dir", str(folder), "settings", "--server", url]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and SECRET not in err
    assert not (folder / "settings.json").exists() or SECRET not in (
        folder / "settings.json"
    ).read_text("utf-8")


def test_a_url_without_password_is_kept_and_chosen(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    url = "postgresql://grace@db.office.lan:6543/ca?sslmode=verify-full"
    assert main(["--data-dir", str(folder), "settings", "--server", url]) == 0
    assert chosen_database(folder) == url
    assert main(["--data-dir", str(folder), "settings", "--server", ""]) == 0
    assert chosen_database(folder) is None
