"""The paper round trip: print, change the record, type the paper in, see the differences."""

from __future__ import annotations

import pytest

from ca_desktop.forms.loader import get_form
from ca_desktop.forms.lookup import FormLookupError, resolve
from ca_desktop.forms.mapping import load_form, save_form
from ca_desktop.forms.printed import differences, printed_values
from ca_desktop.forms.printing import TitleCache, form_copies
from ca_desktop.forms.qr import FormRef
from ca_desktop.services.app import CaDesktop


def _printed_ref(app: CaDesktop, code: str, record_id: str) -> FormRef:
    copy = next(form_copies(app, get_form(code), [record_id], TitleCache(app)))
    return copy.ref


def test_typed_values_are_compared_with_the_printed_ones(app: CaDesktop, register_id: str) -> None:
    form = get_form("CA-F01")
    ref = _printed_ref(app, "CA-F01", register_id)
    # Someone edits the record on screen after the paper was printed...
    current = load_form(app, form, register_id)
    save_form(app, form, {**current.values, "description": "Edited after printing"}, register_id)
    # ...the paper still shows the old text; the officer types what the paper says now.
    printed = printed_values(app, form, ref)
    assert printed["description"] == "Monthly forum"
    typed = {**printed, "notes": "Handwritten note", "status": "completed"}
    assert differences(form, printed, typed) == {"notes"}


def test_register_rows_as_printed(app: CaDesktop, register_id: str) -> None:
    form = get_form("CA-F02")
    ref = _printed_ref(app, "CA-F02", register_id)
    values = load_form(app, form, register_id).values
    values["attendees"] = values["attendees"][:2]  # a row removed after printing
    save_form(app, form, values, register_id)
    printed = printed_values(app, form, ref)
    assert [r["name"] for r in printed["attendees"]] == [
        "Ọlọ́runfẹ́mi Adéyẹmí",
        "Nguyễn Thị Hoa",
        "Ñusta Quispe",
    ]
    typed = load_form(app, form, register_id).values
    typed["attendees"][1]["phone"] = "+256 711 222333"
    changed = differences(form, printed, typed)
    assert {"attendees", "attendees.2.phone", "attendees.3.name"} <= changed
    assert "attendees.1.name" not in changed


def test_resolve_payload_id_and_fragment(app: CaDesktop, register_id: str, cuf_id: str) -> None:
    ref = _printed_ref(app, "CA-F02", register_id)
    target = resolve(app, ref.payload())
    assert target.form.code == "CA-F02" and target.ref.record_id == register_id
    assert resolve(app, register_id, "CA-F01").form.code == "CA-F01"
    assert resolve(app, cuf_id[-12:].upper(), "CA-F05").ref.record_id == cuf_id
    with pytest.raises(FormLookupError, match="choose the form"):
        resolve(app, register_id)  # an activity has a report and a register
    with pytest.raises(FormLookupError, match="record ID"):
        resolve(app, "hello there")
    with pytest.raises(FormLookupError, match="no record with id"):
        resolve(app, "01a21b86-79a3-71a1-8efa-319a16c7db17")


def test_resolve_a_submission_by_id(app: CaDesktop, cuf_id: str) -> None:
    form = get_form("CA-F06")
    sid = save_form(
        app,
        form,
        {
            "cuf_project_id": cuf_id, "screening_date": "2026-11-02", "screened_by": "Amina",
            **{f.name: "no" for f in form.fields() if f.choices and f.choices[0].value == "yes"},
            "overall_risk": "low", "recommendation": "proceed",
        },
    )  # fmt: skip
    target = resolve(app, sid)
    assert target.form.code == "CA-F06" and target.ref.record_id == sid
