"""Forms read and write core records, or submissions linked to them."""

from __future__ import annotations

import pytest

from ca_desktop.domain.validation import ValidationError
from ca_desktop.forms.loader import get_form
from ca_desktop.forms.mapping import ROW_ID, load_form, save_form
from ca_desktop.forms.values import check_values, relevant_fields
from ca_desktop.services.app import CaDesktop


def test_activity_report_reads_and_writes_the_activity(app: CaDesktop, activity_id: str) -> None:
    form = get_form("CA-F01")
    loaded = load_form(app, form, activity_id)
    assert loaded.values["title"] == "Kisenyi settlement forum"
    assert loaded.values["participants"]["female_other"] == 10
    values = dict(loaded.values)
    values["notes"] = "Agreed to clean the drains on Saturday."
    values["follow_up"] = [
        {"what": "Clean drains", "who": "Youth group", "due": "2026-11-30", "done": False}
    ]
    values["participants"] = {**values["participants"], "male_youth": 6}
    assert save_form(app, form, values, activity_id, base_rev=loaded.base_rev) == activity_id
    body = app.get("activity", activity_id).body  # type: ignore[union-attr]
    assert body["notes"] == "Agreed to clean the drains on Saturday."
    assert body["male_youth"] == 6
    assert body["follow_up"] == [
        {"what": "Clean drains", "who": "Youth group", "due": "2026-11-30", "done": False}
    ]
    assert app.count("form_submission") == 0  # not duplicated


def test_unchanged_form_writes_nothing(app: CaDesktop, activity_id: str) -> None:
    form = get_form("CA-F01")
    before = len(app.history(activity_id))
    save_form(app, form, load_form(app, form, activity_id).values, activity_id)
    assert len(app.history(activity_id)) == before


def test_register_creates_updates_and_removes_rows(app: CaDesktop, register_id: str) -> None:
    form = get_form("CA-F02")
    rows = load_form(app, form, register_id).values["attendees"]
    assert [r["name"] for r in rows] == ["Ọlọ́runfẹ́mi Adéyẹmí", "Nguyễn Thị Hoa", "Ñusta Quispe"]
    kept = rows[1]
    kept_id = kept[ROW_ID]
    values = load_form(app, form, register_id).values
    values["attendees"] = [
        {**kept, "phone": "+256 700 000001"},
        {"name": "Zoë Mwangi", "sex": "female", "age_band": "15_24", "consent": True},
    ]
    save_form(app, form, values, register_id)
    entries = app.list_records(
        "attendance_entry", where={"activity_id": register_id}, order_by="line"
    )
    assert [(e.body["line"], e.body["name"]) for e in entries] == [
        (1, "Nguyễn Thị Hoa"),
        (2, "Zoë Mwangi"),
    ]
    assert entries[0].id == kept_id
    assert entries[0].body["phone"] == "+256 700 000001"
    assert app.count("attendance_entry") == 2


def test_register_errors_name_the_cell(app: CaDesktop, register_id: str) -> None:
    form = get_form("CA-F02")
    values = load_form(app, form, register_id).values
    values["attendees"].append({"name": "", "sex": "female", "age_band": "15_24"})
    with pytest.raises(ValidationError) as err:
        save_form(app, form, values, register_id)
    assert [str(i) for i in err.value.issues] == ["attendees.4.name: is required"]


def test_register_needs_its_activity(app: CaDesktop) -> None:
    form = get_form("CA-F02")
    values = {"title": "Forum", "start_date": "2026-11-02", "attendees": []}
    with pytest.raises(ValidationError, match="choose the activity"):
        save_form(app, form, values)


def test_new_grievance_from_a_paper_form(app: CaDesktop, settlement_id: str) -> None:
    form = get_form("CA-F08")
    values = {
        "date_received": "2026-11-03",
        "channel": "suggestion_box",
        "category": "construction",
        "description": "Trench left open near the school.",
        "status": "open",
        "resolution": "typed but not relevant while open",
        "place_id": settlement_id,
    }
    rid = save_form(app, form, values)
    body = app.get("grievance", rid).body  # type: ignore[union-attr]
    assert body["category"] == "construction"
    assert body["resolution"] is None  # not relevant while open: dropped, as on screen


def test_record_rules_come_back_as_form_fields(app: CaDesktop) -> None:
    form = get_form("CA-F05")
    values = {"title": "Kiosk", "settlement_id": "01a21b86-79a3-71a1-8efa-319a16c7db17", "type": "water",
              "status": "proposed", "description": "Water kiosk", "beneficiaries_total": 10, "beneficiaries_women": 20}  # fmt: skip
    with pytest.raises(ValidationError) as err:
        save_form(app, form, values)
    assert "beneficiaries_women: cannot exceed the total number of beneficiaries" in str(err.value)


def test_submission_linked_to_its_project(app: CaDesktop, cuf_id: str) -> None:
    form = get_form("CA-F07")
    opened = load_form(app, form, cuf_id)
    assert opened.record_id is None and opened.values == {"cuf_project_id": cuf_id}
    assert opened.title == "Kisenyi water kiosk"
    values = {
        **opened.values,
        "visit_date": "2026-11-20",
        "visited_by": "Amina Nakato",
        "stage": "structure",
        "on_schedule": False,
        "delay_reason": "Cement delivery late",
        "issues": [{"issue": "No helmets", "action": "Buy helmets", "who": "Contractor"}],
    }
    sid = save_form(app, form, values, lang="fr")
    sub = app.get("form_submission", sid)
    assert sub is not None
    assert sub.body["record_type"] == "cuf_project" and sub.body["record_id"] == cuf_id
    assert sub.body["form_code"] == "CA-F07" and sub.body["lang"] == "fr"
    again = load_form(app, form, sid)
    assert again.record_id == sid and again.values["delay_reason"] == "Cement delivery late"
    assert again.values["issues"][0]["action"] == "Buy helmets"
    assert len(app.history(sid)) == 1


def test_relevance() -> None:
    form = get_form("CA-F09")
    shown = {f.name for f in relevant_fields(form, {"report_type": "progress"})}
    assert "period_from" in shown and "handed_to" not in shown
    shown = {
        f.name
        for f in relevant_fields(form, {"report_type": "handover", "maintenance_committee": True})
    }
    assert {"handed_to", "committee_women"} <= shown and "period_from" not in shown
    # A field depending on a hidden field is hidden too.
    shown = {
        f.name
        for f in relevant_fields(form, {"report_type": "progress", "maintenance_committee": True})
    }
    assert "committee_women" not in shown


def test_constraints() -> None:
    form = get_form("CA-F07")
    issues = check_values(
        form, {"progress_percent": 140, "visit_date": "2999-01-01", "stage": "roof"}
    )
    text = {str(i) for i in issues}
    assert "progress_percent: must be 100 or less" in text
    assert any(t.startswith("visit_date: must not be after") for t in text)
    assert "stage: 'roof' is not one of the choices" in text
    assert "cuf_project_id: is required" in text
