"""The data folder's own form definitions: `<data folder>/forms/<CODE>.json`.

Forms imported from XLSForm (or received from the coordinator) live here, beside the
database, never in the shipped `resources/forms/`. They are read with the same loader and
checks as the shipped forms; a file that no longer loads is left out and logged, so one
broken file cannot take the Forms page down.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from ca_desktop.forms.model import FormDef
from ca_desktop.services.atomic import atomic_output

log = logging.getLogger(__name__)

_cache: dict[Path, tuple[tuple[tuple[str, int, int], ...], dict[str, FormDef]]] = {}


def local_forms_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "forms"


def local_forms(data_dir: Path) -> dict[str, FormDef]:
    """The sound definitions of the data folder by code, re-read only when a file changed."""
    from ca_desktop.forms.loader import load_directory

    directory = local_forms_dir(data_dir)
    if not directory.is_dir():
        return {}
    stamp = tuple(
        sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in directory.glob("*.json"))
    )
    cached = _cache.get(directory)
    if cached and cached[0] == stamp:
        return cached[1]
    if not stamp:
        return {}
    forms, problems = load_directory(directory)
    broken = {line.split(":", 1)[0] for line in problems}
    for line in problems:
        log.warning("data-folder form skipped: %s", line)
    sound = {code: f for code, f in forms.items() if Path(f.source).name not in broken}
    _cache[directory] = (stamp, sound)
    return sound


def save_local_form(data_dir: Path, definition: dict[str, Any]) -> Path:
    """Write (or replace) one definition, whole or not at all; returns its path.

    The file name is the checked form code, never a name taken from the imported file."""
    from ca_desktop.forms.checks import CODE_RE

    if not CODE_RE.match(str(definition.get("code", ""))):
        raise ValueError(f"not a form code: {definition.get('code')!r}")
    directory = local_forms_dir(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{definition['code']}.json"
    with atomic_output(target) as tmp:
        tmp.write_text(json.dumps(definition, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def read_local_definition(data_dir: Path, code: str) -> dict[str, Any] | None:
    """The stored JSON of a data-folder form (for version bumps and bundles), or None."""
    path = local_forms_dir(data_dir) / f"{code}.json"
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return raw if isinstance(raw, dict) else None
