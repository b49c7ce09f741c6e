"""References typed by name: "Kisenyi" or "UG-CP" instead of a record id, on import.

People keep spreadsheets with names, not ids. A reference cell that is not an id, or an
empty id cell whose `<field>.title` column names a record, is looked up among the records
of the referenced type by title (and, for programmes, also by code), ignoring case and
accents. It must name exactly one record; otherwise the row is rejected saying why.
"""

from __future__ import annotations

from ca_desktop.domain.validation import RuleBroken
from ca_desktop.reports.columns import fold
from ca_desktop.services.app import CaDesktop


class RefNames:
    """{record type: {folded name: [ids]}}, loaded once per type when first needed."""

    def __init__(self, app: CaDesktop) -> None:
        self.app = app
        self._names: dict[str, dict[str, list[str]]] = {}

    def resolve(self, record_type: str, name: str) -> str:
        """The id of the one record of `record_type` called `name`; ValueError otherwise."""
        found = self._table(record_type).get(fold(name), [])
        if not found:
            raise RuleBroken("no {record} named {name}", record=record_type, name=repr(name))
        if len(set(found)) > 1:
            raise RuleBroken(
                "{n} records are named {name}: give the {record}'s id",
                n=len(set(found)),
                name=repr(name),
                record=record_type,
            )
        return found[0]

    def _table(self, record_type: str) -> dict[str, list[str]]:
        if record_type not in self._names:
            table: dict[str, list[str]] = {}
            for rid, title in self.app.titles(record_type).items():
                table.setdefault(fold(str(title)), []).append(rid)
            if record_type == "programme":
                for p in self.app.list_records("programme"):
                    code = fold(str(p.body.get("code") or ""))
                    if code and p.id not in table.get(code, []):
                        table.setdefault(code, []).append(p.id)
            self._names[record_type] = table
        return self._names[record_type]
