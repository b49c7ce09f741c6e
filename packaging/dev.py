#!/usr/bin/env python3
"""Set up a local virtual environment and start the app or run the tests.

    python3 packaging/dev.py start [ca-desktop arguments...]
    python3 packaging/dev.py test  [pytest arguments...]   (on every core: -n auto)

Only the standard library is used here, so this runs on a bare machine with python3.
The environment lives in .venv/ and is reused; it is refreshed when pyproject.toml changes.
On Debian/Ubuntu as root, the system libraries headless Qt needs are installed first.
`test` also starts a throwaway PostgreSQL cluster for the tests of the server backend and
stops it at the end (`pg_cluster.py`; CA_DESKTOP_TEST_PG set already: that server is used).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".ca-desktop-installed"

# Libraries Qt needs on a bare Debian 12 (offscreen and xcb), plus tools the tests use.
DEBIAN_PACKAGES = [
    "libegl1", "libgl1", "libx11-6", "libdbus-1-3", "libfontconfig1", "libfreetype6",
    "libglib2.0-0", "libxkbcommon0", "fonts-dejavu-core", "libxcb-cursor0", "libxcb-icccm4",
    "libxcb-image0", "libxcb-keysyms1", "libxcb-render-util0", "libxcb-shape0",
    "libxkbcommon-x11-0", "libnss3", "libxcomposite1", "libxdamage1", "libxrandr2",
    "libxtst6", "libxi6", "libasound2", "poppler-utils", "sqlite3",
    # The tests' throwaway PostgreSQL cluster (packaging/pg_cluster.py).
    "postgresql",
]


def venv_python() -> Path:
    sub = "Scripts/python.exe" if os.name == "nt" else "bin/python"
    return VENV / sub


def missing_debian_packages() -> list[str]:
    if not shutil.which("dpkg-query"):
        return []
    missing = []
    for pkg in DEBIAN_PACKAGES:
        done = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True
        )
        if "install ok installed" not in done.stdout:
            missing.append(pkg)
    return missing


def install_system_packages() -> None:
    missing = missing_debian_packages()
    if not missing:
        return
    if not shutil.which("apt-get") or os.geteuid() != 0:
        print("Note: these system packages may be needed: " + " ".join(missing), file=sys.stderr)
        return
    print("Installing system packages: " + " ".join(missing), flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        check=True, env=env,
    )


def install_python_packages(extra: str) -> None:
    if not venv_python().exists():
        print("Creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    have = STAMP.read_text().split() if STAMP.exists() else []
    # A test install includes everything the app needs, so it also serves "start".
    if have[:1] == [digest] and (extra == "app" or "test" in have[1:]):
        return
    py = str(venv_python())
    subprocess.run([py, "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    target = ".[test]" if extra == "test" else "."
    subprocess.run([py, "-m", "pip", "install", "-q", "-e", target], check=True, cwd=ROOT)
    STAMP.write_text(f"{digest} {extra}")


# Tests that drive Qt widgets (pytest-qt's qtbot), run in one process after the others.
# The two security files first: after the unlock tests' idle lock they wait on a window.
QT_TESTS = (
    "tests/security/test_plain_text_gui.py",
    "tests/security/test_attachment_attacks.py",
    "tests/gui",
)


def pytest_arguments(rest: list[str]) -> list[str]:
    """Every core runs tests (pytest-xdist's `-n auto`: CI has 2) unless the caller chose
    with `-n`, `--numprocesses` or `-p no:xdist`."""
    chosen = any(
        (a.startswith("-n") and not a.startswith("--"))
        or a.startswith("--numprocesses")
        or a in ("no:xdist", "-pno:xdist")
        for a in rest
    )
    return rest if chosen else ["-n", "auto", *rest]


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"start", "test"}:
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    install_system_packages()
    install_python_packages("test" if command == "test" else "app")
    py = str(venv_python())
    if command == "start":
        return subprocess.call([py, "-m", "ca_desktop", *rest], cwd=ROOT)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    cluster = None
    if not env.get("CA_DESKTOP_TEST_PG"):
        cluster, reason = start_test_cluster()
        if cluster is not None:
            env["CA_DESKTOP_TEST_PG"] = cluster.url
        else:
            print(f"PostgreSQL tests: {reason}", file=sys.stderr, flush=True)
    try:
        return run_tests(py, rest, env)
    finally:
        if cluster is not None:
            cluster.stop()


def start_test_cluster() -> tuple[Any, str]:
    """A started throwaway cluster, or None and the reason none could start."""
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import pg_cluster
    finally:
        sys.path.pop(0)
    try:
        cluster = pg_cluster.Cluster()
    except pg_cluster.ClusterUnavailable as exc:
        return None, str(exc)
    try:
        cluster.start()
    except pg_cluster.ClusterUnavailable as exc:
        cluster.stop()
        return None, str(exc)
    return cluster, ""


def run_tests(py: str, rest: list[str], env: dict[str, str]) -> int:
    if rest:
        return subprocess.call([py, "-m", "pytest", *pytest_arguments(rest)], cwd=ROOT, env=env)
    # The whole suite: the headless tests on every core, then the Qt tests in one process.
    # Qt tests share xdist workers badly: a worker that ran them was seen to vanish later in
    # the run, leaving pytest-xdist waiting for it forever; in one process they pass.
    headless = subprocess.call(
        [py, "-m", "pytest", *pytest_arguments(["tests", *(f"--ignore={t}" for t in QT_TESTS)])],
        cwd=ROOT,
        env=env,
    )
    qt = subprocess.call([py, "-m", "pytest", "-p", "no:xdist", *QT_TESTS], cwd=ROOT, env=env)
    return headless or qt


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
