"""Properties: export then import changes nothing; random files never crash the importer."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ca_desktop.domain.enums import OrganisationType
from ca_desktop.reports.sheet_reader import UnreadableFile
from ca_desktop.reports.spreadsheet_export import export_csv, export_workbook
from ca_desktop.reports.spreadsheet_import import ImportRejected, import_spreadsheet
from ca_desktop.services.app import CaDesktop

_COUNTER = itertools.count()
# Printable text with the characters that trip spreadsheets: formula starts, quotes,
# separators, apostrophes, accents, line breaks. (XLSX cannot hold control characters.)
TEXT = (
    st.text(
        alphabet=st.sampled_from(list("=+-@'\";,\n aZé€漢1.%"))
        | st.characters(codec="utf-8", categories=("L", "N", "P", "S")),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)


def _fresh_app() -> CaDesktop:
    folder = Path(tempfile.mkdtemp(prefix="ca-prop-"))
    app = CaDesktop.open(folder / "data")
    app.init_device("Prop Tester", "coordinator")
    return app


ORGS = st.lists(
    st.fixed_dictionaries(
        {
            "name": TEXT,
            "type": st.sampled_from([t.value for t in OrganisationType]),
            "contact": st.none() | TEXT,
            "country": st.none() | st.sampled_from(["UG", "GH", "BR"]),
        }
    ),
    min_size=1,
    max_size=6,
)


@pytest.mark.slow
@settings(max_examples=20)
@given(ORGS, st.lists(st.floats(0, 1e9, allow_nan=False), max_size=3))
def test_export_then_import_changes_nothing(orgs: list[dict[str, Any]], money: list[float]) -> None:
    app = _fresh_app()
    try:
        country = app.save("place", {"name": "Uganda", "kind": "country", "country": "UG"}).id
        for i, value in enumerate(money):
            app.save(
                "place",
                {
                    "name": f"City {i}",
                    "kind": "city",
                    "parent_id": country,
                    "latitude": value / 1e8 - 5,
                    "longitude": 30.123456789,
                },
            )
        for body in orgs:
            app.save("organisation", body)
        folder = app.data_dir.parent
        export_csv(app, "organisation", folder / "o.csv")
        export_csv(app, "place", folder / "p.csv")
        export_workbook(app, folder / "w.xlsx")
        before = {r.id: r.rev_id for t in ("organisation", "place") for r in app.list_records(t)}
        for name in ("o.csv", "p.csv", "w.xlsx"):
            result = import_spreadsheet(app, folder / name)
            assert (result.created, result.updated, result.rejected) == (0, 0, 0), result.problems
        after = {r.id: r.rev_id for t in ("organisation", "place") for r in app.list_records(t)}
        assert after == before
    finally:
        app.close()


CELL = (
    st.none()
    | st.text(max_size=20)
    | st.integers(-(10**15), 10**15)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))
    | st.booleans()
)
HEADERS = st.lists(
    st.sampled_from(
        [
            "id",
            "name",
            "type",
            "kind",
            "parent_id",
            "households",
            "latitude",
            "longitude",
            "country",
            "contact",
            "place_id",
            "x",
            "",
        ]
    ),
    max_size=8,
)


@settings(max_examples=40)
@given(HEADERS, st.lists(st.lists(CELL, max_size=9), max_size=6), st.booleans())
def test_random_files_import_or_report_cleanly(
    header: list[str], rows: list[list[Any]], as_xlsx: bool
) -> None:
    app = _fresh_app()
    folder = app.data_dir.parent
    try:
        if as_xlsx:
            path = folder / f"r{next(_COUNTER)}.xlsx"
            wb = Workbook()
            wb.active.title = "place"
            wb.active.append(header)
            for row in rows:
                wb.active.append([_xlsx_safe(v) for v in row])
            wb.save(path)
        else:
            path = folder / f"r{next(_COUNTER)}.csv"
            with open(path, "w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(header)
                w.writerows(rows)
        for record_type in ("place", "organisation"):
            try:
                result = import_spreadsheet(app, path, record_type)
            except ImportRejected as exc:
                assert exc.report.problems and app.count(record_type) == 0
                assert all(p.row >= 1 and p.reason for p in exc.report.problems)
            except UnreadableFile as exc:
                assert str(exc).startswith(path.name)
            else:
                assert result.created == app.count(record_type)
    finally:
        app.close()


def _xlsx_safe(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
