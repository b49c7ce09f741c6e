"""The Reports page and its dialogs."""
