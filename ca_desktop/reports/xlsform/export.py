"""`export_xlsform`: any CA form as an XLSForm that pyxform, ODK Central and KoboToolbox
accept, with the form's languages as `label::English (en)` columns.

Sections become groups, tables become repeats, the six participant counts a group of six
integers, yes/no a `yes_no` choice list, signature boxes a signature image; bounds become
constraints. The names are the CA names, so the CSV that comes back (`odk_csv.py`) maps
onto the form without guessing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ca_desktop.domain.jobs import Progress, report
from ca_desktop.domain.records import PARTICIPANT_FIELDS
from ca_desktop.forms.expr import to_source
from ca_desktop.forms.model import FieldDef, FormDef, Relevance, Text
from ca_desktop.services.atomic import atomic_output

NAMES = {"en": "English", "fr": "Français", "es": "Español", "pt": "Português"}
YES_NO = "yes_no"


def lang_header(column: str, lang: str) -> str:
    return f"{column}::{NAMES.get(lang, lang.upper())} ({lang})"


def participant_name(field: str, count: str) -> str:
    return f"{field}__{count}"


def export_xlsform(form: FormDef, out: Path, progress: Progress | None = None) -> Path:
    """Write the XLSForm whole or not at all (temporary file renamed)."""
    from openpyxl import Workbook

    langs = list(form.languages)
    report(progress, 0, 2)
    survey, choices = _rows(form, langs)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "survey"
    text_cols = ["label", "hint", "constraint_message"]
    header = ["type", "name"] + [lang_header(c, lang) for c in text_cols for lang in langs]
    header += ["required", "relevant", "constraint", "calculation", "appearance", "parameters"]
    ws.append(header)
    for row in survey:
        ws.append([_cell(row, h) for h in header])
    cs = wb.create_sheet("choices")
    choice_header = ["list_name", "name"] + [lang_header("label", lang) for lang in langs]
    cs.append(choice_header)
    for row in choices:
        cs.append([_cell(row, h) for h in choice_header])
    st = wb.create_sheet("settings")
    st.append(["form_title", "form_id", "version", "default_language"])
    st.append([form.title.get(langs[0]), form.code, form.version, lang_header("", langs[0])[2:]])
    report(progress, 1, 2)
    with atomic_output(out) as tmp:
        wb.save(tmp)
    report(progress, 2, 2)
    return out


def _cell(row: dict[str, Any], header: str) -> Any:
    return row.get(header)


def _texts(column: str, text: Text | None, langs: list[str]) -> dict[str, str]:
    if text is None:
        return {}
    return {lang_header(column, lang): text.get(lang) for lang in langs}


def _rows(form: FormDef, langs: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    survey: list[dict[str, Any]] = []
    choices: list[dict[str, Any]] = []
    lists: set[str] = set()
    yes = Text("Yes", "Oui", "Sí", "Sim")
    no = Text("No", "Non", "No", "Não")
    for section in form.sections:
        group = {"type": "begin group", "name": f"s_{section.id}"}
        survey.append({**group, **_texts("label", section.title, langs)})
        if section.help is not None:
            note = {"type": "note", "name": f"s_{section.id}_help"}
            survey.append({**note, **_texts("label", section.help, langs)})
        for f in section.fields:
            survey += _field(form, f, langs, choices, lists)
        survey.append({"type": "end group"})
    if YES_NO in lists:
        for value, label in (("yes", yes), ("no", no)):
            choices.append({"list_name": YES_NO, "name": value, **_texts("label", label, langs)})
    return survey, choices


def _field(
    form: FormDef, f: FieldDef, langs: list[str], choices: list[dict[str, Any]], lists: set[str]
) -> list[dict[str, Any]]:
    row: dict[str, Any] = {"name": f.name, **_texts("label", f.label, langs)}
    row.update(_texts("hint", f.help, langs))
    if f.required:
        row["required"] = "yes"
    relevant = _relevant(form, f)
    if relevant:
        row["relevant"] = relevant
    if f.type == "participants":
        group = {**row, "type": "begin group", "required": None}
        counts = [
            {"type": "integer", "name": participant_name(f.name, c), "constraint": ". >= 0",
             **_texts("label", Text(c, c, c, c), langs)}
            for c in PARTICIPANT_FIELDS
        ]  # fmt: skip
        return [group, *counts, {"type": "end group"}]
    if f.type == "table":
        rows = {**row, "type": "begin repeat", "required": None}
        columns: list[dict[str, Any]] = []
        for col in f.columns:
            columns += _field(form, col, langs, choices, lists)
        return [rows, *columns, {"type": "end repeat"}]
    row["type"], extra = _type(f, choices, lists, langs)
    row.update(extra)
    constraint = _constraint(f)
    if constraint:
        row["constraint"] = constraint
        row.update(_texts("constraint_message", f.constraint_message, langs))
    if f.calculate is not None:
        row["calculation"] = to_source(f.calculate)
        row["type"] = "calculate"
    return [row]


def _type(
    f: FieldDef, choices: list[dict[str, Any]], lists: set[str], langs: list[str]
) -> tuple[str, dict[str, Any]]:
    kind = f.type
    if kind in ("choice", "multichoice"):
        name = f"{f.name}_list"
        if name not in lists:
            lists.add(name)
            for c in f.choices:
                choices.append(
                    {"list_name": name, "name": c.value, **_texts("label", c.label, langs)}
                )
        verb = "select_one" if kind == "choice" else "select_multiple"
        return f"{verb} {name}", {"appearance": f.appearance or None}
    if kind == "yesno":
        lists.add(YES_NO)
        return f"select_one {YES_NO}", {}
    if kind == "signature":
        return "image", {"appearance": "signature", "parameters": "max-pixels=1024"}
    if kind == "longtext":
        return "text", {"appearance": "multiline"}
    if kind == "image":
        return "image", {"parameters": "max-pixels=1024"}  # pyxform's advice for photos
    if kind in ("integer", "decimal", "date", "time", "datetime", "geopoint"):
        return kind, {}
    return "text", {}  # text; record: the record's id, typed


def _relevant(form: FormDef, f: FieldDef) -> str:
    parts = []
    if f.relevant is not None:
        parts.append(_relevance(form, f.relevant))
    if f.relevant_expr is not None:
        parts.append(to_source(f.relevant_expr))
    return " and ".join(f"({p})" if len(parts) > 1 else p for p in parts)


def _relevance(form: FormDef, rel: Relevance) -> str:
    ref = "${" + rel.field + "}"
    if rel.filled:
        return f"{ref} != ''"
    master = form.field(rel.field)
    tests = []
    for v in rel.values:
        code = ("yes" if v else "no") if isinstance(v, bool) else str(v)
        if master.type == "multichoice":
            tests.append(f"selected({ref}, '{code}')")
        else:
            tests.append(f"{ref} = '{code}'")
    return " or ".join(tests)


def _constraint(f: FieldDef) -> str:
    parts = []
    if f.constraint is not None:
        parts.append(to_source(f.constraint))
    for op, bound in ((">=", f.min), ("<=", f.max)):
        if bound is None:
            continue
        if f.type == "date":
            parts.append(f". {op} today()" if bound == "today" else f". {op} date('{bound}')")
        else:
            parts.append(f". {op} {bound}")
    if f.max_length:
        parts.append(f"string-length(.) <= {f.max_length}")
    return " and ".join(f"({p})" if " or " in p else p for p in parts)
