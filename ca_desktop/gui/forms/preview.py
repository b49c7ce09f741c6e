"""PDF preview inside the app (QtPdf) and printing through the system print dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QVBoxLayout, QWidget

PRINT_DPI = 300


class PdfPreview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.path: Path | None = None

    def load(self, path: Path) -> bool:
        self.document.close()
        self.path = path
        return self.document.load(str(path)) == QPdfDocument.Error.None_

    def clear(self) -> None:
        self.document.close()
        self.path = None

    @property
    def page_count(self) -> int:
        return int(self.document.pageCount())

    def print_dialog(self, parent: QWidget | None = None) -> bool:
        """Ask for a printer and print every page; False when the user cancelled."""
        if self.page_count == 0:
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.path.name if self.path else "form")
        dialog = QPrintDialog(printer, parent or self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return False
        print_document(self.document, printer)
        return True


def print_document(document: QPdfDocument, printer: QPrinter) -> None:
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be started")
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            size_pt = document.pagePointSize(page)
            image = document.render(
                page,
                QSize(
                    int(size_pt.width() * PRINT_DPI / 72), int(size_pt.height() * PRINT_DPI / 72)
                ),
            )
            target = QRectF(painter.viewport())
            scale = min(target.width() / image.width(), target.height() / image.height())
            w, h = image.width() * scale, image.height() * scale
            painter.drawImage(QRectF(QPointF(0, 0), QRectF(0, 0, w, h).size()), image)
    finally:
        painter.end()
