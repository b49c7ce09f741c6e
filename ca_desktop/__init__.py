"""CA Desktop: offline-first programme data for Cities Alliance country teams."""

__version__ = "0.1.0"
