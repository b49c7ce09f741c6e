"""Issue 11 item 6: an unencrypted bundle is imported only when the person importing says so.

A plain bundle can be read and swapped by anyone who had the stick; from a trusted sender it
was imported silently. Now the CLI needs `--allow-plain` (exit 2, one line, nothing written
otherwise) and the GUI asks first (tests/gui/sync/test_plain_import.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ca_desktop.cli import main
from tests.sync.sync_helpers import PROGRAMME, Laptop, activity, snapshot


def test_plain_bundle_needs_allow_plain(
    pair: tuple[Laptop, Laptop], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    amina, coord = pair
    pid = amina.app.save("programme", PROGRAMME).id
    amina.app.save("activity", activity(pid))
    path = tmp_path / "plain.cabundle"
    assert not amina.sync.export(path, plain=True).encrypted
    before = snapshot(coord.app)
    cli = ["--data-dir", str(coord.data_dir), "bundle", "import", str(path)]
    assert main(cli) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not encrypted" in err and "--allow-plain" in err
    assert snapshot(coord.app) == before
    assert main([*cli, "--allow-plain"]) == 0
    assert coord.app.count("activity") == 1


def test_encrypted_bundle_needs_no_confirmation(pair: tuple[Laptop, Laptop]) -> None:
    amina, coord = pair
    amina.app.save("programme", PROGRAMME)
    assert coord.receive(amina.send(coord)).status == "imported"
