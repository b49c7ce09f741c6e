"""Outside text made safe to show: control and bidirectional characters made visible.

Names in key files, bundle senders, record titles and file names come from other people.
Printed as they are, a terminal escape can rewrite the screen (a fake fingerprint, a
cleared warning) and a right-to-left override can reverse what a reader sees. `printable`
keeps every ordinary character, including accents and non-Latin scripts, and replaces
only the invisible ones with a visible placeholder, so nothing is hidden and nothing is
silently dropped.
"""

from __future__ import annotations

import unicodedata

# Categories that draw nothing or steer how the rest is drawn: controls (Cc), format
# characters such as bidirectional overrides and zero-width joiners (Cf), line and
# paragraph separators (Zl, Zp), and unassigned or private code points.
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Co", "Cn", "Cs"}


def _placeholder(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ␛ for ESC, ␊ for LF
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def printable(text: object, *, keep_newlines: bool = False) -> str:
    """`text` with every control, bidirectional or other invisible character replaced by a
    visible placeholder (`\\x1b` -> `␛`, `\\u202e` -> `<U+202E>`).

    One-line output (the default) shows a line feed as `␊` too, so outside text cannot
    start a line that looks like the program's own; `keep_newlines` keeps them.
    """
    out = []
    for ch in str(text):
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif unicodedata.category(ch) in _INVISIBLE:
            out.append(_placeholder(ch))
        else:
            out.append(ch)
    return "".join(out)
