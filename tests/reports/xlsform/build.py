"""Writing small XLSForms with openpyxl for the tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook


def write_xlsform(
    path: Path,
    survey: Sequence[Sequence[Any]],
    choices: Sequence[Sequence[Any]] = (),
    settings: Sequence[Sequence[Any]] = (),
) -> Path:
    """Each sheet given as rows, the first row its header."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "survey"
    for row in survey:
        ws.append(list(row))
    for name, rows in (("choices", choices), ("settings", settings)):
        if rows:
            sheet = wb.create_sheet(name)
            for row in rows:
                sheet.append(list(row))
    wb.save(path)
    return path


HOUSEHOLD_SURVEY = [
    ("type", "name", "label::English (en)", "label::Swahili (sw)", "hint::English (en)",
     "required", "relevant", "constraint", "constraint_message::English (en)", "appearance",
     "repeat_count", "calculation"),
    ("start", "start", "", "", "", "", "", "", "", "", "", ""),
    ("text", "enumerator", "Enumerator name", "Jina la mdadisi", "", "yes", "", "", "", "", "", ""),
    ("date", "visit_date", "Date of visit", "Tarehe ya ziara", "", "yes", "", ". <= today()",
     "Not in the future", "", "", ""),
    ("begin group", "household", "Household", "Kaya", "", "", "", "", "", "field-list", "", ""),
    ("integer", "members", "Household members", "Wanakaya", "Everyone who sleeps here", "yes",
     "", ". > 0 and . < 40", "Between 1 and 39", "", "", ""),
    ("select_one yn", "has_water", "Piped water?", "Maji ya bomba?", "", "", "", "", "", "", "", ""),
    ("select_multiple source", "sources", "Other water sources", "Vyanzo vingine", "", "",
     "${has_water} = 'no'", "", "", "", "", ""),
    ("select_one source or_other", "main_source", "Main source", "Chanzo kikuu", "", "",
     "count-selected(${sources}) > 1", "", "", "minimal", "", ""),
    ("text", "notes", "Notes", "Maelezo", "", "", "", "", "", "multiline", "", ""),
    ("end group", "", "", "", "", "", "", "", "", "", "", ""),
    ("calculate", "adults", "", "", "", "", "", "", "", "", "", "${members} - 1"),
    ("begin repeat", "person", "Members", "Wanakaya", "", "", "${members} > 1", "", "", "", "6", ""),
    ("text", "person_name", "Name", "Jina", "", "yes", "", "", "", "", "", ""),
    ("integer", "age", "Age", "Umri", "", "", "", ". >= 0", "", "", "", ""),
    ("select_one sex", "sex", "Sex", "Jinsia", "", "", "", "", "", "", "", ""),
    ("end repeat", "", "", "", "", "", "", "", "", "", "", ""),
    ("geopoint", "location", "Location", "Mahali", "", "", "", "", "", "", "", ""),
    ("note", "thanks", "Thank the household.", "Asante.", "", "", "", "", "", "", "", ""),
]  # fmt: skip
HOUSEHOLD_CHOICES = [
    ("list_name", "name", "label::English (en)", "label::Swahili (sw)"),
    ("yn", "yes", "Yes", "Ndiyo"),
    ("yn", "no", "No", "Hapana"),
    ("source", "well", "Well", "Kisima"),
    ("source", "river", "River", "Mto"),
    ("source", "rain", "Rain water", "Maji ya mvua"),
    ("sex", "female", "Female", "Mke"),
    ("sex", "male", "Male", "Mume"),
]
HOUSEHOLD_SETTINGS = [
    ("form_title", "form_id", "version"),
    ("Household visit", "hh_visit", "2024061201"),
]


def household(path: Path) -> Path:
    return write_xlsform(path, HOUSEHOLD_SURVEY, HOUSEHOLD_CHOICES, HOUSEHOLD_SETTINGS)


TYPED_SURVEY = [
    ("type", "name", "label::English (en)", "required", "relevant"),
    ("text", "who", "Who", "yes", ""),
    ("time", "arrived", "Arrival time", "", ""),
    ("datetime", "visited", "Visit date and time", "", ""),
    ("geopoint", "spot", "Where", "", ""),
    ("image", "photo", "Photo of the site", "", ""),
    ("begin repeat", "stops", "Stops", "", ""),
    ("text", "place", "Place", "", ""),
    ("time", "at", "At", "", ""),
    ("geopoint", "stop_spot", "Stop location", "", ""),
    ("end repeat", "", "", "", ""),
]


def typed(path: Path) -> Path:
    """A form with every type XLSForm brings that CA forms type for real."""
    return write_xlsform(
        path, TYPED_SURVEY, [("list_name", "name", "label")],
        [("form_title", "form_id"), ("Site visit", "site_visit")],
    )  # fmt: skip
