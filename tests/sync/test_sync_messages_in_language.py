"""Rejection reasons and sync CLI messages come out in the user's language, with the
numbers and names filled in by the translation (issue 13, item 10)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sync_helpers import PROGRAMME, Laptop, activity, snapshot

from ca_desktop.cli import main
from ca_desktop.domain.i18n import language, set_language


@pytest.fixture
def french() -> Iterator[None]:
    before = language()
    set_language("fr")
    yield
    set_language(before)


def _coordinator_bundles(coord: Laptop, amina: Laptop) -> tuple[Path, Path]:
    """Two bundles from the coordinator to Amina, #1 then #2."""
    programme = coord.app.save("programme", PROGRAMME)
    first = coord.send(amina)
    coord.app.save("activity", activity(programme.id))
    return first, coord.send(amina)


def test_damaged_bundle_is_rejected_in_french(
    laptops: dict[str, Laptop], tmp_path: Path, french: None
) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    programme = coord.app.save("programme", PROGRAMME)
    amina.receive(coord.send(amina))
    amina.app.save("activity", activity(programme.id))
    good = amina.send(coord).read_bytes()
    damaged = tmp_path / "damaged.cabundle"
    damaged.write_bytes(good[: len(good) // 2])
    before = snapshot(coord.app)
    result = coord.receive(damaged)
    assert result.status == "rejected"
    assert result.reason in (
        "le paquet est tronqué ou endommagé (données chiffrées)",
        "le paquet est endommagé ou a été modifié (échec du déchiffrement)",
    ), result.reason
    assert snapshot(coord.app) == before


def test_replayed_coordinator_bundle_names_numbers_in_french(
    laptops: dict[str, Laptop], french: None
) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    first, second = _coordinator_bundles(coord, amina)
    assert amina.receive(second).status == "imported"
    result = amina.receive(first)
    assert result.status == "rejected"
    # The numbers sit where the French sentence puts them, not glued after English.
    assert result.reason == (
        "paquet de coordinateur plus ancien rejoué : n° 1 de Coord, mais le n° 2 a déjà été importé"
    ).replace(" :", "\u00a0:"), result.reason


def test_bundle_already_imported_says_so_in_spanish(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    first, _ = _coordinator_bundles(coord, amina)
    amina.receive(first)
    before = language()
    set_language("es")
    try:
        result = amina.receive(first)
    finally:
        set_language(before)
    assert result.status == "unchanged"
    assert result.reason.startswith("ya importado el "), result.reason


def test_bundle_cli_rejection_is_one_french_line(
    laptops: dict[str, Laptop], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    coord = laptops["coord"]
    junk = tmp_path / "junk.cabundle"
    junk.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    capsys.readouterr()
    try:
        code = main(
            ["--lang", "fr", "--data-dir", str(coord.data_dir), "bundle", "import", str(junk)]
        )
    finally:
        set_language("en")
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.splitlines() == [err]
    assert err.startswith("ca-desktop: junk.cabundle\u00a0: rejeté\u00a0: le paquet est "), err


def test_bundle_cli_error_is_in_french(
    laptops: dict[str, Laptop], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    capsys.readouterr()
    try:
        code = main(
            [
                "--lang",
                "fr",
                "--data-dir",
                str(laptops["coord"].data_dir),
                "bundle",
                "import",
                str(empty),
            ]
        )
    finally:
        set_language("en")
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err == "ca-desktop: aucun fichier .cabundle trouvé", err


def test_english_stays_as_it_was(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    first, second = _coordinator_bundles(coord, amina)
    amina.receive(second)
    assert language() == "en"
    assert amina.receive(first).reason == (
        "replayed older coordinator bundle: #1 from Coord, but #2 was already imported"
    )
