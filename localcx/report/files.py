"""Writing the report file: refuse to overwrite without --force (checked before the
report is built, so a wrong path fails at once), and write beside the target then rename,
so a crash or a full disk never leaves half a report where the last good one was."""

from __future__ import annotations

import os
from pathlib import Path

from localcx.errors import LocalcxError


def check_target(path: Path, force: bool) -> None:
    if path.is_dir():
        raise LocalcxError(f"{path}: is a folder", hint="name a file inside it, e.g. report.html")
    if not path.parent.is_dir():
        raise LocalcxError(f"{path.parent}: no such folder", hint="create it first, or pick another path")
    if path.exists() and not force:
        raise LocalcxError(
            f"{path} already exists; nothing was written",
            hint="pass --force to overwrite it, or pick another name",
        )


def write_report(path: Path, text: str) -> int:
    """Write the document as UTF-8; returns its size in bytes."""
    data = text.encode("utf-8")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise LocalcxError(f"{path}: cannot write it ({exc.strerror})") from exc
    return len(data)
