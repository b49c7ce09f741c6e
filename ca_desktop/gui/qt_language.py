"""Qt's own words (Save, Discard, Cancel, Yes, No, Open, the file dialogs) in the user's
language: Qt ships them as `qtbase_<lang>.qm`; our catalogs cover only our own strings."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

# Qt ships Brazilian Portuguese only; its button words are the ones used in Portugal too.
_QT_NAMES = {"pt": ("qtbase_pt", "qtbase_pt_BR")}
_installed: list[QTranslator] = []


def apply_qt_language(lang: str) -> bool:
    """Install Qt's translation for `lang` (replacing the previous one); False if none."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    while _installed:
        app.removeTranslator(_installed.pop())
    if lang == "en":
        return True
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in _QT_NAMES.get(lang, (f"qtbase_{lang}",)):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
            return True
    return False
