"""The welcome window on a laptop that is not set up yet: who are you, and what data."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ca_desktop.domain.enums import Role
from ca_desktop.domain.i18n import LANGUAGE_NAMES, LANGUAGES, label, language, set_language, tr
from ca_desktop.domain.validation import ValidationError
from ca_desktop.gui.app import LANGUAGE_META
from ca_desktop.gui.practice import launch_practice
from ca_desktop.gui.qt_language import apply_qt_language
from ca_desktop.gui.resources import app_icon
from ca_desktop.gui.setup_import import SetupImporter
from ca_desktop.gui.tasks import TaskManager
from ca_desktop.gui.widgets.locale_format import number
from ca_desktop.gui.widgets.panels import heading_font
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.practice import PRACTICE_ACTIVITIES


class FirstStartDialog(QDialog):
    """Accepted once the device identity exists (and the demo data, if asked, is in)."""

    def __init__(self, app: CaDesktop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.tasks = TaskManager(self)
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)

        layout = QVBoxLayout(self)
        # Never smaller than what the texts of the chosen language need (no clipping).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        header = QHBoxLayout()
        logo = QLabel(self)
        size = self.fontMetrics().height() * 4
        logo.setPixmap(app_icon().pixmap(size, size))
        header.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        self.heading = QLabel(self)
        self.heading.setFont(heading_font(self, 1.7))
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        titles.addWidget(self.heading)
        titles.addWidget(self.intro)
        header.addLayout(titles, 1)
        layout.addLayout(header)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = QLineEdit(self)
        self.role = QComboBox(self)
        for role in Role:
            self.role.addItem("", role.value)
        self.programme = QComboBox(self)
        self.programme.setEditable(True)
        self.programme.addItem("")
        for view in app.list_records("programme", order_by="code"):
            self.programme.addItem(view.body["code"])
        self.language = QComboBox(self)
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(LANGUAGES.index(language()))
        self._labels = [QLabel(self) for _ in range(4)]
        for lbl, widget in zip(
            self._labels, (self.name, self.role, self.programme, self.language), strict=True
        ):
            lbl.setBuddy(widget)
            form.addRow(lbl, widget)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        self.error.hide()
        form.addRow("", self.error)
        layout.addLayout(form)

        self.choice = QLabel(self)
        self.choice.setWordWrap(True)
        layout.addWidget(self.choice)
        self.progress = QProgressBar(self)
        self.progress.hide()
        layout.addWidget(self.progress)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.setup_button = QPushButton(self)
        self.demo_button = QPushButton(self)
        self.fresh_button = QPushButton(self)
        self.fresh_button.setDefault(True)
        buttons.insertWidget(0, self.setup_button)  # the first path, on the left
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.fresh_button)
        self.setup = SetupImporter(self, app, self.tasks)
        layout.addLayout(buttons)

        self.demo_button.clicked.connect(self.load_demo)
        self.setup_button.clicked.connect(self.import_setup)
        self.fresh_button.clicked.connect(self.start_fresh)
        self.language.currentIndexChanged.connect(self._language_changed)
        self.retranslate()
        self.name.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Welcome to CA Desktop"))
        self.heading.setText(tr("Welcome to CA Desktop"))
        self.intro.setText(
            tr(
                "CA Desktop keeps your programme's activities, attendance registers, CUF "
                "projects and grievances on this laptop, works without internet, and hands "
                "your work to your coordinator on a USB stick or by email. Tell us who you "
                "are: every change you make is signed with your name and this laptop."
            )
        )
        for lbl, text in zip(
            self._labels,
            (tr("Your &name"), tr("Your &role"), tr("Home &programme (optional)"), tr("&Language")),
            strict=True,
        ):
            lbl.setText(text)
        self.name.setPlaceholderText(tr("e.g. Amina Nakato"))
        line = self.programme.lineEdit()
        if line is not None:
            line.setPlaceholderText(tr("e.g. UG-CP"))
        for i in range(self.role.count()):
            self.role.setItemText(i, label(self.role.itemData(i)))
        self.name.setAccessibleName(tr("Your name"))
        self.role.setAccessibleName(tr("Your role"))
        self.programme.setAccessibleName(tr("Home programme"))
        self.language.setAccessibleName(tr("Language"))
        self.choice.setText(
            tr(
                "Your coordinator gave you a key file and a setup bundle? Import them first: "
                "they bring the programmes, places and forms. No coordinator yet? Start "
                "fresh and create your programme on the Programmes page. Exploring first? "
                "Practice mode opens a separate window with {n} demo activities, kept "
                "apart from your data, never sent, deleted in one step."
            ).format(n=number(PRACTICE_ACTIVITIES))
        )
        self.demo_button.setText(tr("Try &practice mode"))
        self.setup_button.setText(tr("&Import my coordinator's setup…"))
        self.setup_button.setToolTip(
            tr(
                "Your coordinator's key file and setup bundle bring the programmes, places, "
                "organisations and forms you will choose from."
            )
        )
        # Texts change length with the language: the window follows (never clipped).
        self.adjustSize()
        self.fresh_button.setText(tr("&Start fresh"))

    def _language_changed(self) -> None:
        set_language(self.language.currentData())
        apply_qt_language(language())
        self.retranslate()

    def _identity(self) -> bool:
        """Write the device identity; shows the problem and returns False when invalid."""
        if self.app.device() is not None:
            return True  # written by a setup import that stopped half-way through asking
        try:
            self.app.init_device(
                self.name.text(),
                self.role.currentData(),
                self.programme.currentText().strip() or None,
            )
        except ValidationError as exc:
            messages = {
                "name": tr("Please type your name."),
                "role": tr("Please choose your role."),
            }
            self.error.setText(" ".join(messages.get(i.field, str(i)) for i in exc.issues))
            self.error.show()
            self.name.setFocus()
            return False
        self.app.set_meta(LANGUAGE_META, self.language.currentData())
        return True

    def start_fresh(self) -> None:
        if self._identity():
            self.accept()

    def import_setup(self) -> None:
        """Identity, then the coordinator's key (fingerprint checked) and setup bundle."""
        if self.app.device() is None and not self.programme.currentText().strip():
            # The setup bundle is for one programme: without its code this laptop would
            # refuse it, and the identity cannot be changed once written.
            self.error.setText(
                tr("Type your home programme's code (your coordinator gives it) first.")
            )
            self.error.show()
            self.programme.setFocus()
            return
        if not self._identity():
            return

        def done(message: str) -> None:
            self.choice.setText(message)
            self.accept()

        def failed(message: str) -> None:
            self.progress.hide()
            self.error.setText(message)
            self.error.show()

        if self.setup.run(done, failed):
            self.progress.setRange(0, 0)
            self.progress.show()

    def load_demo(self) -> None:
        """Practice mode in a separate window: a real first start never loads demo data."""
        if launch_practice(self.app.data_dir):
            self.progress.hide()
            self.choice.setText(
                tr(
                    "Practice mode opens in a separate window. Come back here to set up "
                    "this laptop for real work."
                )
            )
        else:
            self.choice.setText(tr("Practice mode could not be started."))

    def reject(self) -> None:
        if self.tasks.busy:
            return  # demo data is being written; closing now would stop half-way
        super().reject()
