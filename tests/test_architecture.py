"""Layering rules: imports point downwards only, and Qt stays under gui/.

domain <- store <- services <- (sync, forms, reports) <- (gui, cli)
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "ca_desktop"

LAYER = {
    "domain": 0,
    "store": 1,
    "services": 2,
    "sync": 3,
    "forms": 3,
    "reports": 3,
    "gui": 4,
    "cli": 4,
}
# Same-rank packages that may use each other: the command line starts the GUI (lazily,
# so that other commands never load Qt); nothing else.
ALLOWED_SIDEWAYS: set[tuple[str, str]] = {("cli", "gui")}


def _layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "ca_desktop" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in LAYER else None


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def test_imports_point_downwards() -> None:
    wrong = []
    for path in _modules():
        rel = path.relative_to(PACKAGE)
        own = rel.parts[0] if len(rel.parts) > 1 else None
        if own not in LAYER:
            continue
        for line, module in _imports(path):
            target = _layer_of(module)
            if target is None or target == own:
                continue
            upwards = LAYER[target] > LAYER[own]
            sideways = LAYER[target] == LAYER[own] and (own, target) not in ALLOWED_SIDEWAYS
            if upwards or sideways:
                wrong.append(f"{rel}:{line} ({own}) imports {module} ({target})")
    assert not wrong, "imports pointing the wrong way:\n" + "\n".join(wrong)


def test_qt_only_under_gui() -> None:
    wrong = []
    for path in _modules():
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "gui":
            continue
        for line, module in _imports(path):
            if module.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"}:
                wrong.append(f"{rel}:{line} imports {module}")
    assert not wrong, "Qt imported outside ca_desktop/gui/:\n" + "\n".join(wrong)


def test_core_runs_without_qt() -> None:
    """The CLI's non-GUI commands and the services import with no Qt module loaded."""
    import subprocess
    import sys

    code = (
        "import sys, ca_desktop.cli, ca_desktop.services.app, ca_desktop.services.demo;"
        "ca_desktop.cli.build_parser();"
        "bad=[m for m in sys.modules if m.startswith(('PySide6','shiboken6'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_rule_catches_a_wrong_arrow(tmp_path: Path) -> None:
    """Guard against a rule that can never fail: a store module importing gui is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from ca_desktop.gui.tasks import TaskManager\n")
    (line, module), = _imports(bad)
    assert _layer_of(module) == "gui" and LAYER["gui"] > LAYER["store"]
