"""Writing the report file: refused before the report is built when it would overwrite
without --force (so a wrong path fails at once), then written atomically."""

from __future__ import annotations

from pathlib import Path

from localcx.files import check_target as _check
from localcx.files import write_atomic


def check_target(path: Path, force: bool) -> None:
    _check(path, force, example="report.html")


def write_report(path: Path, text: str) -> int:
    """Write the document as UTF-8; returns its size in bytes."""
    data = text.encode("utf-8")
    write_atomic(path, data)
    return len(data)
