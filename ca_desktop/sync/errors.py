"""The one exception a bundle check raises: why the bundle was refused, in one line."""

from __future__ import annotations


class BundleRejected(Exception):
    """A bundle failed a check; nothing was written. `str()` is the reason for the user."""


class PlainBundleRefused(BundleRejected):
    """An unencrypted bundle passed every check but was not confirmed; nothing was written."""


class UnknownSigner(BundleRejected):
    """The bundle is signed by a key this laptop does not trust (yet): told apart by type,
    not by the (translated) message, so `inspect` can say "trust the key first"."""


class SyncError(Exception):
    """An expected sync failure that is not about a bundle's content (keys, recipients)."""
