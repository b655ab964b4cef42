"""Map rank tracking on a geo-grid (see the modules' docstrings)."""
