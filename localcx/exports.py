"""`locations export`: stores as a desired-state file (CSV) or as full records (JSON).

The CSV is exactly what `profiles plan` reads, so export → edit → plan round-trips and
planning an unedited export shows no changes.
"""

from __future__ import annotations

import codecs
import io
import json
from pathlib import Path
from typing import Any, TextIO

import sqlite_utils

from localcx import stores
from localcx.errors import LocalcxError, UsageError
from localcx.files import check_target, write_atomic
from localcx.profiles.export import write_rows
from localcx.profiles.fields import location_values

ENCODINGS = ("utf-8", "utf-8-sig", "cp932")
LAYOUTS = ("localcx", "google-bulk")


def _key(location: dict[str, Any]) -> str:
    return stores.store_key(location.get("storeCode"), stores.location_id(location))


def desired_rows(
    db: sqlite_utils.Database, region: str, keys: set[str] | None = None
) -> list[dict[str, str]]:
    return [
        {"store_code": _key(loc), **location_values(loc, region)}
        for loc in stores.raw_locations(db)
        if keys is None or _key(loc) in keys
    ]


def _unencodable(rows: list[dict[str, str]], encoding: str, path: Path) -> LocalcxError:
    """Name the stores and fields an encoding cannot hold, so the user can fix or skip them."""
    bad = []
    for row in rows:
        for name, value in row.items():
            try:
                value.encode(encoding)
            except UnicodeEncodeError as exc:
                bad.append(f"{row['store_code']} {name} ({value[exc.start : exc.end]!r})")
    shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
    return LocalcxError(
        f"{path}: {encoding} cannot hold {shown}; nothing was written",
        hint="export with --encoding utf-8-sig, which Excel also opens, or leave those stores out with --stores",
    )


SUFFIXES = (".csv", ".json", ".jsonl")


def _target(path: Path, force: bool) -> None:
    """Refuse what would lose work or write the wrong thing, before anything is read."""
    if path.suffix.lower() not in SUFFIXES and not path.is_dir():
        raise LocalcxError(
            f"{path}: cannot write {path.suffix or 'a file without an extension'}",
            hint="name a .csv (desired-state columns), .json or .jsonl file, or - for stdout",
        )
    check_target(path, force, example="stores.csv")


def export_stores(
    db: sqlite_utils.Database,
    path: Path,
    *,
    encoding: str = "utf-8",
    layout: str = "localcx",
    language: str = "en",
    region: str = "US",
    selector: str = "all",
    force: bool = False,
    stdout: TextIO | None = None,
) -> int:
    """Write the selected stores to `path` (or CSV to `stdout` for `-`); returns how many.
    Nothing is written if any store cannot be."""
    if encoding.lower() not in ENCODINGS:
        raise UsageError(
            f"unknown encoding {encoding!r}", hint=f"use one of {', '.join(ENCODINGS)}"
        )
    if layout not in LAYOUTS:
        raise UsageError(f"unknown format {layout!r}", hint=f"use one of {', '.join(LAYOUTS)}")
    if language not in ("en", "ja"):
        raise UsageError(f"unknown language {language!r}", hint="use en or ja")
    to_stdout = str(path) == "-"
    if not to_stdout:
        _target(path, force)
    keys = None if selector == "all" else set(stores.select(db, selector))
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl"):
        items = list(stores.list_stores(db, keys=keys, with_location=True))
        if suffix == ".json":
            text = json.dumps(items, ensure_ascii=False, indent=2) + "\n"
        else:
            text = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items)
        write_atomic(path, text.encode("utf-8"))
        return len(items)
    rows = desired_rows(db, region, keys)
    buffer = io.StringIO()
    write_rows(rows, buffer, format=layout, language=language)
    text = buffer.getvalue()
    if to_stdout:
        if stdout is None:
            raise UsageError("export to - needs a stream to write to")
        stdout.write(text)
        return len(rows)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise _unencodable(rows, encoding, path) from exc
    if encoding.lower() == "utf-8-sig" and not data.startswith(codecs.BOM_UTF8):
        data = codecs.BOM_UTF8 + data
    write_atomic(path, data)
    return len(rows)
