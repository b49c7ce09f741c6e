#!/usr/bin/env bash
# Build the Linux one-folder app with PyInstaller and smoke-test the frozen binary.
#
#   bash packaging/linux/build-frozen.sh [PYTHON]
#
# PYTHON defaults to .venv/bin/python (with `pip install -e .[packaging]`). The build goes
# to build/pyinstaller and dist/pyinstaller (both ignored by git); the smoke test
# (packaging/smoke_frozen.py) then starts the frozen binaries offscreen. Record the result
# and the start-up times it prints in packaging/README.md and bench/RESULTS.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PYTHON="${1:-$ROOT/.venv/bin/python}"
cd "$ROOT"
start=$(date +%s)
"$PYTHON" -m PyInstaller packaging/pyinstaller/ca-desktop.spec --noconfirm \
    --workpath build/pyinstaller --distpath dist/pyinstaller
echo "build: $(( $(date +%s) - start )) s, $(du -sh "dist/pyinstaller/CA Desktop" | cut -f1)"
"$PYTHON" packaging/smoke_frozen.py "dist/pyinstaller/CA Desktop"
