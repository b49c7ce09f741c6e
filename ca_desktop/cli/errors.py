"""The one expected-failure type of the command line (kept light: `--version` and the
GUI start import it without the storage stack)."""


class UserError(Exception):
    """An expected failure: bad input or a rejected file. One line, exit 2."""
