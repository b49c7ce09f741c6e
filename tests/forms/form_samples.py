"""Filled values for any form definition, with names the PDF must print correctly."""

from __future__ import annotations

from typing import Any

from ca_desktop.domain.records import PARTICIPANT_FIELDS
from ca_desktop.forms.model import FieldDef, FormDef

NAMES = ("Ọlọ́runfẹ́mi Adéyẹmí", "Nguyễn Thị Hoa", "Ñusta Quispe", "Zoë Mwangi")
RECORD_TITLE = "Kisenyi Ñusta settlement"


def sample_value(f: FieldDef, token: str) -> Any:
    kind = f.type
    if kind in ("text", "longtext"):
        limit = f.max_length or 200
        return f"{token} {NAMES[hash(token) % len(NAMES)]}"[:limit] if limit > 3 else "UGX"
    if kind == "integer":
        return int(f.max) if isinstance(f.max, (int, float)) else 4321
    if kind == "decimal":
        return 1234.5
    if kind == "date":
        return "2026-11-20"
    if kind == "choice":
        return f.choices[-1].value
    if kind == "multichoice":
        return [c.value for c in f.choices[:2]]
    if kind in ("yesno", "signature"):
        return True
    if kind == "record":
        return "01a21b86-79a3-71a1-8efa-319a16c7db17"
    if kind == "participants":
        return dict(zip(PARTICIPANT_FIELDS, (5, 10, 3, 7, 0, 1), strict=True))
    if kind == "time":
        return "09:45"
    if kind == "datetime":
        return "2026-11-20 09:45"
    if kind == "geopoint":
        return {"lat": 0.347596, "lon": 32.58252, "alt": 1190.0, "accuracy": 4.5}
    if kind == "image":
        return {"filename": f"{token}.jpg", "sha256": None}
    if kind == "table":
        return [
            {c.name: sample_value(c, f"{token}r{i}c{j}") for j, c in enumerate(f.columns)}
            for i in range(3)
        ]
    raise AssertionError(kind)


def sample_values(form: FormDef) -> dict[str, Any]:
    return {f.name: sample_value(f, f"T{i:02d}") for i, f in enumerate(form.fields())}
