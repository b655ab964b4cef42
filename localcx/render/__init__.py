"""Output shared by every command: data formats for scripts, human views for people.

`output` streams rows as a table, JSON, JSON lines or CSV; `human` formats values and fits
tables to the terminal; `terminal` owns the streams; `views` draws the richer screens
(plans, run reports, a store). Only this package writes to stdout.
"""

from __future__ import annotations

from localcx.render.output import OutputFormat, record, rows, text_diff
from localcx.render.terminal import Terminal

__all__ = ["OutputFormat", "Terminal", "record", "rows", "text_diff"]
