""" "Forget this person…": the reason, a confirmation, then the erasure in the background.

The erasure removes the person's names, phones and texts from every version of the
record here and, through the next bundle, on every laptop that has it; it cannot be
undone, so nothing here is a default button and Enter never confirms it.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import tr
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.erasure import Erased, erase_record


class ForgetDialog(QDialog):
    """Asks why; `reason()` once accepted. `who` is shown as plain text."""

    def __init__(self, who: str, parent: QWidget | None = None, consent: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Forget this person"))
        layout = QVBoxLayout(self)
        if consent:
            intro = QLabel(tr("Consent withdrawn. Do you also want this person forgotten?"), self)
            intro.setTextFormat(Qt.TextFormat.PlainText)
            intro.setWordWrap(True)
            layout.addWidget(intro)
        person = QLabel(who, self)
        person.setTextFormat(Qt.TextFormat.PlainText)  # typed by others: never markup
        person.setWordWrap(True)
        layout.addWidget(person)
        text = QLabel(
            tr(
                "The name, phone number and texts about this person are erased from every "
                "version of this record on this laptop and its backups, and on every laptop "
                "that receives your next bundle. The counts stay. This cannot be undone; "
                "copies outside the data folder are out of reach."
            ),
            self,
        )
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        layout.addWidget(text)
        label = QLabel(tr("&Reason (kept in the history):"), self)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setMaxLength(500)
        label.setBuddy(self.reason_edit)
        layout.addWidget(label)
        layout.addWidget(self.reason_edit)
        self.buttons = QDialogButtonBox(self)
        self.forget_button = self.buttons.addButton(
            tr("&Forget"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        for button in (self.forget_button, cancel):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.forget_button.setEnabled(False)
        self.reason_edit.textChanged.connect(
            lambda t: self.forget_button.setEnabled(bool(t.strip()))
        )
        self.forget_button.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        layout.addWidget(self.buttons)

    def reason(self) -> str:
        return self.reason_edit.text().strip()


def forget_in_background(
    parent: QWidget,
    tasks: TaskManager,
    app: CaDesktop,
    record_type: str,
    record_id: str,
    who: str,
    done: Callable[[Erased], None] | None = None,
    consent: bool = False,
) -> bool:
    """Ask, then erase on the writer thread; False when the user cancelled."""
    dialog = ForgetDialog(who, parent, consent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    reason = dialog.reason()

    def finished(result: Erased) -> None:
        if done is not None:
            done(result)
        if result.backups_failed and shiboken6.isValid(parent):
            QMessageBox.warning(
                parent,
                tr("Forget this person"),
                tr("These backups could not be changed; delete them: {files}").format(
                    files=", ".join(result.backups_failed)
                ),
            )

    def failed(exc: BaseException) -> None:
        if shiboken6.isValid(parent):
            reason_text = str(exc) or type(exc).__name__
            box = QMessageBox(QMessageBox.Icon.Warning, tr("Forget this person"), "", parent=parent)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setText(tr("Not done: {reason}").format(reason=reason_text))
            box.exec()

    tasks.run(
        lambda progress: erase_record(app, record_id, reason, progress),
        on_done=finished,
        on_error=failed,
        write=True,
        changes={record_type},
    )
    return True
