"""Laptops on different versions of CA Desktop, in one test process.

A `Version` is what a release declares: its record specs, schema number, upgrade steps and
release number. `running(version)` makes the code act as that release until the block
ends, so a test can hand bundles between laptops on three versions.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import ca_desktop.sync.manifest as manifest
from ca_desktop.domain import records, schema
from ca_desktop.domain.records import F, RecordSpec
from ca_desktop.domain.schema import Upgrade


@dataclass(frozen=True)
class Version:
    release: str
    number: int
    specs: dict[str, RecordSpec]
    upgrades: tuple[Upgrade, ...]


def _with_fields(
    spec: RecordSpec, drop: tuple[str, ...] = (), add: tuple[Any, ...] = ()
) -> RecordSpec:
    fields = tuple(f for f in spec.fields if f.name not in drop) + add
    return replace(spec, fields=fields)


def _rename_notes(record_type: str, body: dict[str, Any]) -> dict[str, Any]:
    if record_type == "activity" and "notes" in body:
        body["remarks"] = body.pop("notes")
    return body


# Numbered from the schema this checkout declares, so a real new version (a field added in
# `domain/records.py`) does not collide with the made-up ones below.
BASE = schema.SCHEMA_VERSION
CURRENT = Version("0.1.0", BASE, dict(records.RECORD_SPECS), schema.UPGRADES)
# 0.2.0 adds a budget to activities: older laptops may keep it without understanding it.
ADD_BUDGET = Upgrade(BASE + 1, "0.2.0", "activities have a budget", True, lambda t, b: b)
# 0.2.0 also adds a record type (its table comes with its migration on that version).
SAVINGS_GROUP = RecordSpec(
    "savings_group",
    (F("name", "text", True), F("members", "int"), F("settlement_id", "ref", ref="place")),
    title_field="name",
)
NEWER = Version(
    "0.2.0",
    BASE + 1,
    {
        **CURRENT.specs,
        "activity": _with_fields(records.ACTIVITY, add=(F("budget", "decimal"),)),
        "savings_group": SAVINGS_GROUP,
    },
    (*schema.UPGRADES, ADD_BUDGET),
)
# 0.3.0 renames notes to remarks: a 0.2.0 laptop would misread that, so it must update.
RENAME_NOTES = Upgrade(BASE + 2, "0.3.0", "activity notes are called remarks", False, _rename_notes)
NEWEST = Version(
    "0.3.0",
    BASE + 2,
    {
        **NEWER.specs,
        "activity": _with_fields(
            NEWER.specs["activity"],
            drop=("notes",),
            add=(F("remarks", "longtext", max_length=20000),),
        ),
    },
    (*schema.UPGRADES, ADD_BUDGET, RENAME_NOTES),
)


@contextmanager
def running(version: Version) -> Iterator[None]:
    saved = (
        dict(records.RECORD_SPECS),
        schema.SCHEMA_VERSION,
        schema.UPGRADES,
        manifest.__version__,
    )
    records.RECORD_SPECS.clear()
    records.RECORD_SPECS.update(version.specs)
    schema.SCHEMA_VERSION, schema.UPGRADES = version.number, version.upgrades
    manifest.__version__ = version.release
    try:
        yield
    finally:
        records.RECORD_SPECS.clear()
        records.RECORD_SPECS.update(saved[0])
        schema.SCHEMA_VERSION, schema.UPGRADES, manifest.__version__ = saved[1:]
