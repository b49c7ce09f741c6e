#!/usr/bin/env python3
"""Collect every English string the program shows and keep the translation catalogs in step.

    python packaging/i18n_extract.py --check    # exit 1 and list what a catalog lacks
    python packaging/i18n_extract.py --update   # add missing keys (empty), drop unused ones
    python packaging/i18n_extract.py --report   # where each string comes from, and problems

The strings are: every literal passed to `tr()` (the one from `ca_desktop.domain.i18n`, not
the PDF forms' own `tr`), the English label of every enum code and every field name and
record type (what `label()` / `field_label()` look up), and the English text held in the
few constants that reach `tr()` through a variable (`INDIRECT` below). Catalogs are
`resources/translations/<lang>.json`: English → translation, sorted by key, UTF-8.

Standard library only, so it runs from a bare checkout; it imports the plain-Python
`ca_desktop.domain` modules, never the GUI.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ca_desktop"
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from ca_desktop.domain import enums, records  # noqa: E402
from ca_desktop.domain.i18n import LANGUAGES, english_label, resources_dir  # noqa: E402

I18N_MODULE = "ca_desktop.domain.i18n"
TARGETS = tuple(lang for lang in LANGUAGES if lang != "en")

# A path into a constant: "*" walks every element (dict values, list or tuple items), an int
# takes that position of a tuple or list. What the path ends on is collected if it is a str.
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Indirect:
    """English text that reaches `tr()` through a variable rather than as a literal.

    `name` is a constant assigned in `file` (`arg` None), at module level or in a class body
    (page classes set `title = "..."`), or a function or class called anywhere in the package
    with the text as its positional argument `arg`. `reads` are the `tr(...)` arguments, as
    written in the code, that this source explains; any other `tr(variable)` is reported.
    """

    name: str
    path: Path_ = ()
    file: str | None = None
    arg: int | None = None
    reads: tuple[str, ...] = ()


_GUI = "ca_desktop/gui/"
INDIRECT: tuple[Indirect, ...] = (
    Indirect("FieldIssue", arg=1, reads=("self.template",)),
    Indirect("PLAIN_REFUSED", (), "ca_desktop/sync/importer.py", reads=("PLAIN_REFUSED",)),
    # Rule messages with numbers: the whole sentence is the key, the numbers fill it.
    Indirect("issue", arg=1),
    Indirect("RuleBroken", arg=0),
    Indirect("fill", arg=0),
    Indirect("PAPER_NAMES", ("*",), _GUI + "settings_general.py", reads=("PAPER_NAMES[code]",)),
    Indirect(
        "SCHEDULE_NAMES", ("*",), _GUI + "settings_general.py", reads=("SCHEDULE_NAMES[code]",)
    ),
    # tr_n(singular, plural, n): both sentences are catalog keys.
    Indirect("tr_n", arg=0),
    Indirect("tr_n", arg=1),
    Indirect("PageEntry", arg=1, reads=("page.title",)),
    Indirect("PageEntry", arg=5, reads=("page.coming",)),
    Indirect("Conflict", arg=4, reads=("c.reason",)),
    Indirect("REPORTS_POINTS", ("*",), _GUI + "navigation.py", reads=("p",)),
    Indirect("_table", ("*",), _GUI + "sync/history.py", arg=0, reads=("h",)),
    Indirect("_CODE_CLASHES", ("*",), _GUI + "widgets/field_base.py", reads=("plain",)),
    Indirect("HEADERS", ("*",), _GUI + "editors/activity_register.py", reads=("HEADERS[c]",)),
    Indirect(
        "COLUMNS", ("*", 1), _GUI + "models/activity_table.py", reads=("COLUMNS[section][1]",)
    ),
    Indirect("SHORTCUTS_HELP", ("*", 1), _GUI + "main_window.py", reads=("v",)),
    Indirect("ACTIONS", ("*",), _GUI + "pages/home.py", reads=("ACTIONS[change.action]",)),
    # Messages of the rules fields declare (shown through FieldIssue like the literals).
    Indirect("_CODE_MESSAGES", ("*",), "ca_desktop/domain/validation.py"),
    Indirect("REPORT_COLUMNS", ("*",), _GUI + "sync/import_panel.py", reads=("c",)),
    # The results-framework indicators (`reports/indicators.py`): label and definition.
    Indirect(
        "Indicator",
        arg=1,
        reads=(
            "i.label",
            "ind.label",
            "indicator(c).label",
            "indicator(code).label",
            "indicator(pivot.measure).label",
        ),
    ),
    Indirect("Indicator", arg=2, reads=("ind.definition",)),
    Indirect("_CELL_LABELS", ("*",), "ca_desktop/reports/indicators.py"),
    Indirect(
        "MONTHS", ("*",), "ca_desktop/reports/formatting.py", reads=("MONTHS[day.month - 1]",)
    ),
    Indirect(
        "DIMENSION_LABELS", ("*",), "ca_desktop/reports/pivot.py", reads=("DIMENSION_LABELS[dim]",)
    ),
)
# tr() arguments explained by the code labels below, not by a constant.
DERIVED_READS = frozenset(
    {
        "target.replace('_', ' ')",
        # Record type declarations (`domain/records.py`), collected in `_code_labels`.
        "spec_for(change.record_type).label",
        "spec_for(record_type).plural",
        "spec_for(t).plural",
        "spec_for(spec.ref).label",
        "spec_for(value).label",
        # Rule messages: FieldIssue, issue() and RuleBroken templates (INDIRECT above); a
        # plain ValueError's text is one of those or a literal collected where it is raised.
        "template",
        "str(exc)",
        "self.spec.edit_title if record_id else self.spec.new_title",
        # A record type's list page (`RecordSpec.page`), in gui/pages/records.py.
        "self.title",
        "self.new_label",
        "self.empty_title",
        "self.empty_text",
        "title",
    }
)
EXPLAINED = DERIVED_READS | {read for ind in INDIRECT for read in ind.reads}


@dataclass(frozen=True)
class Site:
    file: str  # relative to the repository root
    line: int
    code: str
    arg: str = ""  # the argument given to tr(), as written

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.code}"


@dataclass
class Extraction:
    strings: dict[str, set[str]] = field(default_factory=dict)  # English → where it comes from
    untranslatable: list[Site] = field(default_factory=list)  # tr(f"..."), tr("a" + b), ...
    assembled_sources: list[Site] = field(default_factory=list)  # same, in an INDIRECT source
    in_fstrings: list[Site] = field(default_factory=list)  # f"{tr('a')} {x}": pieces glued
    dynamic: list[Site] = field(default_factory=list)  # tr(variable): see INDIRECT

    @property
    def unexplained(self) -> list[Site]:
        """tr(variable) calls whose text no INDIRECT source collects: likely untranslated."""
        return [site for site in self.dynamic if site.arg not in EXPLAINED]

    def add(self, text: str, origin: str) -> None:
        if text.strip():
            self.strings.setdefault(text, set()).add(origin)


def _rel(path: Path, root: Path = ROOT) -> str:
    return path.relative_to(root).as_posix()


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(module: str | None, level: int, here: str, is_package: bool) -> str:
    """The absolute module of a `from ... import` (relative imports resolved)."""
    if level == 0:
        return module or ""
    base = here.split(".")
    base = base[: len(base) - level + (1 if is_package else 0)]
    return ".".join([*base, module] if module else base)


def _tr_names(tree: ast.Module, path: Path, root: Path) -> tuple[set[str], set[str]]:
    """Local names bound to i18n's `tr`, and local names bound to the i18n module itself."""
    here = _module_name(path, root)
    funcs: set[str] = set()
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _absolute(node.module, node.level, here, path.name == "__init__.py")
            for alias in node.names:
                if source == I18N_MODULE and alias.name == "tr":
                    funcs.add(alias.asname or "tr")
                elif f"{source}.{alias.name}" == I18N_MODULE:
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == I18N_MODULE and alias.asname:
                    modules.add(alias.asname)
    if here == I18N_MODULE:
        funcs.add("tr")
    return funcs, modules


def _is_tr(call: ast.Call, funcs: set[str], modules: set[str]) -> bool:
    f = call.func
    if isinstance(f, ast.Name):
        return f.id in funcs
    return (
        isinstance(f, ast.Attribute)
        and f.attr == "tr"
        and isinstance(f.value, ast.Name)
        and f.value.id in modules
    )


def _assembled(node: ast.expr) -> bool:
    """Text built at run time from pieces: it can never match a catalog key."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Constant)
        and node.func.attr in {"format", "join"}
    )


def _called_name(call: ast.Call) -> str | None:
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return None


def _walk_path(node: ast.expr, path: Path_) -> Iterator[ast.expr]:
    if not path:
        yield node
        return
    step, rest = path[0], path[1:]
    if isinstance(node, ast.Dict):
        items: list[ast.expr] = list(node.values)
    elif isinstance(node, ast.Tuple | ast.List | ast.Set):
        items = list(node.elts)
    elif isinstance(node, ast.Call) and node.args:  # tuple(...), frozenset(...)
        yield from _walk_path(node.args[0], path)
        return
    else:
        return
    if step == "*":
        for item in items:
            yield from _walk_path(item, rest)
    elif isinstance(step, int) and -len(items) <= step < len(items):
        yield from _walk_path(items[step], rest)


def _strings_in(node: ast.expr, path: Path_) -> Iterator[tuple[str, int]]:
    """(text, line) of every str constant the path leads to."""
    for leaf in _walk_path(node, path):
        if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str):
            yield leaf.value, leaf.lineno


def _scan_file(path: Path, root: Path, out: Extraction) -> None:
    rel = _rel(path, root)
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=rel)
    funcs, modules = _tr_names(tree, path, root)
    inside_fstring: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call):
                    inside_fstring.add(id(inner))

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_tr(node, funcs, modules) and node.args:
            arg = node.args[0]
            site = Site(rel, node.lineno, ast.unparse(node), ast.unparse(arg))
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                out.add(arg.value, f"{rel}:{node.lineno}")
                if id(node) in inside_fstring:
                    out.in_fstrings.append(site)
            elif _assembled(arg):
                out.untranslatable.append(site)
            elif rel != "ca_desktop/domain/i18n.py":  # label() itself: covered by enums
                out.dynamic.append(site)
        if isinstance(node, ast.Call):
            name = _called_name(node)
            for ind in INDIRECT:
                if ind.arg is None or ind.name != name or ind.arg >= len(node.args):
                    continue
                if ind.file is not None and ind.file != rel:
                    continue
                arg = node.args[ind.arg]
                if _assembled(arg):
                    out.assembled_sources.append(Site(rel, node.lineno, ast.unparse(node)))
                for text, line in _strings_in(arg, ind.path):
                    out.add(text, f"{rel}:{line}")

    wanted = {ind.name: ind for ind in INDIRECT if ind.arg is None and ind.file == rel}
    if not wanted:
        return
    body = list(tree.body)
    body += [s for c in tree.body if isinstance(c, ast.ClassDef) for s in c.body]
    for stmt in body:
        targets: list[ast.expr] = []
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value = [stmt.target], stmt.value
        for target in targets:
            if isinstance(target, ast.Name) and target.id in wanted:
                for text, line in _strings_in(value, wanted[target.id].path):
                    out.add(text, f"{rel}:{line}")


def _code_labels(out: Extraction) -> None:
    for member_type in vars(enums).values():
        if isinstance(member_type, type) and issubclass(member_type, StrEnum):
            if member_type is StrEnum:
                continue
            for member in member_type:
                out.add(english_label(member.value), f"enum {member_type.__name__}")
    for spec in records.RECORD_SPECS.values():
        # Record types are labelled too (conflict titles, history): "Cuf project".
        out.add(english_label(spec.name), f"record type {spec.name}")
        # The forms page names a form's record type in a sentence: "linked to a cuf project".
        out.add(spec.name.replace("_", " "), f"record type {spec.name} (in a sentence)")
        for name in spec.field_names:
            out.add(english_label(name), f"field {spec.name}.{name}")
        for f in spec.fields:
            if f.minimum is not None and f.maximum is not None:  # validation._common_rules
                out.add(
                    f"must be between {f.minimum:g} and {f.maximum:g}", f"rule {spec.name}.{f.name}"
                )
        # What the declaration says of the type: its name in a sentence, and the titles of
        # its editor and the editor's groups.
        where = f"record type {spec.name} (declaration)"
        out.add(spec.label, where)
        out.add(spec.plural, where)  # headings and choosers that name the type
        if spec.editor == "dialog":
            for text in (spec.new_title, spec.edit_title, *(t for t, _ in spec.groups)):
                out.add(text, where)
        if spec.page is not None:
            page = spec.page
            for text in (spec.plural, page.empty_title, page.empty_text):
                out.add(text, where)
            if page.in_navigation:
                out.add(page.summary, where)


def extract(package: Path = PACKAGE) -> Extraction:
    """Every translatable English string of the package, with where each one comes from."""
    out = Extraction()
    for path in sorted(package.rglob("*.py")):
        _scan_file(path, package.parent, out)
    _code_labels(out)
    return out


def catalog_path(lang: str) -> Path:
    return resources_dir() / "translations" / f"{lang}.json"


def load_catalog(lang: str) -> dict[str, str]:
    path = catalog_path(lang)
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise SystemExit(f"{_rel_or_abs(path)}: not a JSON object")
    return {str(k): str(v) for k, v in data.items()}


def write_catalog(lang: str, catalog: dict[str, str]) -> None:
    path = catalog_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(dict(sorted(catalog.items())), ensure_ascii=False, indent=1)
    # Written beside and renamed, so a reader never sees half a catalog.
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(path)


def _rel_or_abs(path: Path) -> str:
    try:
        return _rel(path)
    except ValueError:
        return str(path)


def problems(wanted: set[str], lang: str) -> tuple[list[str], list[str], list[str]]:
    """(missing or empty, unused) keys of one catalog, plus keys whose value is empty."""
    catalog = load_catalog(lang)
    missing = sorted(k for k in wanted if k not in catalog)
    empty = sorted(k for k in wanted if k in catalog and not catalog[k].strip())
    unused = sorted(k for k in catalog if k not in wanted)
    return missing, empty, unused


def update(wanted: set[str], lang: str) -> tuple[int, int]:
    """Add missing keys with an empty value, drop unused ones; (added, dropped)."""
    catalog = load_catalog(lang)
    added = [k for k in wanted if k not in catalog]
    dropped = [k for k in catalog if k not in wanted]
    kept = {k: v for k, v in catalog.items() if k in wanted}
    kept.update(dict.fromkeys(added, ""))
    write_catalog(lang, kept)
    return len(added), len(dropped)


def _print_sites(title: str, sites: Sequence[Site]) -> None:
    if sites:
        print(f"{title} ({len(sites)}):")
        for site in sorted(sites, key=lambda s: (s.file, s.line)):
            print(f"  {site}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true", help="exit 1 if any catalog lacks a string")
    mode.add_argument("--update", action="store_true", help="add missing keys, drop unused ones")
    mode.add_argument("--report", action="store_true", help="list strings and problem sites")
    args = parser.parse_args(argv)

    found = extract()
    wanted = set(found.strings)
    if args.report:
        for text in sorted(wanted):
            print(f"{text!r}  ← {', '.join(sorted(found.strings[text]))}")
        _print_sites("tr() given text built at run time (untranslatable)", found.untranslatable)
        _print_sites("text built at run time, reaching tr() later", found.assembled_sources)
        _print_sites("tr() inside an f-string (a sentence glued from pieces)", found.in_fstrings)
        _print_sites("tr() given a variable, its text collected via INDIRECT", found.dynamic)
        _print_sites("tr() given a variable no INDIRECT entry explains", found.unexplained)
        return 0
    if args.update:
        for lang in TARGETS:
            added, dropped = update(wanted, lang)
            print(f"{lang}: {len(wanted)} strings, {added} added (empty), {dropped} dropped")
        return 0

    failed = False
    for lang in TARGETS:
        missing, empty, unused = problems(wanted, lang)
        for key in missing:
            print(f"{lang}: missing: {key!r}")
        for key in empty:
            print(f"{lang}: not translated: {key!r}")
        for key in unused:
            print(f"{lang}: unused: {key!r}")
        failed = failed or bool(missing or empty or unused)
    # Warnings, not failures: the fix is in the calling code (or in INDIRECT above).
    _print_sites("warning: tr() given text built at run time", found.untranslatable)
    _print_sites("warning: tr() given a variable no INDIRECT entry explains", found.unexplained)
    if not failed:
        print(f"{len(wanted)} strings, translated in {', '.join(TARGETS)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
