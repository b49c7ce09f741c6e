"""Reading form definitions from JSON into the model, naming every problem found.

A definition directory holds one `<code>.json` per form and optional shared choice lists in
`_lists.json` (`{"sex": [{"value": ..., "label": {...}}, ...]}`), which a field names with
`"choices": "sex"`. Problems are collected, not raised one at a time, so `forms validate`
shows all of them: each names the file and the field at fault.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ca_desktop.domain.enums import Sex
from ca_desktop.domain.sex_codes import letter
from ca_desktop.forms.expr import Expr, ExprError, parse
from ca_desktop.forms.model import (
    LANGS,
    Choice,
    FieldDef,
    FormDef,
    Relevance,
    Section,
    Text,
    Total,
)
from ca_desktop.forms.resources import forms_dir

if TYPE_CHECKING:
    from ca_desktop.services.app import CaDesktop

FORMAT = 1
LISTS_FILE = "_lists.json"


class DefinitionError(ValueError):
    """Broken form definitions; `.problems` has one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class _Ctx:
    file: str
    problems: list[str]
    lists: dict[str, tuple[Choice, ...]]
    langs: tuple[str, ...] = field(default=LANGS)

    def bad(self, where: str, message: str) -> None:
        self.problems.append(f"{self.file}: {where}: {message}")


def load_directory(directory: Path) -> tuple[dict[str, FormDef], list[str]]:
    """All definitions of a directory, by code, and the problems found (empty when sound)."""
    from ca_desktop.forms.checks import check_form

    problems: list[str] = []
    if not directory.is_dir():
        return {}, [f"{directory}: not a directory"]
    lists: dict[str, tuple[Choice, ...]] = {}
    lists_path = directory / LISTS_FILE
    if lists_path.exists():
        ctx = _Ctx(lists_path.name, problems, {})
        raw = _read_json(lists_path, ctx)
        if isinstance(raw, dict):
            for name, items in raw.items():
                lists[name] = _choices(items, f"list {name}", ctx)
        elif raw is not None:
            ctx.bad("file", "must hold an object of named choice lists")
    forms: dict[str, FormDef] = {}
    files = sorted(p for p in directory.glob("*.json") if not p.name.startswith("_"))
    if not files:
        problems.append(f"{directory}: no form definitions (*.json) found")
    for path in files:
        ctx = _Ctx(path.name, problems, lists)
        raw = _read_json(path, ctx)
        if raw is None:
            continue
        form = _form(raw, ctx, str(path))
        if form is None:
            continue
        check_form(form, ctx.bad)
        if form.code in forms:
            ctx.bad("code", f"{form.code} is also defined in {Path(forms[form.code].source).name}")
        forms[form.code] = form
    return forms, problems


def parse_definition(raw: Any, source: str) -> tuple[FormDef | None, list[str]]:
    """A definition held in memory (an import about to be written), checked like a file."""
    from ca_desktop.forms.checks import check_form

    problems: list[str] = []
    ctx = _Ctx(source, problems, {})
    form = _form(raw, ctx, source)
    if form is not None:
        check_form(form, ctx.bad)
    return form, problems


@cache
def _shipped() -> dict[str, FormDef]:
    forms, problems = load_directory(forms_dir())
    if problems:
        raise DefinitionError(problems)
    return forms


def _local(app: CaDesktop | None) -> dict[str, FormDef]:
    """The data folder's own forms (imported from XLSForm or received in a bundle)."""
    if app is None:
        return {}
    from ca_desktop.forms.local import local_forms

    return {code: f for code, f in local_forms(app).items() if code not in _shipped()}


def all_forms(app: CaDesktop | None = None) -> list[FormDef]:
    """The shipped definitions, then those of `app`'s data folder, each in code order;
    DefinitionError if a shipped one is broken."""
    shipped = [f for _, f in sorted(_shipped().items())]
    return shipped + [f for _, f in sorted(_local(app).items())]


def get_form(code: str, app: CaDesktop | None = None) -> FormDef:
    key = code.strip().upper()
    found = _shipped().get(key) or _local(app).get(key)
    if found is None:
        raise KeyError(f"no form with code {code!r}")
    return found


def _read_json(path: Path, ctx: _Ctx) -> Any:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        for k in {k for k in keys if keys.count(k) > 1}:
            ctx.bad(k, "key appears twice")
        return dict(pairs)

    try:
        return json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=no_duplicates)
    except (OSError, UnicodeDecodeError) as exc:
        ctx.bad("file", f"cannot be read: {exc}")
    except json.JSONDecodeError as exc:
        ctx.bad("file", f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")
    return None


LANG_RE = re.compile(r"^[a-z][a-z0-9_-]{1,30}$")


def _text(raw: Any, where: str, ctx: _Ctx, optional: bool = False) -> Text | None:
    if raw is None and optional:
        return None
    if ctx.langs != LANGS:
        return _form_text(raw, where, ctx)
    if not isinstance(raw, dict):
        ctx.bad(where, 'needs labels as {"en": ..., "fr": ..., "es": ..., "pt": ...}')
        return None
    missing = [
        lang for lang in LANGS if not isinstance(raw.get(lang), str) or not raw[lang].strip()
    ]
    if missing:
        ctx.bad(where, f"missing label in {', '.join(missing)}")
        return None
    extra = sorted(set(raw) - set(LANGS))
    if extra:
        ctx.bad(where, f"unknown languages {extra}")
    return Text(*(raw[lang].strip() for lang in LANGS))


def _form_text(raw: Any, where: str, ctx: _Ctx) -> Text | None:
    """A label of a form written in its own languages (imported forms): the app's languages
    it lacks read the form's first language, so every screen and paper still has words."""
    if not isinstance(raw, dict):
        ctx.bad(where, f"needs labels in {', '.join(ctx.langs)}")
        return None
    missing = [
        lang for lang in ctx.langs if not isinstance(raw.get(lang), str) or not raw[lang].strip()
    ]
    if missing:
        ctx.bad(where, f"missing label in {', '.join(missing)}")
        return None
    extra = sorted(set(raw) - set(ctx.langs))
    if extra:
        ctx.bad(where, f"unknown languages {extra}")
    first = raw[ctx.langs[0]].strip()
    en, fr, es, pt = (raw.get(lang, first).strip() for lang in LANGS)
    other = tuple((lang, raw[lang].strip()) for lang in ctx.langs if lang not in LANGS)
    return Text(en, fr, es, pt, other=other)


def _expr(raw: Any, where: str, ctx: _Ctx, columns: bool = False) -> Expr | None:
    if raw is None:
        return None
    if not isinstance(raw, str):
        ctx.bad(where, "an expression must be text")
        return None
    try:
        return parse(raw, columns)
    except ExprError as exc:
        ctx.bad(where, str(exc))
        return None


def _choices(raw: Any, where: str, ctx: _Ctx) -> tuple[Choice, ...]:
    if isinstance(raw, str):
        if raw not in ctx.lists:
            ctx.bad(where, f"unknown choice list {raw!r}")
        return ctx.lists.get(raw, ())
    if not isinstance(raw, list) or not raw:
        ctx.bad(where, "choices must be a non-empty list or the name of a shared list")
        return ()
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("value"), str):
            ctx.bad(f"{where} choice {i + 1}", "needs a text value")
            continue
        label = _text(item.get("label"), f"{where} choice {item['value']}", ctx)
        short = _text(item.get("short"), f"{where} choice {item['value']} short", ctx, True)
        columns = item.get("columns", {})
        if not isinstance(columns, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
        ):
            ctx.bad(f"{where} choice {item['value']}", "columns must map names to text")
            columns = {}
        if label:
            out.append(Choice(item["value"], label, short, tuple(sorted(columns.items()))))
    values = [c.value for c in out]
    if len(set(values)) != len(values):
        ctx.bad(where, "choice values repeat")
    return _paper_sex_letters(tuple(out))


def _paper_sex_letters(choices: tuple[Choice, ...]) -> tuple[Choice, ...]:
    """A choice of sex prints the letters of `domain.sex_codes`, whatever a definition says,
    so the paper and the register grid can never read a circled letter differently."""
    if {c.value for c in choices} != {s.value for s in Sex}:
        return choices
    return tuple(replace(c, short=_letters(c.value)) for c in choices)


def _letters(sex: str) -> Text:
    en, fr, es, pt = (letter(sex, lang) for lang in LANGS)
    return Text(en, fr, es, pt)


_FIELD_KEYS = {
    "name", "type", "label", "help", "required", "choices", "relevant", "maps_to",
    "record_type", "link", "min", "max", "max_length", "lines", "width", "unit", "columns",
    "rows", "min_rows", "max_rows", "totals", "rows_record", "rows_link", "col_width",
    "relevant_if", "constraint", "constraint_message", "calculate", "choice_filter",
    "appearance", "read_only", "default",
}  # fmt: skip


def _field(raw: Any, ctx: _Ctx, where_prefix: str = "") -> FieldDef | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        ctx.bad(where_prefix or "field", "every field needs a name")
        return None
    where = f"field {where_prefix}{raw['name']}"
    for key in sorted(set(raw) - _FIELD_KEYS):
        ctx.bad(where, f"unknown key {key!r}")
    kind = raw.get("type")
    label = _text(raw.get("label"), f"{where} label", ctx)
    help_text = _text(raw.get("help"), f"{where} help", ctx, optional=True)
    unit = _text(raw.get("unit"), f"{where} unit", ctx, optional=True)
    choices = _choices(raw["choices"], where, ctx) if "choices" in raw else ()
    relevant = None
    if "relevant" in raw:
        rel = raw["relevant"]
        if not isinstance(rel, dict) or not isinstance(rel.get("field"), str):
            ctx.bad(where, 'relevant needs {"field": name, "in": [values]} or "filled": true')
        else:
            values = rel.get("in", [rel["equals"]] if "equals" in rel else [])
            relevant = Relevance(rel["field"], tuple(values), bool(rel.get("filled")))
            if not values and not relevant.filled:
                ctx.bad(where, 'relevant needs "equals", "in" or "filled"')
    columns: list[FieldDef] = []
    for col in raw.get("columns", []):
        parsed = _field(col, ctx, f"{raw['name']}.")
        if parsed:
            columns.append(parsed)
    totals = []
    for i, t in enumerate(raw.get("totals", [])):
        tl = _text(t.get("label") if isinstance(t, dict) else None, f"{where} total {i + 1}", ctx)
        if tl:
            values = t.get("in", [t["equals"]] if "equals" in t else [])
            totals.append(Total(tl, t.get("sum"), t.get("column"), tuple(values)))
    if label is None:
        return None
    try:
        return FieldDef(
            name=raw["name"],
            type=str(kind),
            label=label,
            help=help_text,
            required=bool(raw.get("required", False)),
            choices=choices,
            relevant=relevant,
            maps_to=raw.get("maps_to"),
            record_type=raw.get("record_type"),
            link=bool(raw.get("link", False)),
            min=raw.get("min"),
            max=raw.get("max"),
            max_length=raw.get("max_length"),
            lines=int(raw.get("lines", 1)),
            width=str(raw.get("width", "full")),
            unit=unit,
            columns=tuple(columns),
            rows=int(raw.get("rows", 5)),
            min_rows=int(raw.get("min_rows", 0)),
            max_rows=raw.get("max_rows"),
            totals=tuple(totals),
            rows_record=raw.get("rows_record"),
            rows_link=raw.get("rows_link"),
            col_width=float(raw.get("col_width", 1.0)),
            relevant_expr=_expr(raw.get("relevant_if"), f"{where} relevant_if", ctx),
            constraint=_expr(raw.get("constraint"), f"{where} constraint", ctx),
            constraint_message=_text(
                raw.get("constraint_message"), f"{where} constraint_message", ctx, True
            ),
            calculate=_expr(raw.get("calculate"), f"{where} calculate", ctx),
            choice_filter=_expr(raw.get("choice_filter"), f"{where} choice_filter", ctx, True),
            appearance=str(raw.get("appearance", "")),
            read_only=bool(raw.get("read_only", False)),
            default=None if raw.get("default") is None else str(raw["default"]),
        )
    except (TypeError, ValueError) as exc:
        ctx.bad(where, f"bad number: {exc}")
        return None


_FORM_KEYS = {
    "format",
    "code",
    "version",
    "title",
    "intro",
    "record_type",
    "orientation",
    "sections",
    "languages",
    "origin",
}


def _form(raw: Any, ctx: _Ctx, source: str) -> FormDef | None:
    if not isinstance(raw, dict):
        ctx.bad("file", "must hold one JSON object")
        return None
    for key in sorted(set(raw) - _FORM_KEYS):
        ctx.bad(key, "unknown key")
    if raw.get("format") != FORMAT:
        ctx.bad("format", f"must be {FORMAT}")
    for key in ("code", "version"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            ctx.bad(key, "is required")
            return None
    langs = raw.get("languages", list(LANGS))
    if (
        not isinstance(langs, list)
        or not langs
        or len(langs) > 20
        or len(set(langs)) != len(langs)
        or not all(isinstance(x, str) and LANG_RE.match(x) for x in langs)
    ):
        ctx.bad("languages", "must be a list of distinct language codes such as en, sw")
        langs = list(LANGS)
    ctx.langs = tuple(langs)
    origin = raw.get("origin", "")
    if origin not in ("", "xlsform"):
        ctx.bad("origin", "must be xlsform or absent")
    title = _text(raw.get("title"), "title", ctx)
    intro = _text(raw.get("intro"), "intro", ctx, optional=True)
    sections = []
    if not isinstance(raw.get("sections"), list) or not raw["sections"]:
        ctx.bad("sections", "needs at least one section")
        return None
    for i, sec in enumerate(raw["sections"]):
        sid = sec.get("id", f"#{i + 1}") if isinstance(sec, dict) else f"#{i + 1}"
        if not isinstance(sec, dict) or not isinstance(sec.get("fields"), list):
            ctx.bad(f"section {sid}", "needs a list of fields")
            continue
        stitle = _text(sec.get("title"), f"section {sid} title", ctx)
        shelp = _text(sec.get("help"), f"section {sid} help", ctx, optional=True)
        fields = tuple(f for f in (_field(raw_f, ctx) for raw_f in sec["fields"]) if f)
        if stitle:
            sections.append(Section(str(sid), stitle, fields, shelp))
    if title is None:
        return None
    return FormDef(
        code=raw["code"].strip(),
        version=raw["version"].strip(),
        title=title,
        sections=tuple(sections),
        record_type=raw.get("record_type"),
        intro=intro,
        orientation=str(raw.get("orientation", "portrait")),
        source=source,
        languages=ctx.langs,
        origin=str(origin),
    )
