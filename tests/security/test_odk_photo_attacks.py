"""Photos in an ODK export's zip are hostile files: a program named `.jpg`, a member
whose declared size lies, a name that is a path, two members of one name. Each is refused
with its row and column and nothing is written; a good photo becomes an attachment."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from ca_desktop.forms import photos
from ca_desktop.reports.import_report import ImportRejected
from ca_desktop.reports.xlsform.importer import import_xlsform
from ca_desktop.reports.xlsform.odk_csv import import_odk_csv
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.attachments import blob_path
from tests.reports.xlsform.build import typed

JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\x00" * 200
HEADER = ["who", "photo", "meta-instanceID", "KEY"]
UID = "uuid:00000000-0000-4000-8000-0000000000{:02d}"


def export(tmp_path: Path, photo_names: list[str], members: dict[str, bytes]) -> Path:
    text = io.StringIO()
    w = csv.writer(text)
    w.writerow(HEADER)
    for i, name in enumerate(photo_names):
        w.writerow(["Amina", name, UID.format(i), UID.format(i)])
    path = tmp_path / "SITE-VISIT.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("SITE-VISIT.csv", text.getvalue())
        for member, data in members.items():
            zf.writestr(member, data)
    return path


@pytest.fixture
def site(app: CaDesktop, tmp_path: Path) -> CaDesktop:
    import_xlsform(app, typed(tmp_path / "site.xlsx"))
    return app


def _refused(app: CaDesktop, path: Path) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        import_odk_csv(app, path)
    assert app.count("form_submission") == 0 and app.count("attachment") == 0
    return [f"{p.row} {p.column} {p.reason}" for p in caught.value.report.problems]


def test_a_photo_comes_in_as_an_attachment_once(site: CaDesktop, tmp_path: Path) -> None:
    path = export(tmp_path, ["1718.jpg", ""], {"media/1718.jpg": JPEG})
    assert import_odk_csv(site, path).created == 2
    (attachment,) = site.list_records("attachment")
    body = attachment.body
    assert (body["filename"], body["size"], body["record_type"]) == ("1718.jpg", len(JPEG), "form_submission")  # fmt: skip
    assert blob_path(site.data_dir / "blobs", body["sha256"]).exists()
    sub = site.get("form_submission", body["record_id"])
    assert sub is not None
    assert {"field": "photo", "value": {"filename": "1718.jpg", "sha256": body["sha256"], "size": len(JPEG)}} in sub.body["values"]  # fmt: skip
    assert import_odk_csv(site, path).created == 0
    assert site.count("attachment") == 1


def test_a_program_named_like_a_photo_is_refused(site: CaDesktop, tmp_path: Path) -> None:
    path = export(tmp_path, ["run.jpg"], {"media/run.jpg": b"MZ\x90\x00" + b"\x00" * 100})
    assert _refused(site, path) == [
        "2 photo run.jpg: the file is not a photo (JPEG, PNG, GIF, WebP, TIFF, BMP or HEIC)"
    ]


def test_a_photo_larger_than_its_declared_size_is_cut_and_refused(
    site: CaDesktop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(photos, "MAX_PHOTO_BYTES", 1000)
    monkeypatch.setattr("ca_desktop.reports.xlsform.odk_media.MAX_PHOTO_BYTES", 1000)
    path = export(tmp_path, ["big.jpg"], {"media/big.jpg": JPEG + b"\x00" * 5000})
    assert _refused(site, path) == ["2 photo big.jpg: the photo is larger than 0 MB"]


def test_a_path_in_the_csv_or_the_zip_is_only_a_name(site: CaDesktop, tmp_path: Path) -> None:
    path = export(tmp_path, ["../../keys/x.jpg"], {"../../x.jpg": JPEG})
    assert import_odk_csv(site, path).created == 1
    (attachment,) = site.list_records("attachment")
    assert attachment.body["filename"] == "x.jpg"
    assert not (tmp_path.parent / "x.jpg").exists()


def test_two_members_of_one_name_are_refused(site: CaDesktop, tmp_path: Path) -> None:
    path = export(tmp_path, ["a.jpg"], {"media/a.jpg": JPEG, "other/a.jpg": JPEG + b"1"})
    assert _refused(site, path) == ["2 photo a.jpg: the zip holds two files of this name"]
