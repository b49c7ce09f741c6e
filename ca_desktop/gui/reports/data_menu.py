"""The Reports page's "Spreadsheets and open data" menu: import, export, template, IATI."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from ca_desktop.domain.i18n import tr
from ca_desktop.gui.reports import spreadsheets
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.services.app import CaDesktop


def data_menu_button(app: CaDesktop, tasks: TaskManager, parent: QWidget) -> QToolButton:
    """One button opening the menu, so the toolbar stays narrow on a small screen."""
    button = QToolButton(parent)
    button.setText(tr("Spreadsheets and open data"))
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(button)
    menu.addAction(
        tr("Import a spreadsheet…"), lambda: spreadsheets.open_import_dialog(app, tasks, parent)
    )
    menu.addAction(
        tr("Export to a spreadsheet…"), lambda: spreadsheets.export_workbook(app, tasks, parent)
    )
    menu.addAction(
        tr("Blank import template…"), lambda: spreadsheets.save_template(app, tasks, parent)
    )
    menu.addSeparator()
    menu.addAction(tr("Export IATI XML…"), lambda: spreadsheets.export_iati(app, tasks, parent))
    button.setMenu(menu)
    return button
