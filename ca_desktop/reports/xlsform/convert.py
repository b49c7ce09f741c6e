"""An XLSForm's sheets as a CA form definition (the JSON the loader reads).

Groups become sections (nested groups: one section each, titled "Outer / Inner", the
groups' relevance joined to every question in them); a repeat becomes a table whose columns
are its questions. Everything that does not map is reported with sheet, row and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ca_desktop.forms.expr import Expr, to_source
from ca_desktop.forms.model import COLUMN_TYPES
from ca_desktop.reports.import_report import Problem
from ca_desktop.reports.sheet_reader import UnreadableFile
from ca_desktop.reports.xlsform.headers import language_code
from ca_desktop.reports.xlsform.question import Scope, both, ca_name, expression, question
from ca_desktop.reports.xlsform.reader import Row, Sheets

MAX_DEPTH = 10
MAX_CHOICES = 1000  # per list: more cannot be printed as tick boxes
MAX_CELL_CHOICES = 3  # tick boxes that fit in a table cell
_CODE_BAD = re.compile(r"[^A-Z0-9]+")


@dataclass
class Conversion:
    definition: dict[str, Any]
    unsupported: list[Problem]  # not imported: --strict refuses the file
    notes: list[Problem]  # imported differently (a GPS point typed as coordinates, ...)


@dataclass
class _Group:
    name: str
    label: dict[str, str]
    relevant: Expr | None
    repeat: dict[str, Any] | None = None  # the table a repeat becomes
    loop: bool = False  # a loop over a choice list (not supported: its rows are reported)


def form_code(text: str) -> str:
    """A CA form code (`CA-F01` style) made from an XLSForm form_id or a name."""
    code = _CODE_BAD.sub("-", text.upper()).strip("-")[:30].strip("-")
    if not code:
        return "XLS-FORM"
    return code if code[0].isalpha() else f"X-{code}"


def convert(sheets: Sheets, file: str, code: str) -> Conversion:
    langs, default = _languages(sheets)
    scope = Scope(file, langs, default, {}, set(), {}, list(sheets.problems), [])
    scope.lists = _lists(sheets.choices, scope)
    taken: set[str] = set()
    for row in sheets.survey:
        name = row.get("name")
        if name and _structure(_kind(row)) is None:
            scope.names.setdefault(name, ca_name(name, taken))
    title_text = sheets.settings.get("form_title") or code
    title = {lang: title_text[:200] for lang in langs}
    sections: list[dict[str, Any]] = []
    stack: list[_Group] = []
    current: dict[str, Any] = {"id": "s1", "title": title, "fields": []}
    for row in sheets.survey:
        kind = _kind(row)
        words = kind.split()
        if not words:
            if row.get("name") or row.texts("label"):
                scope.refuse(row, "type", "a question without a type")
            continue
        head = _structure(kind) or words[0]
        if any(g.loop for g in stack) and head not in ("end loop", "begin loop"):
            if head not in ("end group", "end repeat"):
                scope.refuse(row, "type", "a question inside a loop is not supported")
            continue
        if head in ("begin loop", "end loop"):
            if head == "begin loop":
                scope.refuse(row, "type", "a loop over a choice list is not supported")
                stack.append(_Group(row.get("name") or "loop", {}, None, loop=True))
            elif stack and stack[-1].loop:
                stack.pop()
            continue
        if head in ("begin group", "begin repeat"):
            if len(stack) >= MAX_DEPTH:
                raise UnreadableFile(
                    f"{file}: groups nested more than {MAX_DEPTH} deep (row {row.number})"
                )
            group = _begin(scope, row, stack, head == "begin repeat")
            if group.repeat is not None and any(g.repeat for g in stack):
                scope.refuse(row, "type", "a repeat inside a repeat is not supported")
                group.repeat = None
            stack.append(group)
            if group.repeat is not None:
                current["fields"].append(group.repeat)
            elif not any(g.repeat for g in stack):
                current = _next_section(sections, current, stack, title)
            continue
        if head in ("end group", "end repeat"):
            if not stack:
                scope.refuse(row, "type", f"{head} without a begin")
                continue
            stack.pop()
            if head == "end group" and not any(g.repeat for g in stack):
                current = _next_section(sections, current, stack, title)
            continue
        name = row.get("name")
        if not name and head != "note":
            scope.refuse(row, "name", "a question without a name")
            continue
        if head == "note":
            _note(scope, row, current)
            continue
        table = next((g.repeat for g in reversed(stack) if g.repeat is not None), None)
        group_rel = None
        for g in stack:
            group_rel = both(group_rel, g.relevant)
        for f in question(scope, row, kind, words, None if table else group_rel):
            if table is None:
                current["fields"].append(f)
            elif _column_ok(scope, row, f):
                table["columns"].append(f)
        scope.earlier.add(name)
    if stack:
        scope.unsupported.append(
            Problem(file, "survey", 0, "", f"group {stack[-1].name!r} has no end")
        )
    sections.append(current)
    for s in sections:
        for f in s["fields"]:
            if f["type"] == "table" and not f["columns"]:
                scope.unsupported.append(
                    Problem(
                        file,
                        "survey",
                        0,
                        "",
                        f"repeat {f['name']!r} has no questions CA Desktop can print",
                    )
                )
    kept = [
        {**s, "fields": [f for f in s["fields"] if f["type"] != "table" or f["columns"]]}
        for s in sections
    ]
    kept = [s for s in kept if s["fields"] or s.get("help")]
    if not any(s["fields"] for s in kept):
        raise UnreadableFile(f"{file}: no questions CA Desktop can use")
    wide = any(len(f.get("columns", ())) > 6 for s in kept for f in s["fields"])
    definition = {
        "format": 1,
        "code": code,
        "version": "1.0",
        "origin": "xlsform",
        "languages": langs,
        "title": title,
        "orientation": "landscape" if wide else "portrait",
        "sections": [{**s, "id": f"s{i + 1}"} for i, s in enumerate(kept)],
    }
    return Conversion(definition, scope.unsupported, scope.notes)


_OLD_SYNTAX = (  # pyxform's older spellings, still found in real forms
    ("select one from ", "select_one "),
    ("select all that apply from ", "select_multiple "),
    ("select one ", "select_one "),
    ("select multiple ", "select_multiple "),
    (" or specify other", " or_other"),
)


def _kind(row: Row) -> str:
    kind = " ".join(row.get("type").strip().lower().split())
    for old, new in _OLD_SYNTAX:
        kind = kind.replace(old, new)
    return kind


def _structure(kind: str) -> str | None:
    """`begin group`, `end repeat`, ... for the rows that open or close a block."""
    words = kind.replace("_", " ").split()
    if len(words) >= 2 and words[0] in ("begin", "end") and words[1] in ("group", "repeat", "loop"):
        return f"{words[0]} {words[1]}"
    return None


def _languages(sheets: Sheets) -> tuple[list[str], str]:
    setting = sheets.settings.get("default_language", "")
    default = language_code(setting) if setting else "en"
    seen: list[str] = []
    for row in [*sheets.survey, *sheets.choices]:
        for h in row.cells:
            lang = h.lang if h.lang is not None else (default if h.column == "label" else None)
            if lang and h.column == "label" and lang not in seen:
                seen.append(lang)
    langs = [default] + [x for x in seen if x != default] if default in seen or not seen else seen
    return langs[:20], langs[0]


def _lists(rows: list[Row], scope: Scope) -> dict[str, list[dict[str, Any]]]:
    lists: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        list_name, value = row.get("list name"), row.get("name")
        if not list_name or not value:
            scope.unsupported.append(
                Problem(
                    scope.file, "choices", row.number, "", "a choice needs a list_name and a name"
                )
            )
            continue
        items = lists.setdefault(list_name, [])
        if len(items) >= MAX_CHOICES:
            if len(items) == MAX_CHOICES:
                scope.unsupported.append(
                    Problem(
                        scope.file,
                        "choices",
                        row.number,
                        "",
                        f"list {list_name!r} has more than {MAX_CHOICES} choices; the rest are not imported",
                    )
                )
                items.append({})
            continue
        if any(c.get("value") == value for c in items):
            scope.unsupported.append(
                Problem(
                    scope.file,
                    "choices",
                    row.number,
                    row.letter("name"),
                    f"choice {value!r} repeats in list {list_name!r}",
                )
            )
            continue
        label = scope.texts(row, "label", fallback=value) or {}
        columns = {
            h.column: v
            for h, v in row.cells.items()
            if h.column not in ("list name", "name", "label", "media") and h.lang is None
        }
        choice: dict[str, Any] = {"value": value[:200], "label": label}
        if columns:
            choice["columns"] = columns
        items.append(choice)
    return {k: [c for c in v if c] for k, v in lists.items()}


def _begin(scope: Scope, row: Row, stack: list[_Group], repeat: bool) -> _Group:
    name = row.get("name") or f"group_{row.number}"
    label = scope.texts(row, "label", fallback=name) or {}
    rel = expression(scope, row, "relevant", row.get("relevant")) if row.get("relevant") else None
    for word in row.get("appearance").lower().split():
        if word != "field-list":
            scope.note(row, "appearance", f"appearance {word!r} means nothing on paper; ignored")
    if not repeat:
        return _Group(name, label, rel)
    taken = set(scope.names.values())
    table: dict[str, Any] = {
        "name": ca_name(name, taken),
        "type": "table",
        "label": label,
        "columns": [],
    }
    scope.names.setdefault(name, table["name"])
    count = row.get("repeat_count")
    if count.isdigit() and 1 <= int(count) <= 200:
        table["rows"] = table["max_rows"] = int(count)
    elif count:
        scope.note(row, "repeat_count", f"repeat_count {count[:60]!r} is printed as blank rows")
    if rel is not None:
        table["relevant_if"] = to_source(rel)
    return _Group(name, label, rel, table)


def _next_section(
    sections: list[dict[str, Any]],
    current: dict[str, Any],
    stack: list[_Group],
    title: dict[str, str],
) -> dict[str, Any]:
    if current["fields"] or current.get("help"):
        sections.append(current)
    if not stack:
        return {"id": "", "title": title, "fields": []}
    names = {lang: " / ".join(g.label.get(lang, g.name) for g in stack) for lang in title}
    return {"id": "", "title": names, "fields": []}


_OUTPUT = re.compile(r"\$\{[^}]{0,80}\}")


def _note(scope: Scope, row: Row, current: dict[str, Any]) -> None:
    text = scope.texts(row, "label")
    if not text:
        return
    # A note showing an answer (`${radius}`) prints a blank to write it in by hand.
    text = {k: _OUTPUT.sub("____", v) for k, v in text.items()}
    old = current.get("help")
    current["help"] = {k: f"{old[k]} {v}" if old else v for k, v in text.items()}
    if row.get("relevant"):
        scope.note(row, "relevant", "a note's relevance is not applied; the note is always printed")


def _column_ok(scope: Scope, row: Row, f: dict[str, Any]) -> bool:
    if f["type"] == "longtext":
        f["type"] = "text"
    if f["type"] in ("geopoint", "image"):
        # A table cell holds one short text: the coordinates or the photo's file name.
        f["type"] = "text"
        scope.note(row, "type", f"a {row.get('type').strip()} in a repeat is a text cell")
    if f["type"] not in COLUMN_TYPES:
        scope.refuse(row, "type", f"a {f['type']} question cannot be a column of a repeat's table")
        return False
    if "calculate" in f:
        scope.note(row, "type", "a calculation inside a repeat is left out")
        return False
    if f["type"] == "choice" and len(f["choices"]) > MAX_CELL_CHOICES:
        # More tick boxes than a table cell holds: the code is written in instead.
        codes = ", ".join(c["value"] for c in f["choices"])[:300]
        f["type"], f["help"] = "text", {lang: codes for lang in scope.langs}
        del f["choices"]
        scope.note(row, "type", "a choice with many options is a text cell in a repeat's table")
    return True
