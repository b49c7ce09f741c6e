"""The recovery code, shown once after setup, with its printable sheet."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.i18n import tr
from ca_desktop.gui.widgets.panels import heading_font


class RecoveryCodeDialog(QDialog):
    """Shows the code once; offers the recovery sheet PDF."""

    def __init__(
        self, code: str, user_name: str, device_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.code, self.user_name, self.device_id = code, user_name, device_id
        self.setWindowTitle(tr("Your recovery code"))
        layout = QVBoxLayout(self)
        heading = QLabel(tr("Your recovery code"), self)
        heading.setFont(heading_font(self, 1.3))
        layout.addWidget(heading)
        intro = QLabel(
            tr(
                "If you forget your passphrase, this code opens your data. Write it down or "
                "print the recovery sheet, and keep it away from the laptop. It is shown only "
                "this once."
            ),
            self,
        )
        intro.setWordWrap(True)
        intro.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        layout.addWidget(intro)
        self.code_label = QLabel(code, self)
        self.code_label.setTextFormat(Qt.TextFormat.PlainText)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mono = QFont("DejaVu Sans Mono")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSizeF(self.font().pointSizeF() * 1.6)
        self.code_label.setFont(mono)
        layout.addWidget(self.code_label, 0, Qt.AlignmentFlag.AlignHCenter)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(self)
        self.print_button = QPushButton(tr("Save the recovery &sheet (PDF)…"), self)
        self.print_button.setAutoDefault(False)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        done = buttons.addButton(
            tr("I have written it down"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        done.setDefault(True)
        buttons.accepted.connect(self.accept)
        self.print_button.clicked.connect(self.save_sheet)
        layout.addWidget(buttons)

    def save_sheet(self, target: Path | None = None) -> None:
        from ca_desktop.forms.recovery_sheet import write_recovery_sheet

        if target is None:
            name, _ = QFileDialog.getSaveFileName(
                self, tr("Save the recovery sheet"), "recovery-sheet.pdf", "PDF (*.pdf)"
            )
            if not name:
                return
            target = Path(name)
        try:
            write_recovery_sheet(target, self.code, self.user_name, self.device_id)
        except OSError as exc:
            self.status.setText(tr("The sheet could not be saved: {error}").format(error=exc))
            return
        self.status.setText(
            tr("Saved as {file}. Print it, then delete the file.").format(file=target.name)
        )
