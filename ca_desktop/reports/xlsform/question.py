"""One survey row (a question) as a CA field definition, with what did not map reported."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ca_desktop.forms.expr import Binary, Expr, ExprError, parse, refs, rename, to_source
from ca_desktop.reports.import_report import Problem
from ca_desktop.reports.xlsform.reader import Row
from ca_desktop.reports.xlsform.types import map_type

TRUE = {"yes", "true", "true()", "1"}
FALSE = {"", "no", "false", "false()", "0"}
KNOWN_APPEARANCES = {"field-list", "multiline", "minimal"}
_NAME_BAD = re.compile(r"[^a-z0-9_]+")


@dataclass
class Scope:
    """What a question may refer to, and where problems go."""

    file: str
    langs: list[str]  # the form's languages, default language first
    default_lang: str
    names: dict[str, str]  # XLSForm name -> CA name, of every question of the form
    earlier: set[str]  # XLSForm names defined before this row
    lists: dict[str, list[dict[str, Any]]]
    unsupported: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    def refuse(self, row: Row, column: str, reason: str) -> None:
        self.unsupported.append(
            Problem(self.file, "survey", row.number, row.letter(column), reason)
        )

    def note(self, row: Row, column: str, reason: str) -> None:
        self.notes.append(Problem(self.file, "survey", row.number, row.letter(column), reason))

    def texts(self, row: Row, column: str, fallback: str = "") -> dict[str, str] | None:
        """A translatable column in every form language; missing ones read the default."""
        found = {(lang or self.default_lang): text for lang, text in row.texts(column).items()}
        first = found.get(self.default_lang) or next(iter(found.values()), fallback)
        if not first:
            return None
        return {lang: found.get(lang) or first for lang in self.langs}


def ca_name(name: str, taken: set[str]) -> str:
    """A CA field name (`lower_case`) for an XLSForm name, unique among `taken`."""
    base = _NAME_BAD.sub("_", name.lower()).strip("_")[:50] or "field"
    if not base[0].isalpha():
        base = f"f_{base}"
    out, n = base, 2
    while out in taken:
        out, n = f"{base}_{n}", n + 1
    taken.add(out)
    return out


def expression(
    scope: Scope, row: Row, column: str, text: str, later_ok: bool = False
) -> Expr | None:
    """The parsed expression with CA names; None (reported) when it cannot be kept."""
    try:
        node = parse(text, columns=column == "choice_filter")
    except ExprError as exc:
        scope.refuse(row, column, f"{column} {text[:80]!r}: {exc}")
        return None
    for name in set(refs(node)):
        if name not in scope.names:
            scope.refuse(row, column, f"{column} refers to an unknown question {name!r}")
            return None
        if not later_ok and name not in scope.earlier:
            scope.refuse(row, column, f"{column} refers to {name!r}, which comes later")
            return None
    return rename(node, lambda n: scope.names[n])


def both(a: Expr | None, b: Expr | None) -> Expr | None:
    if a is None or b is None:
        return a or b
    return Binary("and", a, b)


def question(
    scope: Scope, row: Row, kind: str, words: list[str], group_rel: Expr | None
) -> list[dict[str, Any]]:
    """The field(s) of one question row: a select `or_other` adds its "specify" field."""
    name = row.get("name")
    ca = scope.names[name]
    base = words[0]
    out: dict[str, Any] = {"name": ca}
    other = False
    if base in ("select_one", "select_multiple"):
        if len(words) < 2 or words[1] not in scope.lists:
            scope.refuse(row, "type", f"choice list {' '.join(words[1:2])!r} is missing")
            return []
        out["type"] = "choice" if base == "select_one" else "multichoice"
        out["choices"] = scope.lists[words[1]]
        other = len(words) > 2 and words[2] == "or_other"
        if len(words) > 2 and not other:
            scope.refuse(row, "type", f"{' '.join(words[2:])!r} after the list is not supported")
        if other:
            out["choices"] = [*out["choices"], _other_choice(scope)]
    elif base == "calculate":
        out["type"] = "text"
        out["read_only"] = True
        scope.note(row, "type", "a calculation is computed on screen and not printed")
    else:
        mapping = map_type(base)
        if mapping.ca_type is None:
            (scope.refuse if mapping.unsupported else scope.note)(row, "type", mapping.note)
            return []
        if mapping.note:
            scope.note(row, "type", mapping.note)
        out["type"] = mapping.ca_type
        if mapping.help:
            out["help"] = {lang: mapping.help for lang in scope.langs}
    out["label"] = scope.texts(row, "label", fallback=name)
    hint = scope.texts(row, "hint")
    if hint:
        extra = out.get("help", {})
        out["help"] = {k: f"{v} ({extra[k]})" if extra else v for k, v in hint.items()}
    _flags(scope, row, out)
    _expressions(scope, row, out, group_rel)
    if base == "calculate" and "calculate" not in out:
        return []  # its calculation could not be kept (reported): nothing to compute or print
    fields = [out]
    if other:
        fields.append(_other_field(scope, ca, out))
    return fields


def _flags(scope: Scope, row: Row, out: dict[str, Any]) -> None:
    for column, key in (("required", "required"), ("read_only", "read_only")):
        value = row.get(column).strip().lower()
        if value in TRUE:
            out[key] = True
        elif value not in FALSE:
            scope.refuse(row, column, f"{column} {value[:60]!r} (a condition) is not supported")
    appearance = row.get("appearance").strip().lower()
    for word in appearance.split():
        if word == "multiline" and out["type"] == "text":
            out["type"], out["lines"] = "longtext", 4
        elif word not in KNOWN_APPEARANCES:
            scope.note(row, "appearance", f"appearance {word!r} means nothing on paper; ignored")
    if appearance:
        out["appearance"] = appearance
    if row.get("default"):
        out["default"] = row.get("default")[:500]
    for column in ("media", "guidance_hint", "trigger", "required_message"):
        if any(h.column == column for h in row.cells):
            scope.refuse(row, column, f"the {column} column is not supported")
    if row.get("parameters"):
        scope.note(row, "parameters", "parameters are for phones; ignored")


def _expressions(scope: Scope, row: Row, out: dict[str, Any], group_rel: Expr | None) -> None:
    rel = expression(scope, row, "relevant", row.get("relevant")) if row.get("relevant") else None
    combined = both(group_rel, rel)
    if combined is not None:
        out["relevant_if"] = to_source(combined)
    if row.get("constraint"):
        node = expression(scope, row, "constraint", row.get("constraint"), later_ok=True)
        if node is not None:
            out["constraint"] = to_source(node)
            message = scope.texts(row, "constraint_message")
            if message:
                out["constraint_message"] = message
    if row.get("calculation"):
        node = expression(scope, row, "calculation", row.get("calculation"))
        if node is not None:
            out["calculate"] = to_source(node)
    if row.get("choice_filter"):
        node = expression(scope, row, "choice_filter", row.get("choice_filter"), later_ok=True)
        if node is not None:
            out["choice_filter"] = to_source(node)


def _other_choice(scope: Scope) -> dict[str, Any]:
    return {"value": "other", "label": {lang: "Other" for lang in scope.langs}}


def _other_field(scope: Scope, ca: str, select: dict[str, Any]) -> dict[str, Any]:
    taken = set(scope.names.values())
    name = ca_name(f"{ca}_other", taken)
    scope.names[name] = name
    cond = f"selected(${{{ca}}}, 'other')"
    rel = select.get("relevant_if")
    return {
        "name": name,
        "type": "text",
        "label": {lang: f"{text} — specify" for lang, text in select["label"].items()},
        "relevant_if": f"({rel}) and {cond}" if rel else cond,
    }
