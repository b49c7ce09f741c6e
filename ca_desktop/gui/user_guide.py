"""Help → User guide: the guide shipped with the program, shown inside it, offline."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ca_desktop.domain.i18n import resources_dir, tr


def guide_path() -> Path:
    """docs/user-guide.md beside resources/ (a checkout) or inside the frozen build."""
    return resources_dir().parent / "docs" / "user-guide.md"


class UserGuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("User guide"))
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)  # offline: nothing leaves the laptop
        self.browser.setSearchPaths([str(guide_path().parent)])  # its screenshots
        try:
            self.browser.setMarkdown(guide_path().read_text(encoding="utf-8"))
        except OSError:
            self.browser.setPlainText(tr("The user guide is missing from this installation."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(820, 560)  # fits a 1024×600 screen with its title bar
