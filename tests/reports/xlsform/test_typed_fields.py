"""time, datetime, geopoint and image: real typed fields from XLSForm, checked on import
of submissions, printed in their shapes, exported back to the same XLSForm types."""

from __future__ import annotations

from pathlib import Path

import pytest

from ca_desktop.forms.loader import get_form
from ca_desktop.forms.printing import print_forms
from ca_desktop.forms.typed_values import (
    geopoint_from_text,
    normal_datetime,
    normal_time,
    show,
)
from ca_desktop.forms.values import check_values
from ca_desktop.reports.import_report import ImportRejected
from ca_desktop.reports.xlsform.export import export_xlsform
from ca_desktop.reports.xlsform.importer import import_xlsform
from ca_desktop.reports.xlsform.odk_csv import import_odk_csv
from ca_desktop.services.app import CaDesktop
from tests.reports.xlsform.build import typed
from tests.reports.xlsform.test_odk_csv import write_csv

UID = "uuid:00000000-0000-4000-8000-00000000000{}"
MAIN = ["who", "arrived", "visited", "spot-Latitude", "spot-Longitude", "spot-Altitude",
        "spot-Accuracy", "photo", "meta-instanceID", "KEY"]  # fmt: skip


@pytest.fixture
def form_app(app: CaDesktop, tmp_path: Path) -> CaDesktop:
    result = import_xlsform(app, typed(tmp_path / "site.xlsx"))
    assert result.unsupported == []
    assert not [n for n in result.notes if n.row <= 6]  # no longer "mapped to text"
    return app


def test_types_are_real_fields(form_app: CaDesktop) -> None:
    form = get_form("SITE-VISIT", form_app)
    kinds = {f.name: f.type for f in form.fields()}
    assert kinds | {"stops": "table"} == {
        "who": "text", "arrived": "time", "visited": "datetime", "spot": "geopoint",
        "photo": "image", "stops": "table",
    }  # fmt: skip
    table = form.field("stops")
    assert [c.type for c in table.columns] == ["text", "time", "text"]  # a point in a cell


@pytest.mark.parametrize(
    ("text", "stored"),
    [("10:30", "10:30"), ("10:30:00.000+03:00", "10:30"), ("07:05:09Z", "07:05:09"),
     ("24:00", None), ("10:61", None), ("1030", None), ("10:30 pm", None)],
)  # fmt: skip
def test_odk_times(text: str, stored: str | None) -> None:
    assert normal_time(text) == stored


def test_odk_datetimes_and_points() -> None:
    assert normal_datetime("2024-06-12T10:30:00.000+03:00") == "2024-06-12 10:30"
    assert normal_datetime("2024-02-30T10:30") is None
    assert show("datetime", "2024-06-12 10:30") == "12/06/2024 10:30"
    point = geopoint_from_text("0.3476 32.5825 1190.5 4.8")
    assert point == {"lat": 0.3476, "lon": 32.5825, "alt": 1190.5, "accuracy": 4.8}
    assert show("geopoint", point) == "0.3476, 32.5825 (1190.5 m, ± 4.8 m)"
    for bad in ("91 10", "10 181", "a b", "1", "0 0 0 -1", "0 0 0 0 0"):
        with pytest.raises(ValueError):
            geopoint_from_text(bad)


def test_values_are_checked_on_screen(form_app: CaDesktop) -> None:
    form = get_form("SITE-VISIT", form_app)
    values = {
        "who": "A", "arrived": "25:00", "visited": "2024-06-12T10:30",
        "spot": {"lat": 0.1, "lon": 200.0}, "photo": {"filename": "../x.jpg", "sha256": None},
    }  # fmt: skip
    found = {i.field: i.message for i in check_values(form, values)}
    assert found == {
        "arrived": "must be a time (HH:MM)",
        "visited": "must be a date and time (YYYY-MM-DD HH:MM)",
        "spot": "longitude must be between -180 and 180",
        "photo": "must be a photo (its file name)",
    }
    good = {"who": "A", "arrived": "09:15", "visited": "2024-06-12 10:30",
            "spot": {"lat": 0.1, "lon": 32.0, "alt": None, "accuracy": 3.0},
            "photo": {"filename": "site.jpg", "sha256": None}}  # fmt: skip
    assert check_values(form, good) == []


def test_submissions_come_in_typed(form_app: CaDesktop, tmp_path: Path) -> None:
    folder = tmp_path / "central"
    folder.mkdir()
    rows = [["Amina", "10:30:00.000+03:00", "2024-06-12T10:30:00.000+03:00", "0.3476",
             "32.5825", "1190", "4.8", "1718181818.jpg", UID.format(1), UID.format(1)]]  # fmt: skip
    write_csv(folder / "SITE-VISIT-stops.csv", ["place", "at", "stop_spot", "PARENT_KEY", "KEY"],
              [["Market", "11:00:00.000+03:00", "0.1 32.1 0 5", UID.format(1), "k1"]])  # fmt: skip
    main = write_csv(folder / "SITE-VISIT.csv", MAIN, rows)
    assert import_odk_csv(form_app, main).created == 1
    (sub,) = form_app.list_records("form_submission")
    values = {v["field"]: v["value"] for v in sub.body["values"]}
    assert values["arrived"] == "10:30"
    assert values["visited"] == "2024-06-12 10:30"
    assert values["spot"] == {"lat": 0.3476, "lon": 32.5825, "alt": 1190.0, "accuracy": 4.8}
    assert values["photo"] == {"filename": "1718181818.jpg", "sha256": None}
    assert values["stops"] == [{"place": "Market", "at": "11:00", "stop_spot": "0.1 32.1 0 5"}]


def test_a_bad_time_or_point_rejects_the_file(form_app: CaDesktop, tmp_path: Path) -> None:
    rows = [["Amina", "10h30", "", "95", "32", "", "", "", UID.format(1), UID.format(1)]]
    main = write_csv(tmp_path / "SITE-VISIT.csv", MAIN, rows)
    with pytest.raises(ImportRejected) as caught:
        import_odk_csv(form_app, main)
    found = {(p.column, p.reason) for p in caught.value.report.problems}
    assert ("arrived", "must be a time (HH:MM)") in found
    assert ("spot", "latitude must be between -90 and 90") in found
    assert form_app.count("form_submission") == 0


def test_printed_in_their_shapes_and_exported_back(form_app: CaDesktop, tmp_path: Path) -> None:
    pyxform = pytest.importorskip("pyxform.xls2xform")
    form = get_form("SITE-VISIT", form_app)
    assert print_forms(form_app, form, [None], tmp_path / "blank.pdf") == 1
    out = export_xlsform(form, tmp_path / "back.xlsx")
    xform = pyxform.convert(xlsform=str(out), warnings=(warnings := [])).xform
    assert warnings == []
    for kind, name in (("time", "arrived"), ("dateTime", "visited"), ("geopoint", "spot"),
                       ("binary", "photo")):  # fmt: skip
        assert f'/{name}" type="{kind}"' in xform, kind
    again = import_xlsform(form_app, out, code="SITE-BACK")
    assert again.unsupported == []
    back = get_form("SITE-BACK", form_app)
    assert [f.type for f in back.fields()] == [f.type for f in form.fields()]
