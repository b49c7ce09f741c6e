"""Attachments in an encrypted folder: sealed on disk, the original bytes everywhere else."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from ca_desktop.services import at_rest, protection, sealed_stream
from ca_desktop.services.app import CaDesktop
from ca_desktop.services.attachments import (
    attach_file,
    blob_chunks,
    blob_path,
    export_blob,
    open_blob,
)
from ca_desktop.services.convert import convert_to_encrypted

MARKER = b"Photo-of-Zawadi-Markername "


def test_sealed_stream_round_trip_and_tampering() -> None:
    key = os.urandom(32)
    for size in (0, 1, sealed_stream.CHUNK, sealed_stream.CHUNK + 1, 3 * sealed_stream.CHUNK):
        data = os.urandom(size)
        out = io.BytesIO()
        sealed_stream.write_sealed([data[:7], data[7:]], out, key)
        assert b"".join(sealed_stream.read_sealed(io.BytesIO(out.getvalue()), key)) == data
    blob = out.getvalue()
    cut = blob[: len(sealed_stream.MAGIC) + 7 + sealed_stream.CHUNK + 16]  # ends on a boundary
    with pytest.raises(at_rest.SealedFileError):
        b"".join(sealed_stream.read_sealed(io.BytesIO(cut), key))
    flipped = bytearray(blob)
    flipped[-1] ^= 1
    with pytest.raises(at_rest.SealedFileError):
        b"".join(sealed_stream.read_sealed(io.BytesIO(bytes(flipped)), key))


def test_an_attachment_is_sealed_on_disk_and_reads_back(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    protection.create_encrypted(folder, "a long test passphrase")
    app = CaDesktop.open(folder)
    try:
        app.init_device("Amina Nakato", "officer")
        source = tmp_path / "register.jpg"
        source.write_bytes(MARKER * 50_000)  # over one chunk
        view = attach_file(app, "activity", "01900000-0000-7000-8000-000000000000", source)
        sha = view.body["sha256"]
        assert MARKER not in blob_path(folder / "blobs", sha).read_bytes()
        assert b"".join(blob_chunks(folder / "blobs", sha)) == source.read_bytes()
        shown = open_blob(app, sha)
        assert shown.read_bytes() == source.read_bytes() and folder in shown.parents
        export_blob(app, sha, tmp_path / "out.jpg")
        assert (tmp_path / "out.jpg").read_bytes() == source.read_bytes()
    finally:
        app.close()
        protection.lock(folder)
    assert not shown.exists()  # the readable copy went with the close


def test_conversion_seals_the_attachments_written_before(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    app = CaDesktop.open(folder)
    app.init_device("Amina Nakato", "officer")
    source = tmp_path / "minutes.txt"
    source.write_bytes(MARKER * 10)
    sha = attach_file(app, "activity", "01900000-0000-7000-8000-000000000000", source).body["sha256"]
    app.close()
    assert MARKER in blob_path(folder / "blobs", sha).read_bytes()
    convert_to_encrypted(folder, "a long test passphrase")
    try:
        assert MARKER not in blob_path(folder / "blobs", sha).read_bytes()
        assert b"".join(blob_chunks(folder / "blobs", sha)) == source.read_bytes()
    finally:
        protection.lock(folder)
