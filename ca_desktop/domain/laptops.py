"""How a laptop is named on every screen: its person and its key's short fingerprint.

Device ids are UUIDv7: their first characters are a timestamp, so laptops set up on the
same day all start alike. A person's name alone can be claimed by anyone; the key's
fingerprint cannot. "Amina K. · 4F2A-91C0" is both readable and checkable against the
fingerprint on that laptop's Sync page.
"""

from __future__ import annotations


def short_fingerprint(fingerprint: str) -> str:
    """The first two groups of a fingerprint ("4F2A-91C0")."""
    return fingerprint[:9]


def short_name(name: str) -> str:
    """ "Amina Kato" -> "Amina K."; a one-word name stays as it is."""
    words = name.split()
    if len(words) < 2:
        return name.strip()
    initial = next((ch for ch in words[-1] if ch.isalnum()), "")
    return f"{words[0]} {initial}." if initial else words[0]


def laptop_label(user_name: str, fingerprint: str) -> str:
    return f"{short_name(user_name) or '?'} · {short_fingerprint(fingerprint)}"
