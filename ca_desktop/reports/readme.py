"""The README sheet of exported workbooks and templates: what every column means.

Column names are stable codes; this sheet gives each its label in English and in the
chosen language, its kind, whether an import needs it, and the codes it accepts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from ca_desktop import __version__
from ca_desktop.domain.i18n import LANGUAGE_NAMES, field_label, label, tr
from ca_desktop.domain.records import spec_for
from ca_desktop.reports.columns import ID, META, TITLE_SUFFIX, layout

_KIND_TEXT = {
    "text": "text",
    "longtext": "long text",
    "int": "whole number",
    "decimal": "number",
    "date": "date (YYYY-MM-DD)",
    "enum": "one code",
    "enums": "codes separated by commas",
    "ref": "record id",
    "bool": "true or false",
    "list": "JSON list",
}


# Column widths of the README sheet (characters): sheet, column, two labels, kind, required, codes.
README_WIDTHS = (18, 28, 40, 40, 24, 10, 60)


def set_readme_widths(ws: Any) -> None:
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(README_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def readme_rows(record_types: Sequence[str], lang: str, today: dt.date) -> Iterator[list[object]]:
    """Rows of the README sheet (plain values; the first cell of a row says what it is)."""
    yield [f"CA Desktop {__version__}", today]
    yield [tr("Column names are codes and stay the same in every language.", lang)]
    yield [
        tr(
            "Code columns accept the code or its label in English, French, Spanish or Portuguese.",
            lang,
        )
    ]
    yield [tr("A row without an id creates a record; a row with an id updates that record.", lang)]
    yield []
    other = LANGUAGE_NAMES.get(lang, "English")
    yield ["sheet", "column", "English", other, "kind", "required", "codes"]
    for record_type in record_types:
        for column in layout(record_type):
            fs = column.field
            if fs is None:
                yield [
                    record_type,
                    column.name,
                    _meta_label(column.name, "en"),
                    _meta_label(column.name, lang),
                    "name instead of the id" if column.name.endswith(TITLE_SUFFIX) else "read-only",
                    "",
                    "",
                ]
                continue
            codes = ", ".join(m.value for m in fs.enum) if fs.enum else ""
            yield [
                record_type,
                fs.name,
                field_label(fs.name, "en"),
                field_label(fs.name, lang),
                _KIND_TEXT[fs.kind],
                "yes" if fs.required else "",
                codes,
            ]


def _meta_label(name: str, lang: str) -> str:
    if name == ID:
        return tr("Record id (empty for a new record)", lang)
    if name in META:
        return (
            tr("Last changed (UTC)", lang) if name == "updated_at" else tr("Last changed by", lang)
        )
    if name.endswith(TITLE_SUFFIX):
        return tr("Name of the linked record (used when the id is empty)", lang)
    return tr("Field from a newer version (not imported)", lang)


def code_labels(record_type: str, lang: str) -> Iterator[list[object]]:
    """(field, code, label) rows for the code lists of one record type."""
    for fs in spec_for(record_type).fields:
        if fs.enum:
            for member in fs.enum:
                yield [fs.name, member.value, label(member.value, lang)]
