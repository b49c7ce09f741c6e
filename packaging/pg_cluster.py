"""A throwaway PostgreSQL cluster for the tests and benchmarks (standard library only).

    with pg_cluster.running() as url:   # postgresql://postgres@/postgres?host=...&port=...
        ...

The cluster lives in a temporary folder and listens only on a Unix socket there (no TCP:
`listen_addresses=''`), on a free port number (the socket's name carries it, so several
clusters never collide). `fsync=off`: its data is thrown away at the end, so durability
buys nothing and costs the tests time. Run as root (CI), the server runs as the `postgres`
user through `runuser`, since PostgreSQL refuses to run as root; run as a normal user,
`initdb` and `pg_ctl` run directly.

`python3 packaging/pg_cluster.py` starts one, prints its URL and waits for Ctrl-C.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

SUPERUSER = "postgres"
START_TIMEOUT_S = 60


class ClusterUnavailable(Exception):
    """No PostgreSQL server can be started here; the message says why."""


def find_bindir() -> Path:
    """The folder with initdb and pg_ctl: PG_BINDIR, the PATH, or Debian's versioned folders."""
    chosen = os.environ.get("PG_BINDIR")
    if chosen:
        return Path(chosen)
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    if not found:
        raise ClusterUnavailable(
            "PostgreSQL is not installed (no initdb; on Debian: apt-get install postgresql)"
        )
    return Path(found[-1]).parent


def free_port() -> int:
    """A port number no TCP server uses now (the socket file is named after it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """One throwaway cluster: `start()`, `url`, `stop()` (which deletes its folder)."""

    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir()
        self.as_root = hasattr(os, "geteuid") and os.geteuid() == 0
        self.root = Path(tempfile.mkdtemp(prefix="ca-desktop-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.port = free_port()
        self.started = False

    @property
    def url(self) -> str:
        return f"postgresql://{SUPERUSER}@/postgres?host={self.socket_dir}&port={self.port}"

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            if not shutil.which("runuser"):
                raise ClusterUnavailable("running as root needs runuser to start PostgreSQL")
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            lines = (done.stderr or done.stdout).strip().splitlines()
            raise ClusterUnavailable(f"{args[0]} failed: {lines[-1] if lines else done.returncode}")

    def start(self) -> str:
        """initdb and start; returns the superuser URL to the `postgres` database."""
        self.socket_dir.mkdir()
        if self.as_root:
            try:
                shutil.chown(self.root, SUPERUSER)
                shutil.chown(self.socket_dir, SUPERUSER)
            except (LookupError, OSError) as exc:
                raise ClusterUnavailable(
                    f"no '{SUPERUSER}' user to run the server: {exc}"
                ) from None
        # C.UTF-8: byte order for text (the same order as SQLite's), and Unicode-aware
        # character classes for the search index; no system locale needs to be generated.
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.socket_dir}'"
            f" -p {self.port} -c fsync=off -c synchronous_commit=off"
            " -c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            str(START_TIMEOUT_S),
            "start",
        )
        self.started = True
        return self.url

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete the cluster's folder."""
        try:
            if self.started:
                with contextlib.suppress(ClusterUnavailable):
                    self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
                self.started = False
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def running(bindir: Path | None = None) -> Iterator[str]:
    """A started cluster for the `with` block: yields its superuser URL; stopped after."""
    cluster = Cluster(bindir)
    try:
        yield cluster.start()
    finally:
        cluster.stop()


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM too: the `finally` stops the server


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with running() as url:
            print(url, flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(3600)
    except ClusterUnavailable as exc:
        print(f"PostgreSQL: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
