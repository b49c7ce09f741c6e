"""Real processes: kill -9 in the middle of an import, a full disk in the middle of an export."""

from __future__ import annotations

import errno
import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from reliability.writer_process import WriterProcess
from sync_helpers import PROGRAMME, Laptop, activity

from ca_desktop.services.attachments import attach_file
from ca_desktop.sync import export as export_module

pytestmark = pytest.mark.skipif(os.name != "posix", reason="uses POSIX signals and rlimits")


def cli(data_dir: Path, *args: str, **kw: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "ca_desktop", "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw,  # type: ignore[call-overload]
    )


def counts(data_dir: Path) -> tuple[str, int, int, int]:
    con = sqlite3.connect(data_dir / "ca-desktop.sqlite")
    try:
        return (
            con.execute("PRAGMA integrity_check").fetchone()[0],
            con.execute("SELECT count(*) FROM revision").fetchone()[0],
            con.execute("SELECT count(*) FROM activity").fetchone()[0],
            con.execute("SELECT count(*) FROM sync_import").fetchone()[0],
        )
    finally:
        con.close()


ACTIVITIES = 4000  # enough for the write to take a while, so most kills land inside it


@pytest.fixture
def big_bundle(laptops: dict[str, Laptop]) -> Path:
    amina = laptops["amina"]
    pid = amina.app.save("programme", PROGRAMME).id
    from ca_desktop.store.revisions import Change

    amina.app.save_many(
        [Change("activity", None, activity(pid, title=f"Forum {i}")) for i in range(ACTIVITIES)]
    )
    return amina.send(laptops["coord"])


@pytest.mark.slow
@pytest.mark.sqlite_only("kill -9 of a writer on the laptop's file; a server rolls back a lost session")
def test_kill_9_during_import_leaves_before_or_complete(
    laptops: dict[str, Laptop], big_bundle: Path
) -> None:
    coord = laptops["coord"]
    coord.app.close()  # the subprocess is the only one using the database
    before = counts(coord.data_dir)
    complete = ("ok", before[1] + ACTIVITIES + 1, ACTIVITIES, 1)
    mid_transaction = 0
    # Killed once the import holds the write lock, once it has written rows, and once it
    # is about to commit. Until COMMIT is sent nothing may show; after, all or nothing.
    for step in ("begin", "writing", "committing"):
        proc = WriterProcess(coord.data_dir, "cli", "bundle", "import", str(big_bundle))
        proc.wait_for(step)
        proc.kill()
        state = counts(coord.data_dir)
        if proc.last_step() in ("begin", "writing"):
            assert state == before, (step, state)
            mid_transaction += 1
        else:
            assert state in (before, complete), (step, state)
    assert mid_transaction, "no kill landed inside the import's transaction"
    # Afterwards the bundle imports (or is already complete) and the database is healthy.
    done = WriterProcess(coord.data_dir, "cli", "bundle", "import", str(big_bundle))
    status, err = done.finish()
    assert status == 0, err
    assert counts(coord.data_dir) == complete
    assert list((coord.data_dir / "tmp").iterdir()) == []  # the decrypted copy is gone too


def _limit(size: int) -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def test_full_disk_during_export_leaves_nothing(laptops: dict[str, Laptop], tmp_path: Path) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    pid = amina.app.save("programme", PROGRAMME).id
    act = amina.app.save("activity", activity(pid))
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(os.urandom(2_000_000))
    attach_file(amina.app, "activity", act.id, photo)
    stick = tmp_path / "stick"
    stick.mkdir()
    out = stick / "amina.cabundle"
    proc = cli(
        amina.data_dir, "bundle", "export", "--out", str(out), "--to", str(coord.pubkey()),
        preexec_fn=lambda: _limit(500_000),
    )
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert len(err.strip().splitlines()) == 1 and "too large" in err.lower()
    assert list(stick.iterdir()) == []
    assert list((amina.data_dir / "tmp").iterdir()) == []


def test_failure_while_writing_the_target_leaves_nothing(
    laptops: dict[str, Laptop], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    amina, coord = laptops["amina"], laptops["coord"]
    amina.app.save("programme", PROGRAMME)

    def full_disk(src: object, dst: object, recipient: object) -> None:
        dst.write(b"x" * 1000)  # type: ignore[attr-defined]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export_module, "encrypt_stream", full_disk)
    stick = tmp_path / "stick"
    stick.mkdir()
    with pytest.raises(OSError, match="No space"):
        amina.sync.export(stick / "a.cabundle", to=coord.pubkey())
    assert list(stick.iterdir()) == []
    assert amina.sync.exports() == []
