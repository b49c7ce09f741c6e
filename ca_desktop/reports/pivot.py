"""The pivot table: one indicator broken down by two dimensions, with totals.

Sums come from one grouped query. Totals are added up here, except along "theme": an
activity with two themes sits in two theme rows, so theme totals are counted again in SQL
and every activity counts once in a total.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ca_desktop.domain.enums import ActivityStatus, ActivityType, Level, Theme
from ca_desktop.domain.i18n import label, tr
from ca_desktop.domain.jobs import Progress, report
from ca_desktop.domain.periods import Scope
from ca_desktop.reports.filters import PlaceIndex, ReportFilters, to_scope
from ca_desktop.reports.indicators import indicator
from ca_desktop.services.app import CaDesktop
from ca_desktop.store import report_queries as sql
from ca_desktop.store.handles import Connection

DIMENSIONS = (
    "programme",
    "country",
    "city",
    "level",
    "theme",
    "type",
    "status",
    "quarter",
    "month",
)
DIMENSION_LABELS = {
    "programme": "Programme",
    "country": "Country",
    "city": "City",
    "level": "Level",
    "theme": "Theme",
    "type": "Type",
    "status": "Status",
    "quarter": "Quarter",
    "month": "Month",
}
_PLACE_DIMS = ("country", "city")
_ENUMS = {"level": Level, "theme": Theme, "type": ActivityType, "status": ActivityStatus}
Key = str
CellKey = dict[str, str | frozenset[str]]


@dataclass(frozen=True)
class Pivot:
    measure: str
    row_dim: str
    col_dim: str | None  # None: one column, the measure
    rows: list[Key]
    columns: list[Key]
    labels: dict[tuple[str, Key], str]  # (dimension, key) -> readable label
    cells: dict[tuple[Key, Key], float]
    row_totals: dict[Key, float]
    column_totals: dict[Key, float]
    total: float
    filters: ReportFilters

    def label(self, dim: str, key: Key) -> str:
        return self.labels.get((dim, key), key)


def _store_dim(dim: str) -> str:
    return "place" if dim in _PLACE_DIMS else dim


def _folder(dim: str, places: PlaceIndex) -> Callable[[str], str]:
    if dim == "country":
        return places.country_of
    if dim == "city":
        return places.city_of
    return lambda key: key


def compute_pivot(
    app: CaDesktop,
    filters: ReportFilters,
    row_dim: str,
    col_dim: str | None,
    measure: str,
    progress: Progress | None = None,
) -> Pivot:
    """`measure` (an activity indicator code) by `row_dim` × `col_dim`, with totals."""
    if not indicator(measure).pivot:
        raise ValueError(f"{measure!r} cannot be broken down by activity dimensions")
    for dim in (row_dim, col_dim):
        if dim is not None and dim not in DIMENSIONS:
            raise ValueError(f"unknown pivot dimension: {dim[:40]!r}")
    with app.db.engine.connect() as conn, conn.begin():
        places = PlaceIndex.read(conn)
        scope = to_scope(filters, places)
        dims = [row_dim] + ([col_dim] if col_dim else [])
        store_dims = list(dict.fromkeys(_store_dim(d) for d in dims))
        folds = [(store_dims.index(_store_dim(d)), _folder(d, places)) for d in dims]
        cells: dict[tuple[Key, Key], float] = {}
        for r in sql.activity_measures(conn, scope, [measure], store_dims):
            keys = [fold(str(r[i])) for i, fold in folds]
            key = (keys[0], keys[1] if col_dim else "")
            cells[key] = cells.get(key, 0) + r[-1]
        report(progress, 1, 2)
        row_totals, col_totals, total = _totals(
            conn, scope, cells, row_dim, col_dim, measure, places
        )
        report(progress, 2, 2)
        names = {p[0]: p[1] for p in sql.programmes(conn)}
    row_keys = {k[0] for k in cells} | set(row_totals)
    col_keys = {k[1] for k in cells} if col_dim else {""}
    labels = {
        (d, k): _key_label(d, k, names, places)
        for d, ks in ((row_dim, row_keys), (col_dim or "", col_keys))
        for k in ks
    }
    rows = sorted(row_keys, key=lambda k: _order(row_dim, k, labels))
    columns = sorted(col_keys, key=lambda k: _order(col_dim or "", k, labels))
    return Pivot(measure, row_dim, col_dim, rows, columns, labels, cells, row_totals, col_totals, total, filters)  # fmt: skip


def _totals(
    conn: Connection,
    scope: Scope,
    cells: dict[tuple[Key, Key], float],
    row_dim: str,
    col_dim: str | None,
    measure: str,
    places: PlaceIndex,
) -> tuple[dict[Key, float], dict[Key, float], float]:
    def grouped(dim: str) -> dict[Key, float]:
        fold = _folder(dim, places)
        out: dict[Key, float] = {}
        for r in sql.activity_measures(conn, scope, [measure], [_store_dim(dim)]):
            out[fold(str(r[0]))] = out.get(fold(str(r[0])), 0) + r[1]
        return out

    row_totals: dict[Key, float] = {}
    col_totals: dict[Key, float] = {}
    for (r, c), v in cells.items():
        row_totals[r] = row_totals.get(r, 0) + v
        col_totals[c] = col_totals.get(c, 0) + v
    if col_dim == "theme":
        row_totals = grouped(row_dim)
    if row_dim == "theme" and col_dim:
        col_totals = grouped(col_dim)
    if "theme" in (row_dim, col_dim):
        total = float(sql.activity_measures(conn, scope, [measure])[0][0])
    else:
        total = float(sum(row_totals.values()))
    return row_totals, col_totals, total


def _order(dim: str, key: Key, labels: dict[tuple[str, Key], str]) -> tuple[int, str]:
    """Codes in their declared order where there is one; "(none)" last; else by label."""
    if key == "":
        return (1, "")
    if dim in ("quarter", "month"):
        return (0, key)
    codes = [m.value for m in _ENUMS[dim]] if dim in _ENUMS else []
    if key in codes:
        return (0, f"{codes.index(key):04d}")
    return (0, labels.get((dim, key), key).casefold())


def _key_label(dim: str, key: Key, programmes: dict[str, str], places: PlaceIndex) -> str:
    if key == "":
        return tr("(none)") if dim else tr("Total")
    if dim == "programme":
        return programmes.get(key, key)
    if dim == "city":
        return places.name.get(key, key)
    if dim in ("level", "theme", "type", "status"):
        return label(key)
    return key


def cell_keys(pivot: Pivot, row: Key | None, column: Key | None) -> CellKey:
    """The drill-down condition of a cell (None for a total along that axis)."""
    cell: CellKey = {}
    for dim, key in ((pivot.row_dim, row), (pivot.col_dim, column)):
        if dim is not None and key is not None:
            cell[dim] = key  # country and city keys become place ids in `drill_cell`
    return cell


def drill_cell(app: CaDesktop, pivot: Pivot, row: Key | None, column: Key | None) -> list[str]:
    """Ids of the activities behind one cell (or a total) of `pivot`."""
    cell = cell_keys(pivot, row, column)
    with app.db.engine.connect() as conn, conn.begin():
        places = PlaceIndex.read(conn)
        scope = to_scope(pivot.filters, places)
        store_cell: CellKey = {}
        place_sets: list[frozenset[str]] = []
        for dim, key in cell.items():
            if dim in _PLACE_DIMS:
                fold = _folder(dim, places)
                chosen = frozenset(p for p in places.parent if fold(p) == key)
                place_sets.append(chosen | ({""} if key == "" else frozenset()))
            else:
                store_cell[dim] = key
        if place_sets:
            store_cell["place"] = frozenset.intersection(*place_sets)
        return sql.activity_ids(conn, scope, pivot.measure, store_cell)
