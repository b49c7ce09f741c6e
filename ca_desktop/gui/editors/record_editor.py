"""One editor dialog for CUF projects, grievances, places, organisations and programmes.

Fields come from the record's `RecordSpec`, grouped the way people think about the record.
Saving goes through `CaDesktop.save`, so the domain decides what is valid; its issues show
next to the field at fault. While the dialog is open and changed, a draft is written every
few seconds, so a crash or a flat battery loses at most those seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import field_label, tr
from ca_desktop.domain.personal import personal_fields
from ca_desktop.domain.records import spec_for
from ca_desktop.domain.validation import ValidationError
from ca_desktop.gui.editors.base import RecordEditor, SaveJob
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.gui.widgets.fields import make_field_widget
from ca_desktop.gui.widgets.forget_dialog import forget_in_background
from ca_desktop.gui.widgets.screen_fit import fit_to_screen
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.record_queries import ref_choices


class RecordEditorDialog(RecordEditor):
    """The generic editor; closes as Accepted once its save has been written."""

    def __init__(
        self,
        app: CaDesktop,
        record_type: str,
        record_id: str | None = None,
        parent: QWidget | None = None,
        initial: dict[str, Any] | None = None,
        tasks: TaskManager | None = None,
    ) -> None:
        if spec_for(record_type).editor != "dialog":
            raise ValueError(f"no record editor for {record_type!r}")
        super().__init__(app, record_type, record_id, tasks, parent)
        self.record = app.get(record_type, record_id) if record_id else None
        if record_id and self.record is None:
            raise KeyError(f"no {record_type} with id {record_id}")
        self.saved_id: str | None = None
        self.setWindowTitle(tr(self.spec.edit_title if record_id else self.spec.new_title))
        self.setModal(True)
        self.setSizeGripEnabled(True)

        outer = QVBoxLayout(self)
        outer.addWidget(self.banner)
        outer.addWidget(self.conflict_banner)
        outer.addWidget(self.pending_banner)
        outer.addWidget(self.problem_label)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        column = QVBoxLayout(body)
        captions: list[QLabel] = []
        current = self.record.body if self.record else (initial or {})
        for title, names in self.spec.groups:
            box = QGroupBox(tr(title), body)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            for name in names:
                fs = self.spec.field(name)
                choices = (
                    ref_choices(app, record_type, fs, current.get(name))
                    if fs.kind == "ref"
                    else None
                )
                widget = make_field_widget(app, fs, box, choices=choices)
                text = field_label(name)
                caption = QLabel(tr("{field} *").format(field=text) if fs.required else text, box)
                caption.setBuddy(widget.focus_widget())
                captions.append(caption)
                form.addRow(caption, widget)
                self.fields[name] = widget
            column.addWidget(box)
        # One label width for every group, so the fields line up down the whole dialog.
        width = max(c.sizeHint().width() for c in captions)
        for caption in captions:
            caption.setMinimumWidth(width)
        note = QLabel(tr("Fields marked * are required."), body)
        note.setEnabled(False)  # drawn in the palette's muted text colour
        column.addWidget(note)
        column.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setToolTip(tr("Save (Ctrl+S)"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        if record_id and personal_fields(record_type):
            # A grievance names a person: "Forget this person…" (issue 14), never a default.
            forget = self.buttons.addButton(
                tr("Forget this person…"), QDialogButtonBox.ButtonRole.ActionRole
            )
            forget.setAutoDefault(False)
            forget.clicked.connect(self._forget_person)
        outer.addWidget(self.buttons)
        save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save_shortcut.activated.connect(self.save)

        self.load_body(
            current,
            self.record.rev_id if self.record else None,
            self.record.heads if self.record else 1,
        )
        self._set_tab_order()
        self.start()
        self.mark_clean()
        lines = self.fontMetrics().lineSpacing()
        wanted = body.sizeHint().height() + self.buttons.sizeHint().height() + lines * 6
        # The whole form without scrolling when the screen allows: the scroll area's own
        # hint is tiny, so the dialog states the size it wants.
        self._preferred = QSize(
            self.fontMetrics().averageCharWidth() * 110, min(wanted, lines * 42)
        )
        fit_to_screen(self, self._preferred.width(), self._preferred.height())
        first = next(iter(self.fields.values()))
        first.setFocus()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self._preferred

    def _forget_person(self) -> None:
        assert self.record is not None and self.record_id is not None
        body = self.record.body
        who = str(body.get("complainant") or body.get(self.spec.title_field) or "")[:200]

        def erased(_result: object) -> None:
            self.mark_clean()  # what the form shows is what was erased: nothing to keep
            self.reject()

        forget_in_background(
            self, self.tasks, self.app, self.record_type, self.record_id, who, done=erased
        )

    @property
    def draft_banner(self) -> QWidget:
        return self.banner

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [w.focus_widget() for w in self.fields.values()]
        chain += [self.save_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel)]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)

    # -- saving -------------------------------------------------------------------------

    def prepare_save(self) -> tuple[SaveJob, set[str]] | None:
        """Issues the domain finds show at once; the write itself runs off the GUI thread."""
        body = self.values()
        try:
            self.checked_values()
        except ValidationError as exc:
            self.show_issues(exc.issues)
            return None
        app, record_type, record_id, base_rev = (
            self.app,
            self.record_type,
            self.record_id,
            self.base_rev,
        )

        def job(_progress: Any) -> str:
            return app.save(record_type, body, record_id=record_id, base_rev=base_rev).id

        return job, {record_type}

    def save(self, then: Callable[[], None] | None = None) -> bool:
        """Validate and write; on success the dialog closes as Accepted."""
        return super().save(then=then or self.accept)

    def after_save(self, record_id: str) -> None:
        self.saved_id = record_id
        self.mark_clean()

    def leave(self) -> None:
        """Closing after "Save" in the unsaved-changes question is a save: Accepted."""
        if self.saved_id:
            self.accept()
        else:
            super().leave()
