"""The dashboard's SQL aggregates equal what the records themselves say."""

from __future__ import annotations

from ca_desktop.domain.enums import ActivityStatus, Level, Sex
from ca_desktop.domain.records import CUF_PROJECT, PARTICIPANT_FIELDS, PLACE
from ca_desktop.services.dashboard import load_dashboard
from ca_desktop.services.demo import generate_demo
from ca_desktop.services.record_queries import ref_choices, search_records


def test_figures_match_the_records(app) -> None:
    generate_demo(app, 200, seed=7)
    # A deleted activity and a deleted grievance must not count anywhere.
    app.delete("activity", app.list_records("activity")[0].id)
    app.delete("grievance", app.list_records("grievance")[0].id)
    d = load_dashboard(app)

    activities = [r.body for r in app.list_records("activity")]
    assert d.activities == len(activities) == 199
    assert d.by_level == {
        lv.value: sum(1 for a in activities if a["level"] == lv.value) for lv in Level
    }
    assert d.by_status == {
        st.value: sum(1 for a in activities if a["status"] == st.value) for st in ActivityStatus
    }
    for theme, n in d.by_theme.items():
        assert n == sum(1 for a in activities if theme in a["themes"])
    reached = [a for a in activities if a["status"] in ("ongoing", "completed")]
    for cell in PARTICIPANT_FIELDS:
        assert d.people.cells[cell] == sum(a[cell] or 0 for a in reached)
    assert d.people.total() > 0
    assert d.people.by_sex(Sex.FEMALE) == sum(
        (a["female_youth"] or 0) + (a["female_other"] or 0) for a in reached
    )

    cufs = [r.body for r in app.list_records("cuf_project")]
    delivered = [c for c in cufs if c["status"] in ("completed", "handed_over")]
    assert d.cuf_projects == len(cufs)
    assert d.cuf_delivered == len(delivered)
    assert d.cuf_beneficiaries_delivered == sum(c["beneficiaries_total"] or 0 for c in delivered)

    grievances = [r.body for r in app.list_records("grievance")]
    assert d.grievances == len(grievances)
    assert d.grievances_open == sum(1 for g in grievances if g["status"] == "open")
    assert d.grievances_in_progress == sum(1 for g in grievances if g["status"] == "in_progress")
    assert d.unsent == app.unsent_changes() > 0
    assert not d.empty


def test_empty_database(app) -> None:
    d = load_dashboard(app)
    assert d.empty and d.activities == 0 and d.people.total() == 0
    assert d.by_level == {"community": 0, "local": 0, "national": 0}
    assert d.recent == []


def test_recent_changes_newest_first_with_titles(app, activity_body, settlement_id) -> None:
    rid = app.save("activity", activity_body).id
    body = dict(app.get("activity", rid).body, title="Kisenyi forum (renamed)")
    app.save("activity", body, record_id=rid)
    d = load_dashboard(app, recent=3)
    first = d.recent[0]
    assert (first.record_type, first.record_id, first.action) == ("activity", rid, "edited")
    assert first.title == "Kisenyi forum (renamed)" and first.author == "Amina Nakato"
    assert d.recent[1].action == "created" and d.recent[1].record_id == rid
    assert len(d.recent) == 3
    app.delete("activity", rid)
    assert load_dashboard(app).recent[0].action == "deleted"


def test_progress_is_reported(app) -> None:
    seen: list[tuple[int, int]] = []
    load_dashboard(app, progress=lambda done, total: seen.append((done, total)) or True)
    assert seen[-1][0] == seen[-1][1] and len(seen) >= 3


def test_search_records_matches_every_word_and_filters(app, settlement_id) -> None:
    base = {"settlement_id": settlement_id, "type": "water", "status": "proposed"}
    app.save("cuf_project", {**base, "title": "Kisenyi water kiosk"})
    app.save("cuf_project", {**base, "title": "Kisenyi 100% drainage", "status": "approved"})
    titles = lambda rs: sorted(r.body["title"] for r in rs)  # noqa: E731
    assert titles(search_records(app, "cuf_project", "kisenyi KIOSK")) == ["Kisenyi water kiosk"]
    assert titles(search_records(app, "cuf_project", "100%")) == ["Kisenyi 100% drainage"]
    assert titles(search_records(app, "cuf_project", "0%")) == ["Kisenyi 100% drainage"]
    assert titles(search_records(app, "cuf_project", "", {"status": "approved"})) == [
        "Kisenyi 100% drainage"
    ]
    assert len(search_records(app, "cuf_project")) == 2


def test_ref_choices_narrow_places(app, settlement_id) -> None:
    settlements = ref_choices(app, "cuf_project", CUF_PROJECT.field("settlement_id"))
    assert settlements == [(settlement_id, "Kisenyi (Kampala)")]
    parents = [label for _, label in ref_choices(app, "place", PLACE.field("parent_id"))]
    assert parents == ["Kampala (Uganda)", "Uganda"]
