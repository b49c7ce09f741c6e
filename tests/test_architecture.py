"""Layering rules, as an allow-list per package: what each part of ca_desktop may import.

domain <- store <- services <- (sync, forms, reports) <- (gui, cli)

SQL (SQLAlchemy, SQLModel, Alembic) lives under store/ only, and store's tables stay inside
store (the layers above call its query functions), so a second database backend has one
place to implement; Qt lives under gui/ only, so the core runs headless; gui and cli reach
storage through services and never import store. Every import counts: relative ones, those
inside functions, under TYPE_CHECKING, and `importlib.import_module("...")` with a literal name.
The checker is a plain function, and a self-test runs it on a planted tree so the rule cannot
pass by finding nothing.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = "ca_desktop"
PACKAGE = Path(__file__).resolve().parents[1] / ROOT


@dataclass(frozen=True)
class Allowed:
    """What the modules of one package may import, besides the standard library."""

    internal: frozenset[str]  # ca_desktop packages (first component under ca_desktop)
    external: frozenset[str] = frozenset()  # third-party top-level modules


def _allow(internal: set[str], external: set[str] | None = None) -> Allowed:
    return Allowed(frozenset(internal), frozenset(external or ()))


SQL = {"sqlalchemy", "sqlmodel", "alembic"}
QT = {"PySide6", "shiboken6"}
PDF = {"reportlab", "PIL", "segno", "zxingcpp"}
CORE = {"domain", "services", "sync", "forms", "reports"}

# "__init__" is ca_desktop itself (its version string); every package may read it.
RULES: dict[str, Allowed] = {
    "__init__": _allow(set()),
    "__main__": _allow({"cli"}),
    "domain": _allow({"domain"}),
    "store": _allow({"domain", "store"}, SQL | {"platformdirs", "sqlcipher3", "psycopg", "keyring"}),
    # Files at rest (keys, drafts, attachments) are sealed with the data key's AES-GCM.
    "services": _allow({"domain", "store", "services"}, {"cryptography"}),
    "sync": _allow({"domain", "store", "services", "sync"}, {"cryptography"}),
    "forms": _allow({"domain", "store", "services", "forms"}, PDF),
    # The report PDF reuses the SOP forms' embedded fonts and colours (forms/pdf).
    "reports": _allow(
        {"domain", "store", "services", "forms", "reports"}, {"openpyxl", "lxml", "reportlab"}
    ),
    "gui": _allow(CORE | {"gui"}, QT),
    # The command line starts the GUI (lazily, so that other commands never load Qt).
    "cli": _allow(CORE | {"cli", "gui"}),
}

# Known exceptions on their way out, as (file, imported module): CaDesktop's save, get,
# find and list_records still build their SQL in services/app.py until it moves under
# store/ (issue 8). The list may only shrink: an entry nothing needs any more fails.
PENDING: set[tuple[str, str]] = set()

# The ORM side of store: tables, row mapping, migrations. The packages above call store's
# query functions (`*_queries.py`, `revisions`, `sqlite`, ...) and never see a table.
STORE_ONLY = ("tables", "sync_tables", "rows", "migrations")


@dataclass(frozen=True)
class Import:
    line: int
    module: str  # absolute dotted name of what is imported
    private: str | None = None  # a `_name` taken from another module, if any


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(root: Path, dotted: str) -> bool:
    """Whether `dotted` (under ROOT) names a module or package in the tree at `root`."""
    rel = Path(*dotted.split(".")[1:]) if "." in dotted else Path()
    return (root / rel).with_suffix(".py").is_file() or (root / rel / "__init__.py").is_file()


def _resolve(path: Path, own: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = own.split(".") if path.name == "__init__.py" else own.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(root: Path, path: Path) -> Iterator[Import]:
    """Every import in one file, relative ones made absolute."""
    own = _module_name(root, path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (Import(node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(path, own, node)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if base.split(".")[0] == ROOT and _is_module(root, sub):
                    yield Import(node.lineno, sub)  # `from ca_desktop import store`
                elif alias.name.startswith("_") and not alias.name.startswith("__"):
                    yield Import(node.lineno, base, private=alias.name)
                else:
                    yield Import(node.lineno, base)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield Import(node.lineno, node.args[0].value)


def _package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _store_only(module: str) -> bool:
    parts = module.split(".")
    return len(parts) > 2 and parts[2] in STORE_ONLY


def check_layering(root: Path, rules: dict[str, Allowed] = RULES) -> list[str]:
    """Every import under `root` that its package's allow-list does not permit."""
    wrong = []
    for path in sorted(root.rglob("*.py")):
        own = _module_name(root, path)
        rule = rules.get(_package_of(own))
        where = path.relative_to(root.parent)
        if rule is None:
            wrong.append(f"{where}: package {_package_of(own)!r} has no rule in RULES")
            continue
        for imp in imports_of(root, path):
            top = imp.module.split(".")[0]
            if top == ROOT:
                target = _package_of(imp.module)
                forbidden = target != "__init__" and target not in rule.internal
                orm = target == "store" != _package_of(own) and _store_only(imp.module)
                if forbidden or orm:
                    wrong.append(f"{where}:{imp.line} imports {imp.module}")
                owner = own if path.name == "__init__.py" else own.rpartition(".")[0]
                # A `_name` is private to its module; sibling modules of one package are
                # maintained together, so they may share one, nothing further away may.
                if imp.private and owner not in (imp.module, imp.module.rpartition(".")[0]):
                    wrong.append(
                        f"{where}:{imp.line} takes private {imp.private} from {imp.module}"
                    )
            elif top and top not in sys.stdlib_module_names and top not in rule.external:
                wrong.append(f"{where}:{imp.line} imports {imp.module}")
    return list(dict.fromkeys(wrong))  # `from x import a, b` is one finding, not two


def _pending(finding: str) -> tuple[str, str] | None:
    where, _, module = finding.partition(" imports ")
    key = (where.split(":")[0], module)
    return key if key in PENDING else None


def test_every_import_is_allowed() -> None:
    wrong = [w for w in check_layering(PACKAGE) if _pending(w) is None]
    assert not wrong, "imports the layering does not allow:\n" + "\n".join(wrong)


def test_pending_exceptions_are_still_needed() -> None:
    used = {_pending(w) for w in check_layering(PACKAGE)}
    assert used >= PENDING, f"no longer needed, remove from PENDING: {PENDING - used}"


def test_sql_and_qt_stay_in_their_packages() -> None:
    """The two rules that matter most, stated on their own so nobody widens them by accident."""
    for package, rule in RULES.items():
        assert package == "store" or not rule.external & SQL, package
        assert package == "gui" or not rule.external & QT, package
    for package in ("gui", "cli"):
        assert "store" not in RULES[package].internal


def _plant(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / ROOT
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(root).parents:
            (root / parent / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")
    return root


def test_the_checker_catches_planted_violations(tmp_path: Path) -> None:
    """The real checker on a fake tree: each planted wrong import is reported, nothing else."""
    root = _plant(
        tmp_path,
        {
            "store/tables.py": "import sqlalchemy\nimport _thread\n",
            "store/_hidden.py": "X = 1\n",
            "services/app.py": "import os\nfrom ca_desktop.store import tables\n",
            "services/bad.py": "def f():\n    from sqlalchemy import text\n",
            "services/orm.py": "import sqlalchemy.orm\n",
            "gui/plain.py": "from ca_desktop.store.tables import Revision\n",
            "gui/page.py": "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    import ca_desktop.store.tables\n",
            "gui/rel.py": "from ..store.tables import Revision\n",
            "gui/pkg/deep.py": "from ... import store\n",
            "gui/lazy.py": "import importlib\nimportlib.import_module('ca_desktop.store.tables')\n",
            "gui/ok.py": "from ca_desktop import __version__\nfrom ca_desktop.services import app\n"
            "from PySide6 import QtCore\n",
            "sync/peek.py": "from ca_desktop.store.sqlite import _hidden_name\n",
            "sync/own.py": "from ca_desktop.sync.peek import _sibling_helper\n",
            "sync/orm.py": "from ca_desktop.store import sqlite\n"
            "from ca_desktop.store.sync_tables import TrustedKey\n",
            "domain/qt.py": "from PySide6.QtCore import QObject\n",
            "cli/x.py": "import ca_desktop.store.tables as t\n",
            "extra/thing.py": "",
        },
    )
    wrong = check_layering(root)
    expected = {
        "ca_desktop/services/bad.py:2 imports sqlalchemy",
        "ca_desktop/services/orm.py:1 imports sqlalchemy.orm",
        "ca_desktop/gui/plain.py:1 imports ca_desktop.store.tables",
        "ca_desktop/gui/page.py:3 imports ca_desktop.store.tables",
        "ca_desktop/gui/rel.py:1 imports ca_desktop.store.tables",
        "ca_desktop/gui/pkg/deep.py:1 imports ca_desktop.store",
        "ca_desktop/gui/lazy.py:2 imports ca_desktop.store.tables",
        "ca_desktop/sync/peek.py:1 takes private _hidden_name from ca_desktop.store.sqlite",
        "ca_desktop/domain/qt.py:1 imports PySide6.QtCore",
        "ca_desktop/sync/orm.py:2 imports ca_desktop.store.sync_tables",
        "ca_desktop/services/app.py:2 imports ca_desktop.store.tables",
        "ca_desktop/cli/x.py:1 imports ca_desktop.store.tables",
        "ca_desktop/extra/thing.py: package 'extra' has no rule in RULES",
        "ca_desktop/extra/__init__.py: package 'extra' has no rule in RULES",
    }
    assert set(wrong) == expected


def test_core_runs_without_qt() -> None:
    """The CLI's non-GUI commands and the services import with no Qt module loaded."""
    import subprocess

    code = (
        "import sys, ca_desktop.cli, ca_desktop.services.app, ca_desktop.services.demo;"
        "ca_desktop.cli.build_parser();"
        "bad=[m for m in sys.modules if m.startswith(('PySide6','shiboken6'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
