"""The encrypted envelope at chunk boundaries, and strict JSON on its own."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from ca_desktop.sync import strict_json
from ca_desktop.sync.envelope import CHUNK, decrypt_stream, encrypt_stream
from ca_desktop.sync.errors import BundleRejected
from ca_desktop.sync.keys import create_keys


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK])
def test_round_trip_at_chunk_boundaries(size: int, tmp_path: Path) -> None:
    keys = create_keys(tmp_path, "01a21b86-289d-7226-8b99-9eeee54378e5")
    plain = os.urandom(size)
    sealed = io.BytesIO()
    encrypt_stream(io.BytesIO(plain), sealed, keys.public("Amina", "officer"))  # type: ignore[arg-type]
    out = io.BytesIO()
    assert decrypt_stream(io.BytesIO(sealed.getvalue()), out, keys) == size  # type: ignore[arg-type]
    assert out.getvalue() == plain
    data = sealed.getvalue()
    # Dropping the whole last chunk leaves a file that ends on a chunk boundary: refused.
    if size > CHUNK:
        last = size - CHUNK * ((size - 1) // CHUNK) + 16
        with pytest.raises(BundleRejected, match="truncated or damaged|decryption failed"):
            decrypt_stream(io.BytesIO(data[:-last]), io.BytesIO(), keys)  # type: ignore[arg-type]


def test_a_bundle_for_another_key_is_refused_before_decrypting(tmp_path: Path) -> None:
    mine = create_keys(tmp_path / "a", "01a21b86-289d-7226-8b99-9eeee54378e5")
    other = create_keys(tmp_path / "b", "01a21b86-2d3a-734d-a456-cfdb4989242b")
    sealed = io.BytesIO()
    encrypt_stream(io.BytesIO(b"zip"), sealed, other.public("Brian", "officer"))  # type: ignore[arg-type]
    with pytest.raises(BundleRejected, match="encrypted for another device"):
        decrypt_stream(io.BytesIO(sealed.getvalue()), io.BytesIO(), mine)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"a": 1, "a": 2}', "duplicate key"),
        ('{"a": NaN}', "NaN is not allowed"),
        ('{"a": Infinity}', "Infinity is not allowed"),
        ('{"a": 1e999}', "out of range"),
        ("[" * 20 + "]" * 20, "nested deeper"),
        ("[" * 100_000 + "]" * 100_000, "nested"),
        ('{"a": 1', "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
    ],
)
def test_strict_json_refuses(text: str | bytes, reason: str) -> None:
    with pytest.raises(BundleRejected, match=reason):
        strict_json.loads(text, "test", 10**6)


def test_strict_json_size_limit() -> None:
    with pytest.raises(BundleRejected, match="larger than"):
        strict_json.loads("[" + "1," * 100 + "1]", "test", 50)
