"""Large files sealed in chunks (attachments up to 200 MB): AES-GCM, never whole in memory.

Layout: `MAGIC`, a 7-byte random nonce prefix, then chunks of at most `CHUNK` plaintext
bytes, each encrypted with nonce = prefix + 4-byte chunk number + 1 byte "last chunk"
flag. The flag makes a file cut at a chunk boundary fail to decrypt instead of reading as
a shorter file; the numbering makes reordered chunks fail. An empty file is one empty last
chunk.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ca_desktop.services.at_rest import SealedFileError

MAGIC = b"CAENCS1\n"
CHUNK = 1 << 20
_TAG = 16
_AAD = b"ca-desktop attachment"


def _nonce(prefix: bytes, n: int, last: bool) -> bytes:
    return prefix + n.to_bytes(4, "big") + (b"\x01" if last else b"\x00")


def write_sealed(chunks: Iterable[bytes], out: BinaryIO, key: bytes) -> None:
    """Write `chunks` (any sizes) sealed with `key` to `out`."""
    aes = AESGCM(key)
    prefix = secrets.token_bytes(7)
    out.write(MAGIC + prefix)
    pending = b""
    n = 0
    for chunk in chunks:
        pending += chunk
        while len(pending) > CHUNK:  # keep at least one byte back: the last chunk is flagged
            out.write(aes.encrypt(_nonce(prefix, n, False), pending[:CHUNK], _AAD))
            pending = pending[CHUNK:]
            n += 1
    out.write(aes.encrypt(_nonce(prefix, n, True), pending, _AAD))


def read_sealed(src: BinaryIO, key: bytes) -> Iterator[bytes]:
    """The plaintext of a sealed file, chunk by chunk; SealedFileError if it was altered."""
    head = src.read(len(MAGIC) + 7)
    if len(head) != len(MAGIC) + 7 or not head.startswith(MAGIC):
        raise SealedFileError("not a sealed attachment")
    prefix = head[len(MAGIC) :]
    aes = AESGCM(key)
    block = src.read(CHUNK + _TAG)
    n = 0
    while True:
        following = src.read(CHUNK + _TAG) if len(block) == CHUNK + _TAG else b""
        last = not following
        try:
            yield aes.decrypt(_nonce(prefix, n, last), block, _AAD)
        except InvalidTag:
            raise SealedFileError("an attachment file is damaged or was altered") from None
        if last:
            return
        block, n = following, n + 1


def is_sealed_stream(src: BinaryIO) -> bool:
    start = src.tell()
    head = src.read(len(MAGIC))
    src.seek(start)
    return head == MAGIC
