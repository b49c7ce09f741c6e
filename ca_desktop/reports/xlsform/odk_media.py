"""Photos inside an ODK Central export's zip (`media/<file name>`), for `image` fields.

The CSV names each photo; the zip may carry it. A member is found by its base name only
(never a path built from the CSV or the zip), read no further than `MAX_PHOTO_BYTES`, and
must be an image by its content (`forms/photos.py`). All photos are checked before any is
stored, so a rejected export writes nothing.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from ca_desktop.forms.photos import MAX_PHOTO_BYTES, NotAPhoto, check_photo


def _members(zf: zipfile.ZipFile, names: set[str]) -> dict[str, list[zipfile.ZipInfo]]:
    found: dict[str, list[zipfile.ZipInfo]] = {}
    for info in zf.infolist():
        base = PurePosixPath(info.filename.replace("\\", "/")).name
        if base in names and not info.is_dir():
            found.setdefault(base, []).append(info)
    return found


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_PHOTO_BYTES:
        raise NotAPhoto(f"the photo is larger than {MAX_PHOTO_BYTES >> 20} MB")
    with zf.open(info) as fh:
        data = fh.read(MAX_PHOTO_BYTES + 1)  # the declared size may lie
    check_photo(data)
    return data


def check_photos(path: Path, names: set[str]) -> dict[str, str]:
    """{file name: why it cannot come in} for the photos the zip carries that are bad."""
    problems: dict[str, str] = {}
    with zipfile.ZipFile(path) as zf:
        for name, infos in _members(zf, names).items():
            if len(infos) > 1:
                problems[name] = "the zip holds two files of this name"
                continue
            try:
                _read(zf, infos[0])
            except NotAPhoto as exc:
                problems[name] = str(exc)
            except (zipfile.BadZipFile, OSError, EOFError):
                problems[name] = "the photo in the zip is damaged"
    return problems


def photos(path: Path, names: set[str]) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) of each photo the zip carries (checked by `check_photos` first)."""
    with zipfile.ZipFile(path) as zf:
        for name, infos in _members(zf, names).items():
            if len(infos) == 1:
                yield name, _read(zf, infos[0])
