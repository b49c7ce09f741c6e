"""What an import found: counts, and every problem with file, sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass, field

from ca_desktop.domain.i18n import tr_n

MAX_PROBLEMS = 1000  # kept in the report; more are counted


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str
    row: int  # as the spreadsheet numbers it (the header is row 1); 0: the whole file
    column: str
    reason: str

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet {self.sheet}")
        if self.row:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return ", ".join(where) + f": {self.reason}"


@dataclass
class ImportReport:
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0  # rows with at least one problem
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0  # problems beyond MAX_PROBLEMS, counted only
    ignored_columns: list[str] = field(default_factory=list)
    record_types: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more_problems += 1


class ImportRejected(ValueError):
    """The file has problems; `report` lists them. Nothing was written."""

    def __init__(self, result: ImportReport) -> None:
        self.report = result
        total = len(result.problems) + result.more_problems
        super().__init__(
            tr_n("{n} problem; nothing was imported", "{n} problems; nothing was imported", total)
        )
