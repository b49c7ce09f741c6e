"""The People tab: participant counts, the attendance register, and how the two compare."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.enums import Sex
from ca_desktop.domain.i18n import LANGUAGE_NAMES, field_label, tr
from ca_desktop.domain.records import participant_field
from ca_desktop.domain.sex_codes import PAPER_LETTERS, letters_hint
from ca_desktop.domain.validation import attendance_issues
from ca_desktop.gui.editors.activity_participants import ParticipantGrid
from ca_desktop.gui.editors.activity_register import RegisterGrid
from ca_desktop.gui.widgets.fields import error_color
from ca_desktop.gui.widgets.panels import heading_font
from ca_desktop.services.app import CaDesktop


def register_counts(bodies: list[dict[str, Any]]) -> dict[str, int]:
    """Participant cells counted from register rows (sex × youth)."""
    counts = {participant_field(s, y): 0 for s in Sex for y in (True, False)}
    for body in bodies:
        try:
            sex = Sex(str(body.get("sex")))
        except ValueError:
            sex = Sex.NOT_RECORDED
        counts[participant_field(sex, body.get("age_band") == "15_24")] += 1
    return counts


class PeoplePanel(QWidget):
    changed = Signal()
    # (attendance row id, the name shown, True when asked because consent was withdrawn)
    forget_requested = Signal(str, str, bool)

    def __init__(self, app: CaDesktop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.participants = ParticipantGrid(app, self)
        layout.addWidget(self.participants)
        title = QLabel(tr("Attendance register"), self)
        title.setFont(heading_font(self, 1.15))
        layout.addWidget(title)
        hint = QLabel(
            tr(
                "Type the paper register row by row: Enter moves to the next cell and to the "
                "next row. Sex: the letter circled on the paper. Age: the age in years or "
                "the band. Consent and signed: x. Ctrl+V pastes rows copied from a "
                "spreadsheet; Ctrl+Delete removes a row."
            ),
            self,
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.register = RegisterGrid(self)
        paper_row = QHBoxLayout()
        paper_label = QLabel(tr("Sex letters as on the paper register in:"), self)
        self.paper_language = QComboBox(self)
        for lang in PAPER_LETTERS:
            self.paper_language.addItem(f"{LANGUAGE_NAMES[lang]} ({letters_hint(lang)})", lang)
        self.paper_language.setCurrentIndex(self.paper_language.findData(self.register.paper_lang))
        paper_label.setBuddy(self.paper_language)
        paper_row.addWidget(paper_label)
        paper_row.addWidget(self.paper_language)
        paper_row.addStretch(1)
        layout.addLayout(paper_row)
        self.paper_language.activated.connect(
            lambda i: self.register.set_paper_language(self.paper_language.itemData(i))
        )
        self.register.paper_language_changed.connect(
            lambda lang: self.paper_language.setCurrentIndex(self.paper_language.findData(lang))
        )
        layout.addWidget(self.register, 1)
        self.totals = QLabel(self)
        self.totals.setWordWrap(True)
        self.totals.setAccessibleName(tr("Register totals"))
        layout.addWidget(self.totals)
        self.issues = QLabel(self)
        self.issues.setWordWrap(True)
        self.issues.hide()
        layout.addWidget(self.issues)
        buttons = QHBoxLayout()
        self.fill_button = QPushButton(tr("Set the counts from the &register"), self)
        # Enter in a count field must never replace the counts: no button here is a default.
        self.fill_button.setAutoDefault(False)
        self.fill_button.setToolTip(
            tr("Copy the register's totals by sex and youth into the participant counts.")
        )
        self.remove_button = QPushButton(tr("Remove selected row"), self)
        self.remove_button.setAutoDefault(False)
        self.forget_button = QPushButton(tr("Forget this person…"), self)
        self.forget_button.setAutoDefault(False)
        self.forget_button.setToolTip(
            tr("Erase the name and phone number of the selected row, everywhere.")
        )
        buttons.addWidget(self.fill_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.forget_button)
        buttons.addStretch(1)
        self.forget_button.clicked.connect(lambda: self._ask_forget(self.register.currentRow()))
        self.register.itemChanged.connect(self._consent_changed)
        layout.addLayout(buttons)
        self.fill_button.clicked.connect(self.fill_counts)
        self.remove_button.clicked.connect(self.register.remove_current_rows)
        self.participants.changed.connect(self.refresh_totals)
        self.register.changed.connect(self.refresh_totals)
        self.refresh_totals()

    def _ask_forget(self, row: int, consent: bool = False) -> None:
        rid = self.register.row_id(row)
        if rid is None:
            return  # a row typed since loading: removing it is enough
        item = self.register.item(row, 0)
        self.forget_requested.emit(rid, item.text() if item else "", consent)

    def _consent_changed(self, item: QTableWidgetItem) -> None:
        if self.register.consent_withdrawn(item):
            row = item.row()
            # After the edit has settled: a dialog inside itemChanged would interrupt it.
            QTimer.singleShot(0, lambda: self._ask_forget(row, consent=True))

    def entry_bodies(self) -> list[dict[str, Any]]:
        return [body for _row, _rid, body in self.register.entries()]

    def fill_counts(self) -> None:
        counts = register_counts(self.entry_bodies())
        self.participants.set_counts({k: (v or None) for k, v in counts.items()})

    def refresh_totals(self) -> None:
        bodies = self.entry_bodies()
        counts = register_counts(bodies)
        women = counts["female_youth"] + counts["female_other"]
        men = counts["male_youth"] + counts["male_other"]
        youth = sum(v for k, v in counts.items() if k.endswith("_youth"))
        self.totals.setText(
            tr(
                "Register: {n} people — {women} women, {men} men, {other} sex not recorded; "
                "{youth} aged 15–24. Participant counts: {counted}."
            ).format(
                n=len(bodies),
                women=women,
                men=men,
                other=len(bodies) - women - men,
                youth=youth,
                counted=sum(self.participants.counts().values()),
            )
        )
        issues = attendance_issues(self.participants.counts(), bodies)
        if issues:
            lines = [
                tr("{cell}: the register lists {n} but the count is {count}.").format(
                    cell=field_label(i.field),
                    n=counts[i.field],
                    count=self.participants.counts()[i.field],
                )
                for i in issues
            ]
            self.issues.setText("\n".join(lines))
            self.issues.setStyleSheet(f"color: {error_color(self)};")
            self.issues.show()
        else:
            self.issues.hide()
        self.changed.emit()
