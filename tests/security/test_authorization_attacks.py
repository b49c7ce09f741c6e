"""Issue 11 item 3: a trusted officer changes only what is theirs.

The officer's bundles are real exports; the changes they carry to records first created on
another laptop, or to reference data, must not be applied on the coordinator's laptop:
kept as proposals, never lost, not relayed until a coordinator accepts them.
"""

from __future__ import annotations

from pathlib import Path

from ca_desktop.domain.revision import Revision
from ca_desktop.sync.authorship import sign_revision
from ca_desktop.sync.keys import load_keys
from tests.security.forged import signed_bundle
from tests.sync.sync_helpers import PROGRAMME, Laptop, activity, snapshot


def _shared(team: dict[str, Laptop]) -> tuple[str, str, str]:
    """A programme from the coordinator and Amina's activity with a register row, on all three."""
    amina, brian, coord = team["amina"], team["brian"], team["coord"]
    pid = coord.app.save("programme", PROGRAMME).id
    amina.receive(coord.send(amina))
    aid = amina.app.save("activity", activity(pid)).id
    row = amina.app.save(
        "attendance_entry",
        {"activity_id": aid, "line": 1, "name": "Grace N.", "sex": "female", "age_band": "15_24",
         "phone": "+256 700 000001", "consent": True},
    ).id  # fmt: skip
    coord.receive(amina.send(coord))
    brian.receive(coord.send(brian))
    return pid, aid, row


def _pending(coord: Laptop) -> list[tuple[str, str]]:
    return [(p.record_id, p.why) for p in coord.sync.proposals()]


def test_deleting_another_officers_activity_is_only_proposed(team: dict[str, Laptop]) -> None:
    brian, coord = team["brian"], team["coord"]
    _pid, aid, _row = _shared(team)
    brian.app.delete("activity", aid)
    result = coord.receive(brian.send(coord))
    assert result.status == "imported" and result.proposals == 1
    rec = coord.app.get("activity", aid)
    assert rec is not None and not rec.deleted
    assert _pending(coord) == [(aid, "not_own")]


def test_renaming_a_programme_is_only_proposed(team: dict[str, Laptop]) -> None:
    brian, coord = team["brian"], team["coord"]
    pid, _aid, _row = _shared(team)
    brian.app.save("programme", {**PROGRAMME, "name": "Renamed by Brian"}, record_id=pid)
    coord.receive(brian.send(coord))
    assert coord.app.get("programme", pid).body["name"] == PROGRAMME["name"]  # type: ignore[union-attr]
    assert _pending(coord) == [(pid, "reference")]


def test_changing_a_register_row_of_another_officer_is_only_proposed(
    team: dict[str, Laptop],
) -> None:
    brian, coord = team["brian"], team["coord"]
    _pid, aid, row = _shared(team)
    stored = brian.app.get("attendance_entry", row)
    assert stored is not None
    brian.app.save(
        "attendance_entry", {**stored.body, "phone": "+256 799 999999", "consent": False}, row
    )
    # A new row in someone else's register is a change of that register too.
    brian.app.save(
        "attendance_entry",
        {"activity_id": aid, "line": 2, "name": "Invented", "sex": "male", "age_band": "25_34"},
    )
    coord.receive(brian.send(coord))
    kept = coord.app.get("attendance_entry", row)
    assert kept is not None and kept.body["phone"] == "+256 700 000001" and kept.body["consent"]
    rows = coord.app.list_records("attendance_entry", where={"activity_id": aid})
    assert [r.id for r in rows] == [row]
    assert sorted(why for _r, why in _pending(coord)) == ["not_own", "not_own"]


def test_a_proposal_is_not_relayed_until_accepted(team: dict[str, Laptop]) -> None:
    amina, brian, coord = team["amina"], team["brian"], team["coord"]
    pid, aid, _row = _shared(team)
    brian.app.save("activity", activity(pid, title="Brian's title"), record_id=aid)
    coord.receive(brian.send(coord))
    amina.receive(coord.send(amina, full=True))
    assert amina.app.get("activity", aid).body["title"] == "Kisenyi settlement forum"  # type: ignore[union-attr]


def test_relaying_another_officers_change_does_not_apply_it(
    team: dict[str, Laptop], tmp_path: Path
) -> None:
    """Brian's signed change of Amina's activity, carried by Amina: still a proposal."""
    amina, brian, coord = team["amina"], team["brian"], team["coord"]
    _pid, aid, _row = _shared(team)
    shown = brian.app.get("activity", aid)
    assert shown is not None
    info = brian.app.device()
    assert info is not None
    rev = Revision(
        aid, "activity", (shown.rev_id,), info.device_id, 1, "1796000000000.00000", "Brian",
        True, {},
    ).with_id()  # fmt: skip
    sig = sign_revision(load_keys(brian.data_dir), rev.rev_id)
    path = tmp_path / "relay.cabundle"
    path.write_bytes(signed_bundle(amina, [(rev, sig)], seq=5))
    assert coord.receive(path, allow_plain=True).status == "imported"
    assert not coord.app.get("activity", aid).deleted  # type: ignore[union-attr]
    assert _pending(coord) == [(aid, "not_own")]


def test_a_second_first_version_of_someone_elses_record_is_refused(
    team: dict[str, Laptop], tmp_path: Path
) -> None:
    brian, coord = team["brian"], team["coord"]
    _pid, aid, _row = _shared(team)
    info = brian.app.device()
    assert info is not None
    rev = Revision(
        aid, "activity", (), info.device_id, 1, "1796000000000.00000", "Brian", False,
        activity("x", title="Hijacked"),
    ).with_id()  # fmt: skip
    path = tmp_path / "root.cabundle"
    path.write_bytes(signed_bundle(brian, [(rev, None)]))
    before = snapshot(coord.app)
    result = coord.receive(path, allow_plain=True)
    assert result.status == "rejected" and aid in result.reason
    assert snapshot(coord.app) == before
