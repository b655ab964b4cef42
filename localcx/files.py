"""Writing a user's output file (an export, a report) without losing work.

`check_target` refuses, before anything is computed, what would overwrite a file or cannot
be written; `write_atomic` writes beside the target and renames, so a crash or a full disk
never leaves half a file where the last good one was.
"""

from __future__ import annotations

import os
from pathlib import Path

from localcx.errors import LocalcxError


def check_target(path: Path, force: bool, *, example: str) -> None:
    if path.is_dir():
        raise LocalcxError(f"{path}: is a folder", hint=f"name a file inside it, e.g. {example}")
    if not path.parent.is_dir():
        raise LocalcxError(f"{path.parent}: no such folder", hint="create it first, or pick another path")
    if path.exists() and not force:
        raise LocalcxError(
            f"{path} already exists; nothing was written",
            hint="pass --force to overwrite it, or pick another name",
        )


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise LocalcxError(f"{path}: cannot write it ({exc.strerror})") from exc
