"""The tear-off slip of a grievance form: the receipt number the complainant keeps.

The same number is printed in the form's own receipt field, so the officer types it in
with the grievance and the person can later ask about their concern by that number.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from ca_desktop.domain.records import spec_for
from ca_desktop.forms.model import FieldDef, FormDef
from ca_desktop.forms.pdf.fonts import BOLD, SANS
from ca_desktop.forms.pdf.page import Flow
from ca_desktop.forms.pdf.strings import tr
from ca_desktop.forms.pdf.style import BORDER, HINT, INK, TEXT, box, fit

SLIP_H = 96.0


def receipt_field(form: FormDef) -> FieldDef | None:
    """The form field holding a receipt number (a record field declared `code="receipt"`)."""
    if not form.record_type:
        return None
    declared = {f.name: f for f in spec_for(form.record_type).fields}
    for f in form.fields():
        record_field = declared.get(f.maps_to or "")
        if record_field is not None and record_field.code == "receipt":
            return f
    return None


def place_slip(
    flow: Flow, form: FormDef, number: str, lang: str, programme: str, x: float, width: float
) -> None:
    """A dashed cut line and the slip below it, at the foot of the form's last page (a
    straight cut leaves the form whole)."""
    flow.ensure(SLIP_H)

    def draw(c: Canvas, top: float) -> None:
        y = top - 10
        c.saveState()
        c.setStrokeColor(BORDER)
        c.setDash(4, 3)
        c.setLineWidth(0.8)
        c.line(x, y, x + width, y)
        c.restoreState()
        c.setFillColor(HINT)
        c.setFont(SANS, 7)
        c.drawString(x, y + 3, "✂  " + tr("cut_here", lang))
        y -= 18
        c.setFillColor(TEXT)
        c.setFont(BOLD, 9)
        title = f"{form.code} · {form.title.get(lang)}"
        c.drawString(x, y, fit(title, BOLD, 9, width * 0.55))
        if programme:
            c.setFont(SANS, 8)
            c.drawRightString(x + width, y, fit(programme, SANS, 8, width * 0.4))
        y -= 24
        c.setFont(SANS, 8.4)
        label = tr("receipt_number", lang)
        c.drawString(x, y + 4, label)
        c.setFillColor(INK)
        c.setFont(BOLD, 15)
        c.drawString(x + 120, y + 2, number)
        c.setFillColor(TEXT)
        c.setFont(SANS, 8.4)
        c.drawString(x + width * 0.58, y + 4, tr("date_received", lang))
        box(c, x + width * 0.58 + 78, y - 2, width * 0.42 - 78, 18)
        y -= 20
        c.setFillColor(HINT)
        c.setFont(SANS, 7.4)
        c.drawString(x, y, fit(tr("keep_slip", lang), SANS, 7.4, width))

    top = flow.geo.bottom + SLIP_H
    flow.pages[-1].append(lambda c: draw(c, top))
    flow.y = flow.geo.bottom
