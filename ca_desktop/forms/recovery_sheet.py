"""The printable recovery sheet: the recovery code on paper, with what to do with it.

Written straight to the chosen file (atomically): the code must not land in a temporary
folder or a print spool file on the laptop it protects more than it has to.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ca_desktop.domain.i18n import tr
from ca_desktop.forms.pdf.fonts import BOLD, MONO, SANS, register_fonts
from ca_desktop.services.atomic import atomic_output


def _lines(text: str, canvas: Canvas, font: str, size: float, width: float) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if canvas.stringWidth(trial, font, size) > width and line:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines


def write_recovery_sheet(target: Path, code: str, user_name: str, device_id: str) -> Path:
    """One A4 page with the code in large type; returns `target`."""
    register_fonts()
    with atomic_output(target) as tmp:
        canvas = Canvas(str(tmp), pagesize=A4)
        canvas.setTitle(tr("CA Desktop recovery sheet"))
        width, height = A4
        left, text_width = 20 * mm, width - 40 * mm
        y = height - 25 * mm
        canvas.setFont(BOLD, 18)
        canvas.drawString(left, y, tr("CA Desktop recovery sheet"))
        y -= 12 * mm
        canvas.setFont(SANS, 11)
        for label, value in (
            (tr("Officer"), user_name),
            (tr("Laptop"), device_id),
            (tr("Printed"), dt.date.today().isoformat()),
        ):
            canvas.drawString(left, y, f"{label}: {value}")
            y -= 6 * mm
        y -= 8 * mm
        canvas.setFont(MONO, 20)
        canvas.drawString(left, y, code)
        y -= 14 * mm
        canvas.setFont(SANS, 11)
        advice = (
            tr(
                "If you forget your passphrase, this code opens your data: in CA Desktop "
                "choose “Forgot the passphrase?” or run 'ca-desktop db recover "
                "--recovery-code-file FILE', then choose a new passphrase."
            ),
            tr(
                "Keep this sheet away from the laptop, in a locked place: anyone with the "
                "laptop and this code can read its data. Your coordinator can also recover "
                "the data with their own key."
            ),
        )
        for paragraph in advice:
            for line in _lines(paragraph, canvas, SANS, 11, text_width):
                canvas.drawString(left, y, line)
                y -= 5.5 * mm
            y -= 4 * mm
        canvas.showPage()
        canvas.save()
    return target
