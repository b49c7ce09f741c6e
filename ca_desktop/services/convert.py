"""Encrypting a database made before encryption existed, in place, safe at every step.

The order makes an interruption (kill -9, power cut) harmless at any point:
1. the wrapped data key is written first: from then on the folder counts as encrypted, and
   an open that finds the database still plain finishes the conversion (`finish`);
2. a verified encrypted copy is made beside the database (`*.encrypting`); a partial or
   unverified one is thrown away and made again;
3. the copy takes the database's name in one rename (the plain WAL, emptied by the copy's
   checkpoint, is removed first so SQLCipher never sees a plain WAL);
4. the plain backups are removed (the next daily backup, due at once, is encrypted) and
   the files beside the database (private keys, drafts, attachments) are sealed.
Until step 3 the plain database is the database, whole; after it, the encrypted one is.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from ca_desktop.domain.jobs import Progress
from ca_desktop.services import at_rest, protection
from ca_desktop.services.sealed_stream import is_sealed_stream, write_sealed
from ca_desktop.store import database, sqlite

STAGED_SUFFIX = ".encrypting"


@dataclass(frozen=True)
class Converted:
    removed_backups: int

    @property
    def message(self) -> str:
        return (
            "the database is now encrypted; "
            f"{self.removed_backups} unencrypted backup(s) in the data folder were removed. "
            "Copies made earlier on other media (USB sticks, other computers) cannot be "
            "reached from here and stay readable: delete them by hand"
        )


def convert_to_encrypted(
    data_dir: Path, passphrase: str, progress: Progress | None = None
) -> Converted:
    """Encrypt the plain database of `data_dir` under a new data key wrapped with `passphrase`."""
    path = data_dir / database.DB_NAME
    # A damaged plain file is not converted (restore it first); the copy gets the thorough
    # check before it takes the database's name.
    sqlite.check_file(path, thorough=False)
    key = secrets.token_bytes(protection.KEY_BYTES)
    protection.adopt_key(data_dir, key, passphrase)  # step 1: the folder is encrypted now
    return finish(data_dir, progress)


def needs_finishing(data_dir: Path) -> bool:
    """An encrypted folder whose database is still plain (a conversion was interrupted)."""
    path = data_dir / database.DB_NAME
    return (
        protection.key_for(data_dir) is not None
        and path.exists()
        and path.stat().st_size > 0
        and sqlite.is_plain_file(path)
    )


def finish(data_dir: Path, progress: Progress | None = None) -> Converted:
    """Steps 2-4 with the unlocked key (again, after an interruption: each step redoes)."""
    key = protection.key_for(data_dir)
    if key is None:
        raise protection.ProtectionError(f"{data_dir} is locked")
    path = data_dir / database.DB_NAME
    staged = path.with_name(path.name + STAGED_SUFFIX)
    if sqlite.is_plain_file(path):
        if staged.exists():
            try:
                sqlite.check_file(staged, key=key)
            except sqlite.DatabaseDamaged:
                staged.unlink()
        if not staged.exists():
            sqlite.encrypt_copy(path, staged, key, progress)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        staged.replace(path)  # step 3: one rename
        sqlite.fsync_dir(data_dir)
    removed = _remove_plain_backups(data_dir)
    _seal_side_files(data_dir, key)
    _seal_blobs(data_dir, key)
    return Converted(removed)


def _remove_plain_backups(data_dir: Path) -> int:
    removed = 0
    for backup in (data_dir / "backups").glob("*.sqlite"):
        try:
            plain = sqlite.is_plain_file(backup)
        except OSError:
            continue
        if plain:
            backup.unlink(missing_ok=True)
            removed += 1
    return removed


def _seal_blobs(data_dir: Path, key: bytes) -> None:
    """Attachments written in clear before the conversion, sealed one by one (each rename
    is atomic: an interruption leaves every blob either plain or sealed, both readable)."""
    blob_key = at_rest.derive(key, "attachment")
    for blob in (data_dir / "blobs").glob("*/*"):
        if blob.name.startswith(".") or not blob.is_file():
            continue
        with blob.open("rb") as src:
            if is_sealed_stream(src):
                continue
            tmp = blob.with_name(f".sealing-{blob.name}")
            with tmp.open("wb") as out:
                write_sealed(iter(lambda: src.read(1 << 20), b""), out, blob_key)
        sqlite.private_file(tmp)
        sqlite.fsync_file(tmp)
        tmp.replace(blob)


def _seal_side_files(data_dir: Path, key: bytes) -> None:
    """Seal the files written in clear before the conversion (kinds named in at_rest)."""
    for kind, files in (
        ("device-keys", [data_dir / "keys" / "device-keys.json"]),
        ("draft", list((data_dir / "drafts").glob("*.json"))),
    ):
        for file in files:
            if not file.is_file():
                continue
            blob = file.read_bytes()
            if at_rest.is_sealed(blob):
                continue
            tmp = file.with_name(file.name + ".sealing")
            tmp.write_bytes(at_rest.seal_with(at_rest.derive(key, kind), kind, blob))
            sqlite.private_file(tmp)
            sqlite.fsync_file(tmp)
            tmp.replace(file)
