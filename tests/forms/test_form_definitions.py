"""The shipped definitions are complete; broken ones are named by file and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ca_desktop.cli import main
from ca_desktop.forms.loader import all_forms, load_directory
from ca_desktop.forms.model import LANGS
from ca_desktop.forms.resources import forms_dir


def test_shipped_definitions_are_valid() -> None:
    forms, problems = load_directory(forms_dir())
    assert problems == []
    assert len(forms) >= 9


def test_the_sop_set_is_there() -> None:
    english = {f.title.en.lower() for f in all_forms()}
    for words in (
        "activity report", "attendance register", "forum minutes", "settlement profile",
        "project proposal", "screening checklist", "monitoring visit", "grievance",
        "handover",
    ):  # fmt: skip
        assert any(words in title for title in english), words


def test_labels_are_translated_not_copied() -> None:
    for form in all_forms():
        titles = {getattr(form.title, lang) for lang in LANGS}
        assert len(titles) >= 3, form.code  # fr, es, pt may share a word, not all four
        for f in form.fields():
            labels = [getattr(f.label, lang) for lang in LANGS]
            assert all(labels), (form.code, f.name)
        long_labels = [f.label for f in form.fields() if len(f.label.en) > 12]
        translated = sum(1 for t in long_labels if t.fr != t.en and t.pt != t.en)
        assert translated >= 0.9 * len(long_labels), form.code


def test_record_forms_cover_their_records() -> None:
    by_code = {f.code: f for f in all_forms()}
    assert by_code["CA-F01"].record_type == "activity"
    assert by_code["CA-F05"].record_type == "cuf_project"
    assert by_code["CA-F08"].record_type == "grievance"
    register = by_code["CA-F02"].field("attendees")
    assert register.rows_record == "attendance_entry"
    assert any(c.type == "signature" for c in register.columns)
    assert register.totals


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_problems_name_file_and_field(definitions_copy: Path) -> None:
    def breaks(data: dict) -> None:  # type: ignore[type-arg]
        fields = data["sections"][0]["fields"]
        del fields[0]["label"]["fr"]
        fields[1]["type"] = "colour"
        fields[2]["maps_to"] = "no_such_field"
        fields[3]["relevant"] = {"field": "later_field", "equals": "x"}

    _edit(definitions_copy / "CA-F01.json", breaks)
    _, problems = load_directory(definitions_copy)
    text = "\n".join(problems)
    assert "CA-F01.json: field title label: missing label in fr" in text
    assert "CA-F01.json: field programme_id: unknown type 'colour'" in text
    assert "CA-F01.json: field type: maps_to 'no_such_field' is not a field of the record" in text
    assert "CA-F01.json: field level: relevant refers to 'later_field'" in text


def test_choices_must_be_record_codes(definitions_copy: Path) -> None:
    def breaks(data: dict) -> None:  # type: ignore[type-arg]
        data["sections"][0]["fields"][2]["choices"] = [
            {
                "value": "picnic",
                "label": {"en": "Picnic", "fr": "Pique-nique", "es": "Picnic", "pt": "Piquenique"},
            }
        ]

    _edit(definitions_copy / "CA-F01.json", breaks)
    _, problems = load_directory(definitions_copy)
    assert any("field type: choices ['picnic'] are not codes of type" in p for p in problems)


def test_invalid_json_and_duplicate_codes(definitions_copy: Path) -> None:
    (definitions_copy / "CA-F03.json").write_text("{ not json", encoding="utf-8")
    (definitions_copy / "copy.json").write_text(
        (definitions_copy / "CA-F04.json").read_text(encoding="utf-8"), encoding="utf-8"
    )
    _, problems = load_directory(definitions_copy)
    assert any(p.startswith("CA-F03.json: file: is not valid JSON (line 1") for p in problems)
    assert any("copy.json: code: CA-F04 is also defined in CA-F04.json" in p for p in problems)


def test_cli_validate(definitions_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forms", "validate", str(definitions_copy)]) == 0
    assert "9 form definitions are valid" in capsys.readouterr().out
    _edit(
        definitions_copy / "CA-F08.json",
        lambda d: d["sections"][0]["fields"][0].update(type="when"),
    )
    assert main(["forms", "validate", str(definitions_copy)]) == 2
    captured = capsys.readouterr()
    assert "CA-F08.json: field receipt_number: unknown type 'when'" in captured.out
    assert "problems in" in captured.err
    assert "Traceback" not in captured.err
