"""The one exception a bundle check raises: why the bundle was refused, in one line."""

from __future__ import annotations


class BundleRejected(Exception):
    """A bundle failed a check; nothing was written. `str()` is the reason for the user."""


class PlainBundleRefused(BundleRejected):
    """An unencrypted bundle passed every check but was not confirmed; nothing was written."""


class SyncError(Exception):
    """An expected sync failure that is not about a bundle's content (keys, recipients)."""
