"""A small hand-built data set whose figures were counted by hand (see the comments)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ca_desktop.services.app import CaDesktop


@dataclass
class Hand:
    ids: dict[str, str]  # short name -> record id


def _activity(app: CaDesktop, programme: str, place: str, **body: object) -> str:
    base: dict[str, object] = {
        "programme_id": programme,
        "place_id": place,
        "title": "x",
        "themes": [],
    }
    return app.save("activity", {**base, **body}).id


@pytest.fixture
def hand(app: CaDesktop) -> Hand:
    """Two programmes (UG, GH), a place tree, 7 activities (one deleted), registers, CUF
    projects and grievances. Hand counts for 2026Q3 are in tests/reports/test_indicators.py.
    """
    ids: dict[str, str] = {}
    save = app.save
    ids["UG"] = save(
        "programme",
        {"code": "UG-CP", "name": "Uganda CP", "kind": "country_programme", "country": "UG"},
    ).id
    ids["GH"] = save(
        "programme",
        {"code": "GH-CP", "name": "Ghana CP", "kind": "country_programme", "country": "GH"},
    ).id
    ids["ug"] = save("place", {"name": "Uganda", "kind": "country", "country": "UG"}).id
    ids["kampala"] = save("place", {"name": "Kampala", "kind": "city", "parent_id": ids["ug"]}).id
    ids["kisenyi"] = save(
        "place", {"name": "Kisenyi", "kind": "settlement", "parent_id": ids["kampala"]}
    ).id
    ids["kawempe"] = save(
        "place", {"name": "Kawempe", "kind": "settlement", "parent_id": ids["kampala"]}
    ).id
    ids["gh"] = save("place", {"name": "Ghana", "kind": "country", "country": "GH"}).id
    ids["accra"] = save("place", {"name": "Accra", "kind": "city", "parent_id": ids["gh"]}).id
    ids["fadama"] = save(
        "place", {"name": "Old Fadama", "kind": "settlement", "parent_id": ids["accra"]}
    ).id
    ug, gh = ids["UG"], ids["GH"]
    ids["A1"] = _activity(
        app,
        ug,
        ids["kisenyi"],
        level="community",
        type="settlement_forum",
        themes=["gender", "resilience"],
        start_date="2026-07-10",
        status="completed",
        female_youth=5,
        female_other=10,
        male_youth=3,
        male_other=7,
    )
    ids["A2"] = _activity(
        app,
        ug,
        ids["kampala"],
        level="local",
        type="municipal_forum",
        themes=["gender"],
        start_date="2026-08-05",
        status="ongoing",
        female_youth=2,
        female_other=4,
        male_youth=1,
        male_other=3,
        not_recorded_youth=1,
        not_recorded_other=1,
    )
    ids["A3"] = _activity(
        app,
        ug,
        ids["kawempe"],
        level="community",
        type="training",
        start_date="2026-09-20",
        status="planned",
        female_youth=10,
    )
    ids["A4"] = _activity(
        app,
        ug,
        ids["kisenyi"],
        level="community",
        type="settlement_forum",
        themes=["resilience"],
        start_date="2026-10-02",
        status="completed",
        female_other=6,
        male_other=4,
    )
    ids["A5"] = _activity(
        app,
        gh,
        ids["gh"],
        level="national",
        type="national_urban_forum",
        themes=["migration"],
        start_date="2026-07-15",
        status="completed",
        female_other=20,
        male_other=30,
    )
    ids["A6"] = _activity(
        app,
        ug,
        ids["kisenyi"],
        level="community",
        type="settlement_forum",
        start_date="2026-07-20",
        status="cancelled",
        female_youth=3,
    )
    ids["A7"] = _activity(
        app,
        ug,
        ids["kisenyi"],
        level="community",
        type="settlement_forum",
        start_date="2026-07-01",
        status="completed",
        female_other=100,
    )
    app.delete("activity", ids["A7"])
    # A2's register matches its counts cell by cell; A5's (one row) does not.
    rows = (
        [("female", "15_24")] * 2
        + [("female", "25_34")] * 4
        + [("male", "15_24")]
        + [("male", "60_plus")] * 3
    )
    rows += [("not_recorded", "15_24"), ("not_recorded", "not_recorded")]
    for n, (sex, age) in enumerate(rows):
        save(
            "attendance_entry",
            {"activity_id": ids["A2"], "line": n + 1, "name": f"P{n}", "sex": sex, "age_band": age},
        )
    save(
        "attendance_entry",
        {"activity_id": ids["A5"], "line": 1, "name": "Q", "sex": "male", "age_band": "35_59"},
    )
    for key, prog, place, status, ben, funds, contrib in (
        ("P1", ug, "kisenyi", "completed", (100, 60, 20), 1000, 200),
        ("P2", ug, "kawempe", "approved", (50, 25, 5), 500, 100),
        ("P3", gh, "fadama", "handed_over", (40, 20, 10), 300, 50),
        ("P4", ug, "kisenyi", "proposed", (10, 5, 1), 999, 9),
    ):
        ids[key] = save(
            "cuf_project",
            {
                "title": key,
                "type": "water",
                "status": status,
                "settlement_id": ids[place],
                "programme_id": prog,
                "currency": "USD",
                "ca_funds": funds,
                "community_contribution": contrib,
                "beneficiaries_total": ben[0],
                "beneficiaries_women": ben[1],
                "beneficiaries_youth": ben[2],
            },
        ).id
    for key, prog, place, received, status, resolved in (
        ("G1", ug, "kisenyi", "2026-07-01", "resolved", "2026-07-11"),
        ("G2", ug, "kisenyi", "2026-08-01", "resolved", "2026-08-21"),
        ("G3", ug, "kawempe", "2026-09-01", "open", None),
        ("G4", gh, "fadama", "2026-08-15", "in_progress", None),
        ("G5", ug, "kisenyi", "2026-05-01", "resolved", "2026-05-03"),
    ):
        ids[key] = save(
            "grievance",
            {
                "date_received": received,
                "channel": "phone",
                "category": "other",
                "description": key,
                "status": status,
                "date_resolved": resolved,
                "resolution": "done" if resolved else None,
                "place_id": ids[place],
                "programme_id": prog,
            },
        ).id
    return Hand(ids)
