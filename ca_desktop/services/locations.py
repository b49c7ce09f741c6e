"""Where the data folder is, for callers that must not import the storage stack yet."""

from ca_desktop.store.locations import default_data_dir

__all__ = ["default_data_dir"]
