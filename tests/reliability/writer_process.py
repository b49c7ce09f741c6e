"""Run writer.py in its own process and follow the markers it prints (test side, stdlib only)."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

WRITER = Path(__file__).with_name("writer.py")
ROOT = Path(__file__).resolve().parents[2]


def writer_env() -> dict[str, str]:
    """The environment for a writer: it imports the same ca_desktop as the tests (this
    checkout's), whatever the virtual environment was installed from."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path}


class WriterProcess:
    """writer.py with its stdout read on a thread, so waiting for a marker has a timeout."""

    def __init__(self, data_dir: Path, *args: str, **popen: Any) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(data_dir), *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=writer_env(), **popen,
        )
        self.lines: list[str] = []
        self._fresh: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.strip())
            self._fresh.put(line.strip())
        self._fresh.put(None)  # end of output: the process is gone

    def wait_for(self, wanted: str | Callable[[str], bool], timeout: float = 120) -> str:
        """The first line from now on that is `wanted` (or satisfies it); fails on timeout
        or when the process ends without printing it."""
        match = (lambda line: line == wanted) if isinstance(wanted, str) else wanted
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._fresh.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                raise AssertionError(f"the writer ended before {wanted!r}: {self.stderr()}")
            if match(line):
                return line
        raise AssertionError(f"no {wanted!r} from the writer within {timeout} s")

    def kill(self) -> list[str]:
        """SIGKILL now; every line the writer printed before it died."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self._reader.join(timeout=30)
        return list(self.lines)

    def finish(self, timeout: float = 300) -> tuple[int, str]:
        """Wait for a normal end: the exit status and stderr."""
        status = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=30)
        return status, self.stderr()

    def stderr(self) -> str:
        if self.proc.poll() is None or self.proc.stderr is None:
            return ""
        return self.proc.stderr.read()

    def last_step(self) -> str:
        """The last transaction marker printed (begin, writing, committing), or ""."""
        steps = [line for line in self.lines if line in ("begin", "writing", "committing")]
        return steps[-1] if steps else ""
