"""File names for what CA Desktop writes: readable in the user's language, accents kept
("Activités_2026-T3.xlsx"), only what Windows, macOS or Linux refuse taken out."""

from __future__ import annotations

import re
import unicodedata

# Refused by Windows (and "/" everywhere); control characters are refused below.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
# Device names Windows keeps for itself, whatever the extension ("CON.xlsx" included).
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}
_MAX_BYTES = 200  # under the 255-byte limit of most file systems, room for "-2" and a suffix


def safe_file_name(text: str, suffix: str = "", fallback: str = "ca-desktop") -> str:
    """`text` + `suffix` as a file name every system accepts.

    NFC (macOS stores "é" as two code points; the name should compare equal to the one
    typed), forbidden and control characters become "-", runs of "-"/spaces shrink, no
    trailing dot or space (Windows drops them), reserved device names get a "_", and the
    stem is cut on a character boundary to fit in 200 UTF-8 bytes.
    """
    name = unicodedata.normalize("NFC", text)
    name = "".join("-" if unicodedata.category(c) in ("Cc", "Cf") else c for c in name)
    name = _FORBIDDEN.sub("-", name)
    name = re.sub(r"\s+", " ", name)
    name = re.sub(r"-{2,}", "-", name).strip(" .-")
    if not name:
        name = fallback
    if name.split(".")[0].lower() in _RESERVED:
        name = f"{name}_"
    budget = _MAX_BYTES - len(suffix.encode("utf-8"))
    while len(name.encode("utf-8")) > budget:
        name = name[:-1]
    return name.rstrip(" .") + suffix
