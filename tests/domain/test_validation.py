from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ca_desktop.domain.ids import uuid7
from ca_desktop.domain.validation import (
    ValidationError,
    attendance_issues,
    check,
    normalise,
    validate,
)


def activity(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "programme_id": uuid7(),
        "level": "community",
        "type": "settlement_forum",
        "title": "Forum",
        "start_date": "2026-01-10",
        "status": "completed",
    }
    body.update(overrides)
    return body


def fields_of(exc: ValidationError) -> set[str]:
    return {i.field for i in exc.issues}


def test_a_valid_activity_is_normalised_with_every_field() -> None:
    body = check("activity", activity(themes="gender,resilience", female_youth="12"))
    assert body["themes"] == ["resilience", "gender"]  # enum order, no duplicates
    assert body["female_youth"] == 12
    assert body["notes"] is None and body["follow_up"] == []


def test_required_fields_are_named() -> None:
    with pytest.raises(ValidationError) as err:
        check("activity", {"title": ""})
    assert {"programme_id", "level", "type", "title", "start_date", "status"} <= fields_of(
        err.value
    )
    assert all("required" in i.message for i in err.value.issues)


def test_end_before_start_is_refused_on_the_end_field() -> None:
    with pytest.raises(ValidationError) as err:
        check("activity", activity(end_date="2026-01-09"))
    assert fields_of(err.value) == {"end_date"}


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValidationError) as err:
        check("activity", activity(male_other=-1))
    assert fields_of(err.value) == {"male_other"}


@pytest.mark.parametrize("value", ["abc", "1.5", True, float("nan")])
def test_counts_must_be_whole_numbers(value: object) -> None:
    with pytest.raises(ValidationError) as err:
        normalise("activity", activity(female_other=value))
    assert fields_of(err.value) == {"female_other"}


def test_unknown_codes_and_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError) as err:
        normalise("activity", activity(level="galactic", colour="red"))
    assert fields_of(err.value) == {"level", "colour"}


@pytest.mark.parametrize(
    ("lat", "lon", "bad"),
    [(91, 0, "latitude"), (0, 181, "longitude"), (-90.5, 10, "latitude"), (10, None, "longitude")],
)
def test_coordinates_in_range(lat: float, lon: float | None, bad: str) -> None:
    issues = validate(
        "place",
        normalise(
            "place",
            {
                "name": "Kisenyi",
                "kind": "settlement",
                "parent_id": uuid7(),
                "latitude": lat,
                "longitude": lon,
            },
        ),
    )
    assert [i.field for i in issues] == [bad]


def test_settlement_needs_a_parent_place() -> None:
    issues = validate("place", normalise("place", {"name": "Kisenyi", "kind": "settlement"}))
    assert [i.field for i in issues] == ["parent_id"]


def test_country_code_format() -> None:
    with pytest.raises(ValidationError) as err:
        check("programme", {"code": "X", "name": "X", "kind": "country_programme", "country": "ug"})
    assert fields_of(err.value) == {"country"}


def test_cuf_beneficiary_parts_cannot_exceed_total() -> None:
    with pytest.raises(ValidationError) as err:
        check(
            "cuf_project",
            {
                "title": "Kiosk",
                "settlement_id": uuid7(),
                "type": "water",
                "status": "proposed",
                "beneficiaries_total": 100,
                "beneficiaries_women": 120,
            },
        )
    assert fields_of(err.value) == {"beneficiaries_women"}


def test_resolved_grievance_needs_resolution_and_date() -> None:
    with pytest.raises(ValidationError) as err:
        check(
            "grievance",
            {
                "date_received": "2026-01-01",
                "channel": "phone",
                "category": "construction",
                "description": "Open trench",
                "status": "resolved",
            },
        )
    assert fields_of(err.value) == {"resolution", "date_resolved"}


def test_follow_up_actions_need_a_description() -> None:
    with pytest.raises(ValidationError) as err:
        check("activity", activity(follow_up=[{"what": " ", "who": "Amina"}]))
    assert fields_of(err.value) == {"follow_up"}


def test_attendance_register_must_fit_participant_counts() -> None:
    body = check("activity", activity(female_youth=1, female_other=5))
    rows = [{"sex": "female", "age_band": "15_24"}] * 2 + [{"sex": "female", "age_band": "35_59"}]
    issues = attendance_issues(body, rows)
    assert [i.field for i in issues] == ["female_youth"]
    assert "2" in issues[0].message and "1" in issues[0].message


def test_attendance_without_counts_is_not_compared() -> None:
    body = check("activity", activity())
    assert attendance_issues(body, [{"sex": "male", "age_band": "25_34"}]) == []


@given(
    st.dictionaries(
        st.sampled_from(["title", "female_youth", "level", "start_date", "themes"]),
        st.one_of(
            st.none(),
            st.text(max_size=20),
            st.integers(-5, 10**13),
            st.floats(allow_nan=True),
            st.lists(st.text(max_size=5)),
        ),
    )
)
def test_any_input_gives_a_body_or_named_issues(data: dict[str, object]) -> None:
    try:
        body = check("activity", activity(**data))
    except ValidationError as exc:
        assert exc.issues and all(i.field for i in exc.issues)
    else:
        assert set(body) >= {"title", "female_youth"}
