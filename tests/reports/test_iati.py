"""IATI 2.03: the file passes the official schema, and its hierarchy and numbers match the data."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from ca_desktop.domain.records import PARTICIPANT_FIELDS
from ca_desktop.reports.iati import IatiError, export_iati, schema_dir
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.demo import generate_demo

ORG = "XM-DAC-41301"


def schema() -> etree.XMLSchema:
    path = schema_dir() / "iati-activities-schema.xsd"
    # The checkout sits beside shared/ (as in CI): that is where the schema must be found.
    assert path.is_file(), f"IATI schema not found at {path}"
    return etree.XMLSchema(etree.parse(str(path)))


def test_schema_is_found_beside_the_checkout() -> None:
    repo = Path(__file__).resolve().parents[2]
    assert schema_dir() == repo.parent / "shared" / "iati"


def test_demo_data_export_validates_as_one_document(app: CaDesktop, tmp_path: Path) -> None:
    generate_demo(app, 120, seed=3)
    out = tmp_path / "iati.xml"
    n = export_iati(app, out, org_id=ORG, lang="fr")
    doc = etree.parse(str(out))
    assert schema().validate(doc), schema().error_log
    activities = doc.getroot().findall("iati-activity")
    assert n == len(activities) == app.count("activity") + app.count("programme")
    assert app.meta("iati_org_id") == ORG  # remembered for the next export
    assert activities[0].get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"


def test_hierarchy_and_numbers_match_the_database(
    app: CaDesktop, activities: list[str], programme_id: str, tmp_path: Path
) -> None:
    out = tmp_path / "iati.xml"
    export_iati(app, out, programme_code="UG-CP", org_id=ORG)
    root = etree.parse(str(out)).getroot()
    assert schema().validate(root), schema().error_log
    parent = root.find("iati-activity[@hierarchy='1']")
    assert parent is not None and parent.findtext("iati-identifier") == f"{ORG}-UG-CP"
    children = root.findall("iati-activity[@hierarchy='2']")
    child_ids = {c.findtext("iati-identifier") for c in children}
    assert child_ids == {f"{ORG}-UG-CP-{a}" for a in activities}
    assert {r.get("ref") for r in parent.findall("related-activity[@type='2']")} == child_ids
    for child in children:
        [up] = child.findall("related-activity")
        assert (up.get("ref"), up.get("type")) == (f"{ORG}-UG-CP", "1")
    # Per-year people reached on the parent = the hand count from the database.
    by_year: dict[str, int] = {}
    women: dict[str, int] = {}
    for a in app.list_records("activity"):
        year = a.body["start_date"][:4]
        by_year[year] = by_year.get(year, 0) + sum(a.body.get(f) or 0 for f in PARTICIPANT_FIELDS)
        women[year] = (
            women.get(year, 0) + (a.body["female_youth"] or 0) + (a.body["female_other"] or 0)
        )
    [reached, women_ind, _youth] = parent.findall("result/indicator")
    got = {
        p.find("period-start").get("iso-date")[:4]: int(p.find("actual").get("value"))
        for p in reached.findall("period")
    }
    assert got == by_year == {"2026": 25, "2025": 25, "2027": 0}
    got_women = {
        p.find("period-start").get("iso-date")[:4]: int(p.find("actual").get("value"))
        for p in women_ind.findall("period")
    }
    assert got_women == women
    # A child's split by sex and age sums to its total.
    first = next(c for c in children if c.findtext("iati-identifier").endswith(activities[0]))
    period = first.find("result/indicator/period")
    actuals = period.findall("actual")
    assert int(actuals[0].get("value")) == 25
    split = {
        (
            a.find("dimension[@name='sex']").get("value"),
            a.find("dimension[@name='age']").get("value"),
        ): int(a.get("value"))
        for a in actuals[1:]
    }
    assert split[("female", "15-24")] == 5 and sum(split.values()) == 25
    assert first.find("policy-marker").get("significance") == "2"  # the gender theme
    assert first.find("sector").get("code") == "43030"
    assert first.find("activity-status").get("code") == "4"
    assert first.find("participating-org[@role='4']/narrative").text == "Kisenyi Federation"
    planned = next(c for c in children if c.findtext("title/narrative") == "Planned forum")
    assert planned.find("result") is None and planned.find("activity-status").get("code") == "1"


def test_location_with_coordinates_when_the_place_has_them(
    app: CaDesktop, activity_body: dict[str, object], tmp_path: Path
) -> None:
    place = app.get("place", str(activity_body["place_id"]))
    assert place is not None
    app.save("place", {"latitude": 0.3136, "longitude": 32.5811}, place.id)
    app.save("activity", activity_body)
    export_iati(app, tmp_path / "i.xml", org_id=ORG)
    root = etree.parse(str(tmp_path / "i.xml")).getroot()
    assert root.find("iati-activity/location/point/pos").text == "0.3136 32.5811"


def test_missing_or_bad_organisation_id_and_unknown_programme(
    app: CaDesktop, programme_id: str, tmp_path: Path
) -> None:
    out = tmp_path / "i.xml"
    with pytest.raises(IatiError, match="--org-id"):
        export_iati(app, out)
    with pytest.raises(IatiError, match="not an IATI organisation identifier"):
        export_iati(app, out, org_id="bad id/&")
    with pytest.raises(IatiError, match="no programme with code"):
        export_iati(app, out, programme_code="XX", org_id=ORG)
    assert not out.exists()


def test_many_chunks_stay_valid(
    app: CaDesktop, activities: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ca_desktop.reports.iati as iati_module

    monkeypatch.setattr(iati_module, "CHUNK", 2)  # the parent and three children: 2 chunks
    out = tmp_path / "i.xml"
    assert export_iati(app, out, org_id=ORG) == 4
    root = etree.parse(str(out)).getroot()
    assert schema().validate(root), schema().error_log
    assert root.get("version") == "2.03"
