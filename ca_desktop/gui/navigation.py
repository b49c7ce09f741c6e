"""The pages of the main window, in navigation order, and how each is built.

Pages are imported by module path when first shown, so the window starts fast and a page
whose module does not exist yet shows a tidy "coming" panel instead of failing. That is
the only fallback: an error inside an existing page module is a bug and is raised.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ca_desktop.domain.i18n import tr
from ca_desktop.domain.records import RECORD_SPECS
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.gui.widgets.panels import ComingPanel

if TYPE_CHECKING:  # the storage layer is imported when the data folder opens, not before
    from ca_desktop.services.app import CaDesktop
    from ca_desktop.services.quick_reads import QuickReads


@dataclass(frozen=True)
class PageEntry:
    key: str
    title: str  # English; shown through tr()
    icon: str
    module: str | None  # None: no module planned yet (Reports)
    class_name: str
    coming: str  # what the page will do, shown until its module exists
    record_type: str | None = None  # a record type's generic list page
    position: int = 0  # order in the navigation
    # The page can show its first rows from the lean reads while the data folder opens
    # (built with a `QuickReads`, then given the app by its `attach`).
    preview: bool = False


_FIXED: tuple[PageEntry, ...] = (
    PageEntry(
        "home",
        "Home",
        "home",
        "ca_desktop.gui.pages.home",
        "HomePage",
        "Totals by level, theme and status, people reached by sex and youth, and recent changes.",
        position=10,
    ),
    PageEntry(
        "activities",
        "Activities",
        "activities",
        "ca_desktop.gui.pages.activities",
        "ActivitiesPage",
        "Every activity, with filters, search and attendance registers.",
        position=20,
        preview=True,
    ),
    PageEntry(
        "places",
        "Places & organisations",
        "places",
        "ca_desktop.gui.pages.places",
        "PlacesPage",
        "Countries, cities and settlements, and the organisations working there.",
        position=50,
    ),
    PageEntry(
        "forms",
        "Forms",
        "forms",
        "ca_desktop.gui.forms.page",
        "FormsPage",
        "Print the SOP forms for a meeting and type in the filled paper forms afterwards.",
        position=70,
    ),
    PageEntry(
        "sync",
        "Sync",
        "sync",
        "ca_desktop.gui.sync.page",
        "SyncPage",
        "Hand your work to the coordinator on a USB stick or by email, and receive theirs.",
        position=80,
    ),
    PageEntry(
        "reports",
        "Reports",
        "reports",
        "ca_desktop.gui.reports.page",
        "ReportsPage",
        "Quarterly figures for the results framework, spreadsheets and open data.",
        position=90,
    ),
)


def _record_pages() -> tuple[PageEntry, ...]:
    """A generic list page for every record type that declares one (`RecordSpec.page`)."""
    return tuple(
        PageEntry(
            spec.page.key,
            spec.plural,
            spec.page.icon,
            "ca_desktop.gui.pages.records",
            "RecordListPage",
            spec.page.summary,
            record_type=spec.name,
            position=spec.page.position,
        )
        for spec in RECORD_SPECS.values()
        if spec.page is not None and spec.page.in_navigation
    )


# In navigation order: the fixed pages and the record types' own list pages.
PAGES: tuple[PageEntry, ...] = tuple(
    sorted((*_FIXED, *_record_pages()), key=lambda page: page.position)
)

REPORTS_POINTS = (
    "Exports to spreadsheets: activities, attendance registers, CUF projects and grievances, "
    "ready for Excel or LibreOffice.",
    "IATI open data: publish the programme's activities in the IATI 2.03 standard, with "
    "the country programme as the parent activity.",
    "Quarterly results figures: people reached by sex and youth, CUF projects delivered, "
    "local strategies adopted and funds leveraged, for the results framework.",
)


def entry(key: str) -> PageEntry:
    for page in PAGES:
        if page.key == key:
            return page
    raise KeyError(key)


def _missing(exc: ModuleNotFoundError, module: str) -> bool:
    """True when `module` itself (or a package above it) does not exist."""
    name = exc.name or ""
    return bool(name) and (module == name or module.startswith(name + "."))


def build_page(
    page: PageEntry,
    app: CaDesktop | QuickReads,
    tasks: TaskManager,
    parent: QWidget | None = None,
) -> QWidget:
    """The page widget for `page`, or a "coming" panel when its module does not exist yet."""
    if page.module is None:
        return ComingPanel(
            tr(page.title), tr(page.coming), [tr(p) for p in REPORTS_POINTS], page.icon, parent
        )
    try:
        module = importlib.import_module(page.module)
    except ModuleNotFoundError as exc:
        if not _missing(exc, page.module):
            raise
        return coming_panel(page, parent)
    cls = getattr(module, page.class_name, None)
    if cls is None:
        return coming_panel(page, parent)
    # Every page runs its background work through the window's one task manager.
    if page.record_type:
        widget: QWidget = cls(app, tasks, parent=parent, record_type=page.record_type)
    else:
        widget = cls(app, tasks, parent=parent)
    return widget


def coming_panel(page: PageEntry, parent: QWidget | None = None) -> ComingPanel:
    return ComingPanel(
        tr(page.title),
        tr("This page comes with the {feature} feature: {summary}").format(
            feature=tr(page.title), summary=tr(page.coming)
        ),
        (),
        page.icon,
        parent,
    )
