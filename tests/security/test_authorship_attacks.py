"""Issue 11 item 3: a trusted officer cannot sign revisions as someone else.

Each bundle is built for real with the sync code and signed by a trusted officer's key;
each must be refused whole, naming the record and the claimed author, nothing written.
"""

from __future__ import annotations

from pathlib import Path

from ca_desktop.domain.ids import uuid7
from ca_desktop.domain.revision import Revision
from ca_desktop.sync.authorship import sign_revision
from ca_desktop.sync.keys import load_keys
from tests.security.forged import signed_bundle
from tests.sync.sync_helpers import PROGRAMME, Laptop, snapshot


def _revision(lap: Laptop, author: str, seq: int = 1) -> Revision:
    info = lap.app.device()
    assert info is not None
    return Revision(
        uuid7(), "programme", (), info.device_id, seq, "1790000000000.00000", author, False,
        dict(PROGRAMME),
    ).with_id()  # fmt: skip


def _refused(coord: Laptop, data: bytes, tmp: Path, *words: str) -> None:
    path = tmp / "hostile.cabundle"
    path.write_bytes(data)
    before = snapshot(coord.app)
    result = coord.receive(path, allow_plain=True)
    assert result.status == "rejected", result
    for word in words:
        assert word in result.reason, result.reason
    assert snapshot(coord.app) == before


def test_own_revision_claiming_another_author_is_refused(
    team: dict[str, Laptop], tmp_path: Path
) -> None:
    amina, coord = team["amina"], team["coord"]
    rev = _revision(amina, "Brian")
    data = signed_bundle(amina, [(rev, None)])
    _refused(coord, data, tmp_path, rev.record_id, "'Brian'")


def test_relayed_revision_claiming_another_author_is_refused(
    team: dict[str, Laptop], tmp_path: Path
) -> None:
    """Brian signs a revision naming the coordinator as author; Amina relays it."""
    amina, brian, coord = team["amina"], team["brian"], team["coord"]
    rev = _revision(brian, "Coord")
    sig = sign_revision(load_keys(brian.data_dir), rev.rev_id)
    data = signed_bundle(amina, [(rev, sig)])
    _refused(coord, data, tmp_path, rev.record_id, "'Coord'")


def test_honest_relayed_revision_still_imports(team: dict[str, Laptop], tmp_path: Path) -> None:
    amina, brian, coord = team["amina"], team["brian"], team["coord"]
    rev = _revision(brian, "Brian")
    sig = sign_revision(load_keys(brian.data_dir), rev.rev_id)
    path = tmp_path / "honest.cabundle"
    path.write_bytes(signed_bundle(amina, [(rev, sig)]))
    assert coord.receive(path, allow_plain=True).status == "imported"
