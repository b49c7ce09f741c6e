"""The workbook's sheet of results-framework figures: one row per indicator, everything
recorded (no filter), with its code, label in the workbook's language and definition."""

from __future__ import annotations

from ca_desktop.domain.i18n import tr
from ca_desktop.reports.filters import ReportFilters
from ca_desktop.reports.indicators import INDICATORS, compute_figures
from ca_desktop.reports.spreadsheet_export import ExtraSheet
from ca_desktop.services.app import CaDesktop

SHEET = "figures"
HEADER = ["code", "value", "label", "definition"]


def figures_sheet(app: CaDesktop, lang: str = "en") -> ExtraSheet:
    """(sheet name, header, rows) for `export_workbook(extra_sheets=...)`."""
    figures = compute_figures(app, ReportFilters())
    rows = [
        [ind.code, figures.value(ind.code), tr(ind.label, lang), tr(ind.definition, lang)]
        for ind in INDICATORS
    ]
    return SHEET, HEADER, rows
