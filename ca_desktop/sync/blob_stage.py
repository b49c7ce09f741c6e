"""An import's attachment files: held aside until its transaction commits.

Blobs are copied from the bundle into a private folder under the data folder's `tmp/`
while the import runs, moved into `blobs/` only once every revision is written, just
before the commit, and removed again if the commit does not happen. A refused or
cancelled import leaves no file behind, in `blobs/` or in `tmp/`. (A crash between the
move and the commit can leave a blob without a record: content-addressed, it is harmless
and reused by the next import that carries it.)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from ca_desktop.services.attachments import blob_path
from ca_desktop.store.sqlite import fsync_dir
from ca_desktop.sync.limits import MAX_BLOB_BYTES
from ca_desktop.sync.reader import OpenBundle


class BlobStage:
    """Use as a context manager around the import's transaction; `publish()` last inside
    it. Leaving the block by an exception takes published blobs back out."""

    def __init__(self, blobs: Path, scratch: Path) -> None:
        self.blobs = blobs
        self.scratch = scratch
        self.folder: Path | None = None
        self.staged: list[str] = []
        self.placed: list[Path] = []

    def __enter__(self) -> BlobStage:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if kind is not None:
            for path in self.placed:
                path.unlink(missing_ok=True)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def add(self, bundle: OpenBundle, name: str) -> None:
        """Copy entry `name` (`blobs/<sha256>`) aside; its hash is checked as it streams."""
        sha = name.removeprefix("blobs/")
        if blob_path(self.blobs, sha).exists():
            bundle.check_blob(name)  # the same checks, nothing to copy
            return
        if self.folder is None:
            self.scratch.mkdir(parents=True, exist_ok=True)
            self.folder = Path(tempfile.mkdtemp(prefix="import-", dir=self.scratch))
        with (self.folder / sha).open("wb") as out:
            for chunk in bundle.chunks(name, MAX_BLOB_BYTES):  # raises on a wrong hash
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        self.staged.append(sha)

    def publish(self) -> None:
        """Move the staged blobs into the blob store (call just before the commit)."""
        assert self.folder is not None or not self.staged
        for sha in self.staged:
            final = blob_path(self.blobs, sha)
            if final.exists():
                continue
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.folder / sha, final)  # type: ignore[operator]
            self.placed.append(final)
            fsync_dir(final.parent)
