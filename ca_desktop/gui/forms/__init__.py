"""The Forms page: SOP forms on screen, in print preview and on paper."""
