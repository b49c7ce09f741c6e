"""The workbook carries the results-framework figures on a sheet of their own."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from ca_desktop.reports.figures_sheet import figures_sheet
from ca_desktop.reports.filters import ReportFilters
from ca_desktop.reports.indicators import INDICATORS, compute_figures
from ca_desktop.reports.spreadsheet_export import export_workbook
from ca_desktop.services.app import CaDesktop


def test_the_workbook_has_a_figures_sheet_that_agrees_with_the_report(
    app: CaDesktop, activity_body: dict, tmp_path: Path
) -> None:
    app.save("activity", activity_body)
    out = tmp_path / "all.xlsx"
    export_workbook(app, out, lang="fr", extra_sheets=[figures_sheet(app, "fr")])
    rows = list(openpyxl.load_workbook(out, read_only=True)["figures"].values)
    assert rows[0] == ("code", "value", "label", "definition")
    by_code = {r[0]: r for r in rows[1:]}
    assert set(by_code) == {ind.code for ind in INDICATORS}
    expected = compute_figures(app, ReportFilters())
    people = next(ind.code for ind in INDICATORS if ind.headline)
    assert by_code[people][1] == expected.value(people)
    assert by_code[people][2] != next(i.label for i in INDICATORS if i.code == people)  # French
