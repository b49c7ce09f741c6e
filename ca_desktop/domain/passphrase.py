"""How guessable a passphrase looks: a hint for the person choosing it, not a rule.

No required digits or symbols (they make people write passphrases down on the laptop);
length and a few unrelated words count most. The one rule is a minimum length.
"""

from __future__ import annotations

import string

MIN_LENGTH = 8
WEAK, FAIR, GOOD, STRONG = 0, 1, 2, 3
_COMMON = {"password", "passphrase", "12345678", "123456789", "qwertyui", "azertyui", "letmein1"}


def strength(phrase: str) -> int:
    """WEAK, FAIR, GOOD or STRONG, from its length, its words and its kinds of characters."""
    if len(phrase) < MIN_LENGTH or phrase.lower() in _COMMON or len(set(phrase)) < 4:
        return WEAK
    kinds = sum(
        any(c in group for c in phrase)
        for group in (string.ascii_lowercase, string.ascii_uppercase, string.digits)
    ) + any(not c.isalnum() for c in phrase)
    words = len([w for w in phrase.split() if len(w) >= 3])
    score = len(phrase) + 4 * max(words - 1, 0) + 2 * (kinds - 1)
    if score >= 28:
        return STRONG
    if score >= 18:
        return GOOD
    return FAIR
