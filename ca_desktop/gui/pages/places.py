"""Places & organisations: the country → city → settlement tree, and the organisations list.

Two tabs. Places show as a tree with households and population; a new place starts inside
the selected one. Organisations reuse the generic record list.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import (
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.enums import PlaceKind
from ca_desktop.domain.i18n import field_label, tr
from ca_desktop.gui.editors.record_editor import RecordEditorDialog
from ca_desktop.gui.follow import ChangeFollower, job_key
from ca_desktop.gui.pages.records import RecordListPage
from ca_desktop.gui.resources import icon
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.gui.widgets.dialogs import ask_to_delete, delete_in_background
from ca_desktop.gui.widgets.fields import code_label
from ca_desktop.gui.widgets.history_panel import HistoryPanel
from ca_desktop.gui.widgets.locale_format import number
from ca_desktop.gui.widgets.panels import EmptyState, heading_font
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.record_queries import PlaceNode, place_nodes

PlaceIdRole = Qt.ItemDataRole.UserRole + 1
PlaceKindRole = Qt.ItemDataRole.UserRole + 2
NumberSortRole = Qt.ItemDataRole.UserRole + 3
CHILD_KIND = {PlaceKind.COUNTRY.value: PlaceKind.CITY.value, PlaceKind.CITY.value: "settlement"}
TREE_COLUMNS = ("name", "kind", "households", "population")


def build_place_model(nodes: list[PlaceNode], model: QStandardItemModel) -> None:
    """Fill `model` with the place tree; places whose parent is unknown sit at the top."""
    model.clear()
    model.setHorizontalHeaderLabels([field_label(c) for c in TREE_COLUMNS])
    for col in (2, 3):  # numbers: header over the digits
        model.setHeaderData(
            col,
            Qt.Orientation.Horizontal,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            Qt.ItemDataRole.TextAlignmentRole,
        )
    items: dict[str, QStandardItem] = {}
    rows: dict[str, list[QStandardItem]] = {}
    for node in nodes:
        name = QStandardItem(node.name)
        name.setData(node.id, PlaceIdRole)
        name.setData(node.kind, PlaceKindRole)
        row = [name, QStandardItem(code_label(node.kind))]
        for value in (node.households, node.population):
            cell = QStandardItem("" if value is None else number(value))
            cell.setData(-1 if value is None else value, NumberSortRole)
            cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row.append(cell)
        for cell in row:
            cell.setEditable(False)
        items[node.id] = name
        rows[node.id] = row
    root = model.invisibleRootItem()
    for node in nodes:
        parent = items.get(node.parent_id or "")
        # A cycle or a parent not synced yet must not hide a place: show it at the top.
        (parent if parent is not None and node.parent_id != node.id else root).appendRow(
            rows[node.id]
        )


class _PlaceProxy(QSortFilterProxyModel):
    """Sorts numbers as numbers; search (recursive filtering) keeps a match's ancestors."""

    def lessThan(  # noqa: N802 - Qt override
        self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if left.column() >= 2:
            return int(left.data(NumberSortRole) or -1) < int(right.data(NumberSortRole) or -1)
        return str(left.data() or "").casefold() < str(right.data() or "").casefold()


class PlacesTab(QWidget):
    loaded = Signal()

    def __init__(self, app: CaDesktop, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app, self.tasks = app, tasks
        self.follower = ChangeFollower(self, tasks, {"place"}, self.refresh)
        self._select_after_load: str | None = None
        self.nodes: dict[str, PlaceNode] = {}
        self.model = QStandardItemModel(self)
        self.proxy = _PlaceProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(tr("Search places (Ctrl+F)"))
        self.search.setAccessibleName(tr("Search places"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(self._filter)
        top.addWidget(self.search, 2)
        self.count_label = QLabel(self)
        top.addWidget(self.count_label, 1)
        self.new_button = QPushButton(icon("add"), tr("New place"), self)
        self.new_button.setToolTip(tr("New place inside the selected one (Ctrl+N)"))
        self.edit_button = QPushButton(tr("Edit"), self)
        self.delete_button = QPushButton(tr("Delete"), self)
        for button in (self.new_button, self.edit_button, self.delete_button):
            top.addWidget(button)
        layout.addLayout(top)

        self.stack = QStackedWidget(self)
        self.empty = EmptyState(
            tr("No places yet"),
            tr(
                "Add the country, then its cities, then the settlements where the programme "
                "works, with their households and population."
            ),
            tr("New place"),
            "places",
            self,
        )
        self.empty.action_clicked.connect(self.new_place)
        self.stack.addWidget(self.empty)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.tree = QTreeView(splitter)
        self.tree.setModel(self.proxy)
        self.tree.setAccessibleName(tr("Places"))
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.activated.connect(lambda _i: self.edit_selected())
        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.tree)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected)
        self.history = HistoryPanel(app, splitter)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.history)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.stack.addWidget(splitter)
        layout.addWidget(self.stack, 1)

        self.new_button.clicked.connect(self.new_place)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        QShortcut(QKeySequence(QKeySequence.StandardKey.New), self).activated.connect(
            self.new_place
        )
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self).activated.connect(
            self.search.setFocus
        )
        self._update_buttons()

    def refresh(self) -> None:
        app = self.app

        def done(nodes: list[PlaceNode]) -> None:
            if shiboken6.isValid(self):
                self._show(nodes)

        def failed(exc: BaseException) -> None:
            self.count_label.setText(tr("Places could not be loaded: {reason}").format(reason=exc))
            self.loaded.emit()

        self.tasks.run(lambda _p: place_nodes(app), done, failed, key=job_key(self, "places"))

    def _show(self, nodes: list[PlaceNode]) -> None:
        keep = self._select_after_load or self.selected_id()
        self._select_after_load = None
        self.nodes = {n.id: n for n in nodes}
        build_place_model(nodes, self.model)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.stack.setCurrentIndex(1 if nodes else 0)
        # Nothing to search or count yet: the empty state says what to do instead.
        for widget in (self.search, self.count_label, self.edit_button, self.delete_button):
            widget.setVisible(bool(nodes))
        counts = {k.value: sum(1 for n in nodes if n.kind == k.value) for k in PlaceKind}
        self.count_label.setText(
            tr("{countries} countries · {cities} cities · {settlements} settlements").format(
                countries=counts["country"], cities=counts["city"], settlements=counts["settlement"]
            )
        )
        self._filter(self.search.text())
        if keep and keep in self.nodes:
            self.select(keep)
        else:
            self.history.show_record(None, None)
        self._update_buttons()
        self.loaded.emit()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        # Settlements are what people look for; showing them needs the tree open.
        if text.strip() or self.model.rowCount() <= 3:
            self.tree.expandAll()
        else:
            self.tree.expandToDepth(0)

    def select(self, place_id: str) -> None:
        matches = self.model.match(
            self.model.index(0, 0),
            PlaceIdRole,
            place_id,
            1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        if matches:
            index = self.proxy.mapFromSource(matches[0])
            self.tree.scrollTo(index)
            self.tree.setCurrentIndex(index)

    def selected_id(self) -> str | None:
        rows = self.tree.selectionModel().selectedRows() if self.tree.selectionModel() else []
        return rows[0].data(PlaceIdRole) if rows else None

    def _selection_changed(self, _a: QItemSelection, _b: QItemSelection) -> None:
        self.history.show_record("place", self.selected_id())
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        self.edit_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _open(self, record_id: str | None, initial: dict[str, Any] | None = None) -> bool:
        dialog = RecordEditorDialog(
            self.app, "place", record_id, self, initial=initial, tasks=self.tasks
        )
        # Known before the save announces the change, so the reload it causes selects it.
        dialog.saved.connect(self._select_when_loaded)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _select_when_loaded(self, record_id: str) -> None:
        self._select_after_load = record_id

    def new_place(self) -> bool:
        """A new place; inside the selected country or city when there is one."""
        initial: dict[str, Any] = {}
        parent = self.nodes.get(self.selected_id() or "")
        if parent is not None and parent.kind in CHILD_KIND:
            initial = {
                "parent_id": parent.id,
                "kind": CHILD_KIND[parent.kind],
                "country": parent.country,
            }
        elif not self.nodes:
            initial = {"kind": PlaceKind.COUNTRY.value}
        return self._open(None, initial)

    def edit_selected(self) -> bool:
        place_id = self.selected_id()
        return self._open(place_id) if place_id else False

    def confirm_delete(self, name: str) -> bool:
        return ask_to_delete(
            self,
            tr("Delete place"),
            tr(
                "Delete “{name}”? Activities there keep their link but show no place name; "
                "the history is kept."
            ).format(name=name),
        )

    def refuse_delete(self, name: str, children: int) -> None:
        QMessageBox.information(
            self,
            tr("Place not empty"),
            tr("“{name}” still contains {count} places: move or delete them first.").format(
                name=name, count=children
            ),
        )

    def delete_selected(self) -> bool:
        place_id = self.selected_id()
        node = self.nodes.get(place_id or "")
        if node is None:
            return False
        children = sum(1 for n in self.nodes.values() if n.parent_id == node.id)
        if children:
            # Deleting a city would orphan its settlements and break every report by city.
            self.refuse_delete(node.name, children)
            return False
        if not self.confirm_delete(node.name):
            return False
        delete_in_background(self, self.tasks, self.app, "place", node.id, tr("Delete place"))
        return True


class PlacesPage(QWidget):
    """Two tabs, each following the record types it shows (organisations show their place
    by name, so renaming a place reloads that list too)."""

    def __init__(self, app: CaDesktop, tasks: TaskManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        heading = QLabel(tr("Places & organisations"), self)
        heading.setFont(heading_font(self, 1.5))
        layout.addWidget(heading)
        self.tabs = QTabWidget(self)
        self.places = PlacesTab(app, tasks, self.tabs)
        self.organisations = RecordListPage(app, tasks, self.tabs, record_type="organisation")
        self.organisations.heading.hide()  # the page heading says it already
        self.tabs.addTab(self.places, icon("places"), tr("Places"))
        self.tabs.addTab(self.organisations, tr("Organisations"))
        layout.addWidget(self.tabs, 1)

    def refresh(self) -> None:
        self.places.refresh()
        self.organisations.refresh()
