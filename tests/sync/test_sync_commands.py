"""The command line, as a new user would use it: keys, bundles, conflicts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_helpers import PROGRAMME, Laptop, activity

from ca_desktop.cli import main


def run(lap: Laptop, *args: str) -> int:
    return main(["--data-dir", str(lap.data_dir), *args])


def test_keys_commands(laptops: dict[str, Laptop], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    assert run(amina, "keys", "show") == 0
    out = capsys.readouterr().out
    assert amina.sync.own_key().fingerprint in out and "Coord" in out
    assert run(amina, "keys", "export", "--out", str(tmp_path / "a.pub")) == 0
    capsys.readouterr()
    eve_coord = coord.pubkey()
    assert run(amina, "keys", "trust", str(eve_coord), "--fingerprint", "0000-0000-0000-0000-0000") == 2
    assert "does not match" in capsys.readouterr().err
    assert run(coord, "keys", "revoke", amina.sync.own_key().fingerprint[:9]) == 0
    assert run(coord, "keys", "revoke", "zzzz") == 2
    assert run(amina, "keys", "trust", str(tmp_path / "missing.pub")) == 2


def test_export_inspect_import_and_conflicts(
    laptops: dict[str, Laptop], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    amina, brian, coord = laptops["amina"], laptops["brian"], laptops["coord"]
    pid = amina.app.save("programme", PROGRAMME).id
    aid = amina.app.save("activity", activity(pid)).id
    out = tmp_path / "amina.cabundle"
    assert run(amina, "bundle", "export", "--out", str(out)) == 0  # to the only coordinator
    assert "encrypted for Coord" in capsys.readouterr().out
    assert run(coord, "bundle", "inspect", str(out)) == 0
    shown = capsys.readouterr().out
    assert "Amina" in shown and "field export" in shown and "revisions: 2" in shown and "valid" in shown
    assert run(coord, "bundle", "import", str(out)) == 0
    assert "2 new" in capsys.readouterr().out
    assert run(coord, "bundle", "import", str(out)) == 0
    assert "unchanged" in capsys.readouterr().out
    back = tmp_path / "back"
    back.mkdir()
    assert run(coord, "bundle", "export", "--out", str(back / "to-brian.cabundle"), "--to", str(brian.pubkey())) == 0
    assert run(brian, "bundle", "import", str(back)) == 0  # a folder of bundles
    rec = brian.app.get("activity", aid)
    assert rec is not None
    brian.app.save("activity", {**rec.body, "title": "Brian"}, record_id=aid)
    amina.app.save("activity", {**rec.body, "title": "Amina"}, record_id=aid)
    for lap, name in ((amina, "a2"), (brian, "b2")):
        path = tmp_path / f"{name}.cabundle"
        assert run(lap, "bundle", "export", "--out", str(path)) == 0
        assert run(coord, "bundle", "import", str(path)) == 0
    capsys.readouterr()
    assert run(coord, "conflicts", "list") == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and aid in lines[0] and "hard" in lines[0]
    assert run(coord, "conflicts", "show", aid) == 0
    assert "title" in capsys.readouterr().out
    c = coord.sync.conflict(aid)
    assert run(coord, "conflicts", "resolve", aid, "--take", c.versions[-1].rev_id[:12]) == 0
    capsys.readouterr()
    assert run(coord, "conflicts", "list") == 0
    assert capsys.readouterr().out == ""


def test_rejected_bundle_exits_2_with_one_line(
    laptops: dict[str, Laptop], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.cabundle"
    bad.write_bytes(b"hello")
    assert run(laptops["coord"], "bundle", "inspect", str(bad)) == 2
    assert run(laptops["coord"], "bundle", "import", str(bad)) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all("not a CA Desktop bundle" in line for line in err)
