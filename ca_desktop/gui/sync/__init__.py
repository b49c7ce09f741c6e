"""The Sync page and the conflict review."""
