"""Converts a plain data folder in its own process (for the kill -9 test), saying when.

python convert_process.py DATA_DIR PASSPHRASE
"""

from __future__ import annotations

import sys
from pathlib import Path

from ca_desktop.services.convert import convert_to_encrypted

if __name__ == "__main__":
    print("start", flush=True)
    convert_to_encrypted(Path(sys.argv[1]), sys.argv[2])
    print("done", flush=True)
