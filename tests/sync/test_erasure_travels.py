"""An erasure travels: every laptop that imports it forgets the person in all its
revisions of that record, and bundles written afterwards carry no personal value."""

from __future__ import annotations

import json
from pathlib import Path

from sync_helpers import PROGRAMME, Laptop, activity

from ca_desktop.services.erasure import erase_record
from ca_desktop.store.backend import write_transaction

NAME, PHONE = "Tumusiime Travelmarker", "+256700111999"


def files_with(folder: Path, marker: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and marker.encode() in p.read_bytes()]


def ids_check(lap: Laptop) -> bool:
    from sqlalchemy import text

    from ca_desktop.domain.revision import Revision

    with write_transaction(lap.app.db.engine) as conn:
        rows = conn.execute(
            text(
                "SELECT record_id, record_type, parents, device_id, device_seq, hlc, author, "
                "deleted, body, rev_id FROM revision"
            )
        ).all()
    return all(
        Revision(r[0], r[1], tuple(json.loads(r[2])), r[3], r[4], r[5], r[6], bool(r[7]),
                 json.loads(r[8]), r[9]).computed_id() == r[9]
        for r in rows
    )  # fmt: skip


def test_erasure_reaches_the_coordinator_and_what_it_sends_on(laptops: dict[str, Laptop]) -> None:
    amina, brian, coord = laptops["amina"], laptops["brian"], laptops["coord"]
    pid = amina.app.save("programme", PROGRAMME).id
    act = amina.app.save("activity", activity(pid)).id
    row = amina.app.save(
        "attendance_entry",
        {"activity_id": act, "line": 1, "name": NAME, "sex": "female", "age_band": "15_24",
         "phone": PHONE},
    ).id  # fmt: skip
    amina.app.save("attendance_entry", {"phone": PHONE + "0"}, record_id=row)
    assert coord.receive(amina.send(coord)).status == "imported"
    assert coord.app.get("attendance_entry", row).body["name"] == NAME
    assert files_with(coord.data_dir, NAME)

    erase_record(amina.app, row, "consent withdrawn")
    assert coord.receive(amina.send(coord)).status == "imported"

    got = coord.app.get("attendance_entry", row)
    assert got is not None and got.body.get("name") is None and got.body["sex"] == "female"
    for marker in (NAME, PHONE):
        assert files_with(amina.data_dir, marker) == [], marker
        assert files_with(coord.data_dir, marker) == [], marker
    assert ids_check(amina) and ids_check(coord)

    # What the coordinator sends on carries no personal value of that person.
    brian.trust(amina)
    result = brian.receive(coord.send(brian))
    assert result.status == "imported"
    for marker in (NAME, PHONE):
        assert files_with(brian.data_dir, marker) == [], marker
    assert ids_check(brian)


def test_a_revision_arriving_after_the_erasure_is_erased_too(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    pid = amina.app.save("programme", PROGRAMME).id
    act = amina.app.save("activity", activity(pid)).id
    row = amina.app.save(
        "attendance_entry",
        {"activity_id": act, "line": 1, "name": NAME, "sex": "male", "age_band": "15_24"},
    ).id  # fmt: skip
    early = amina.send(coord)  # lost on the way, imported after the erasure
    assert coord.receive(early).status == "imported"
    erase_record(coord.app, row, "asked at the forum")  # the coordinator erases
    amina.app.save("attendance_entry", {"name": NAME + " B"}, record_id=row)  # not seen yet
    assert coord.receive(amina.send(coord)).status == "imported"
    assert files_with(coord.data_dir, NAME) == []
    assert ids_check(coord)


def test_rows_written_before_commitments_are_erased_and_sync_goes_on(
    laptops: dict[str, Laptop], monkeypatch: object
) -> None:
    import ca_desktop.store.revisions as revisions

    amina, coord = laptops["amina"], laptops["coord"]
    pid = amina.app.save("programme", PROGRAMME).id
    act = amina.app.save("activity", activity(pid)).id
    # As an earlier version wrote it: the values hashed in clear, no salt.
    monkeypatch.setattr(revisions, "seal", lambda _t, body: dict(body))  # type: ignore[attr-defined]
    row = amina.app.save(
        "attendance_entry",
        {"activity_id": act, "line": 1, "name": NAME, "sex": "male", "age_band": "15_24"},
    ).id  # fmt: skip
    monkeypatch.undo()  # type: ignore[attr-defined]
    erase_record(amina.app, row, "asked")
    result = coord.receive(amina.send(coord))
    assert result.status == "imported", result.reason
    got = coord.app.get("attendance_entry", row)
    assert got is not None and got.body.get("name") is None
    assert files_with(amina.data_dir, NAME) == [] and files_with(coord.data_dir, NAME) == []


def test_an_erasure_by_the_coordinator_reaches_the_officer(laptops: dict[str, Laptop]) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    pid = amina.app.save("programme", PROGRAMME).id
    act = amina.app.save("activity", activity(pid)).id
    row = amina.app.save(
        "attendance_entry",
        {"activity_id": act, "line": 1, "name": NAME, "sex": "male", "age_band": "15_24",
         "phone": PHONE},
    ).id  # fmt: skip
    assert coord.receive(amina.send(coord)).status == "imported"
    erase_record(coord.app, row, "asked the coordinator")
    result = amina.receive(coord.send(amina))
    assert result.status == "imported", result.reason
    for marker in (NAME, PHONE):
        assert files_with(amina.data_dir, marker) == [], marker
    assert ids_check(amina)
