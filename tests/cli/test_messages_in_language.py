"""Every word in the user's language: a domain rule, a spreadsheet import and the command
line, switched to French, give whole French sentences with the numbers placed by the
translation; the CLI takes its language from the data folder's settings."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from ca_desktop.cli import main
from ca_desktop.domain.i18n import set_language
from ca_desktop.domain.validation import ValidationError
from ca_desktop.reports.spreadsheet_import import ImportRejected, import_spreadsheet
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.settings import update_settings


@pytest.fixture
def french() -> Iterator[None]:
    set_language("fr")
    yield
    set_language("en")


def test_a_domain_rule_in_french(app: CaDesktop, french: None) -> None:
    with pytest.raises(ValidationError) as caught:
        app.save("place", {"name": "Kisenyi", "kind": "settlement", "latitude": 123.0})
    texts = {i.field: i.text() for i in caught.value.issues}
    assert texts["latitude"] == "doit se situer entre -90 et 90"
    assert texts["longitude"] == "est nécessaire quand l'autre coordonnée est renseignée"
    # The English stays available for logs and bundles.
    assert {i.message for i in caught.value.issues} >= {"must be between -90 and 90"}


def test_an_import_error_in_french(app: CaDesktop, tmp_path: Path, french: None) -> None:
    path = tmp_path / "orgs.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["name", "type"], ["Org", "not-a-type"], ["", "ngo"]])
    with pytest.raises(ImportRejected) as caught:
        import_spreadsheet(app, path, "organisation")
    reasons = [p.reason for p in caught.value.report.problems]
    assert "'not-a-type' ne fait pas partie des codes autorisés" in reasons
    assert "est obligatoire" in reasons


def test_the_cli_speaks_the_language_of_the_data_folder(
    app: CaDesktop, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = app.data_dir
    app.close()
    update_settings(folder, language="fr")
    args = ["--data-dir", str(folder), "forms", "print", "CA-F01", "--blank", "--copies", "0"]
    assert main([*args, "--out", str(folder / "f.pdf")]) == 2
    assert capsys.readouterr().err == "ca-desktop: --copies doit se situer entre 1 et 1000\n"
    # --lang wins over the setting.
    assert main([*args, "--out", str(folder / "f.pdf"), "--lang", "es"]) == 2
    assert capsys.readouterr().err == "ca-desktop: --copies debe estar entre 1 y 1000\n"
    set_language("en")


def test_cli_listings_in_the_language_of_the_data_folder(
    app: CaDesktop, capsys: pytest.CaptureFixture[str]
) -> None:
    record_id = app.save("programme", {"code": "UG-CP", "name": "Uganda", "kind": "country_programme", "country": "UG"}).id  # fmt: skip
    folder = app.data_dir
    app.close()
    update_settings(folder, language="fr")
    try:
        assert main(["--data-dir", str(folder), "history", record_id]) == 0
        out = capsys.readouterr().out
        assert "  sur cet ordinateur #1  créé\n  révision " in out
        assert "    name: (vide) -> Uganda" in out
        assert main(["--data-dir", str(folder), "db", "check"]) == 0
        assert capsys.readouterr().out.endswith("\u00a0: ok\n")
        assert main(["--data-dir", str(folder), "proposals", "list", "--all"]) == 0
        assert capsys.readouterr().out == ""
    finally:
        set_language("en")
