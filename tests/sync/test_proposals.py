"""The review queue: an officer's change of another's record is accepted or rejected by the
coordinator, reaches everyone as the coordinator's revision, and leaves no conflict or gap."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_helpers import PROGRAMME, Laptop, activity, replica_state

from ca_desktop.cli import main
from ca_desktop.sync.errors import SyncError
from ca_desktop.sync.send_state import send_state


def _brian_edits_aminas_activity(laptops: dict[str, Laptop], **changes: object) -> str:
    amina, brian, coord = laptops["amina"], laptops["brian"], laptops["coord"]
    pid = coord.app.save("programme", PROGRAMME).id
    amina.receive(coord.send(amina))
    aid = amina.app.save("activity", activity(pid)).id
    coord.receive(amina.send(coord))
    brian.receive(coord.send(brian))
    shown = brian.app.get("activity", aid)
    assert shown is not None
    brian.app.save("activity", {**shown.body, **changes}, record_id=aid)
    assert coord.receive(brian.send(coord)).proposals == 1
    return aid


def _round(laptops: dict[str, Laptop]) -> None:
    amina, brian, coord = laptops["amina"], laptops["brian"], laptops["coord"]
    for _ in range(2):
        coord.receive(amina.send(coord))
        coord.receive(brian.send(coord))
        amina.receive(coord.send(amina))
        brian.receive(coord.send(brian))


def test_accepted_proposal_reaches_everyone_without_conflict(laptops: dict[str, Laptop]) -> None:
    coord = laptops["coord"]
    aid = _brian_edits_aminas_activity(laptops, title="Brian's title", notes="Seen by Brian")
    coord.app.save("activity", {"female_youth": 9}, aid)  # the coordinator's own edit meanwhile
    [p] = coord.sync.proposals()
    changed = {c.field: (c.current, c.proposed) for c in p.changes if c.changed}
    assert changed == {
        "title": ("Kisenyi settlement forum", "Brian's title"),
        "notes": (None, "Seen by Brian"),
    }
    assert p.author == "Brian" and p.why == "not_own" and p.status == "pending"
    done = coord.sync.accept_proposal(p.rev_id[:8])
    assert done.status == "accepted" and done.answered_by == "Coord"
    assert coord.sync.proposals() == []
    _round(laptops)
    for name in ("amina", "brian", "coord"):
        rec = laptops[name].app.get("activity", aid)
        assert rec is not None and rec.heads == 1, name
        assert (rec.body["title"], rec.body["notes"], rec.body["female_youth"]) == (
            "Brian's title", "Seen by Brian", 9,
        )  # fmt: skip
        assert laptops[name].sync.conflicts() == []
        assert send_state(laptops[name].app).unsent == 0, name  # no gap left behind
    states = [replica_state(laptops[n].app) for n in ("amina", "brian", "coord")]
    assert states[0] == states[1] == states[2]


def test_rejected_proposal_is_kept_and_the_coordinators_version_wins(
    laptops: dict[str, Laptop],
) -> None:
    brian, coord = laptops["brian"], laptops["coord"]
    aid = _brian_edits_aminas_activity(laptops, title="Brian's title")
    assert brian.app.get("activity", aid).body["title"] == "Brian's title"  # type: ignore[union-attr]
    [p] = coord.sync.proposals()
    with pytest.raises(SyncError, match="reason"):
        coord.sync.reject_proposal(p.rev_id, "  ")
    coord.sync.reject_proposal(p.rev_id, "The title is the one on the attendance sheet")
    [kept] = coord.sync.proposals(None)
    assert kept.status == "rejected" and kept.reason.startswith("The title")
    _round(laptops)
    for name in ("amina", "brian", "coord"):
        rec = laptops[name].app.get("activity", aid)
        assert (
            rec is not None and rec.heads == 1 and rec.body["title"] == "Kisenyi settlement forum"
        )
        assert send_state(laptops[name].app).unsent == 0, name
    # Nothing is lost: Brian's version stays in the history everywhere.
    assert any(e.author == "Brian" for e in coord.app.history(aid))


def test_an_officer_cannot_answer_and_an_answer_is_given_once(laptops: dict[str, Laptop]) -> None:
    coord = laptops["coord"]
    _brian_edits_aminas_activity(laptops, title="Brian's title")
    [p] = coord.sync.proposals()
    with pytest.raises(SyncError, match="only a coordinator"):
        laptops["amina"].sync.accept_proposal(p.rev_id)
    coord.sync.accept_proposal(p.rev_id)
    with pytest.raises(SyncError, match="already accepted"):
        coord.sync.reject_proposal(p.rev_id, "too late")


def test_proposals_cli(laptops: dict[str, Laptop], capsys: pytest.CaptureFixture[str]) -> None:
    coord = laptops["coord"]
    aid = _brian_edits_aminas_activity(laptops, title="Brian's title")
    base = ["--data-dir", str(coord.data_dir), "proposals"]
    assert main([*base, "list"]) == 0
    [line] = capsys.readouterr().out.strip().splitlines()
    assert aid in line and "Brian" in line and "pending" in line
    rev = line.split()[0]
    assert main([*base, "show", rev]) == 0
    assert "title: Kisenyi settlement forum  ->  Brian's title" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_:
        main([*base, "reject", rev])  # --reason is required
    assert exit_.value.code == 2
    capsys.readouterr()
    assert main([*base, "accept", "nothing-like-this"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert main([*base, "reject", rev, "--reason", "Keep the register title"]) == 0
    assert capsys.readouterr().out.startswith("Rejected")
    assert main([*base, "list"]) == 0
    assert capsys.readouterr().out == ""
    assert main([*base, "list", "--all"]) == 0
    assert "rejected by Coord" in capsys.readouterr().out


def test_a_chain_of_proposals_is_answered_together(laptops: dict[str, Laptop]) -> None:
    brian, coord = laptops["brian"], laptops["coord"]
    aid = _brian_edits_aminas_activity(laptops, title="First try")
    shown = brian.app.get("activity", aid)
    assert shown is not None
    brian.app.save("activity", {**shown.body, "title": "Second try"}, record_id=aid)
    coord.receive(brian.send(coord))
    pending = coord.sync.proposals()
    assert len(pending) == 2
    coord.sync.accept_proposal(pending[-1].rev_id)
    assert coord.sync.proposals() == []
    rec = coord.app.get("activity", aid)
    assert rec is not None and rec.heads == 1 and rec.body["title"] == "Second try"


def test_import_reports_proposals(
    laptops: dict[str, Laptop], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brian, coord = laptops["brian"], laptops["coord"]
    pid = coord.app.save("programme", PROGRAMME).id
    brian.receive(coord.send(brian))
    brian.app.save("programme", {**PROGRAMME, "name": "Renamed"}, record_id=pid)
    out = tmp_path / "b.cabundle"
    brian.sync.export(out)
    assert main(["--data-dir", str(coord.data_dir), "bundle", "import", str(out)]) == 0
    assert "1 kept for review" in capsys.readouterr().out


def test_an_answered_proposal_sent_again_is_not_counted_again(laptops: dict[str, Laptop]) -> None:
    brian, coord = laptops["brian"], laptops["coord"]
    _brian_edits_aminas_activity(laptops, title="Brian's title")
    [p] = coord.sync.proposals()
    coord.sync.accept_proposal(p.rev_id)
    again = coord.receive(brian.send(coord, full=True))
    assert again.status == "imported" and again.proposals == 0
    assert coord.sync.proposals() == []
