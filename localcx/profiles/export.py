"""Write store rows as a desired-state CSV: localcx's columns or Google's bulk sheet.

The contract: export → (edit nothing) → :func:`~localcx.profiles.desired.load_desired` →
compare with :func:`~localcx.profiles.fields.location_values` gives **zero** differences,
for either format. That holds because every cell is the field's canonical text (or, for
Google's sheet, a layout that parses back to it) and unset fields are written blank, which
reads back as "unchanged".

Known limits of the Google layout: it has no open-status column, and a label or phone list
item containing a comma can't be told apart from two items there.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import TextIO

from localcx.profiles.fields import FIELD_NAMES
from localcx.profiles.google_sheet import sheet_headers, sheet_row

EXPORT_COLUMNS: tuple[str, ...] = ("store_code", *FIELD_NAMES)
FORMATS = ("localcx", "google-bulk")
LANGUAGES = ("en", "ja")


def write_rows(
    rows: Iterable[Mapping[str, str]],
    stream: TextIO,
    *,
    format: str = "localcx",
    language: str = "en",
) -> int:
    """Write ``rows`` (``{"store_code": …, **location_values(…)}``) to ``stream``.

    Streams row by row, so thousands of stores never sit in memory twice. ``language``
    picks the Google sheet's header language (``en`` or ``ja``); localcx's own columns
    are always English. Open ``stream`` with ``newline=""`` (and ``encoding="utf-8-sig"``
    if Excel will open it). Returns the number of rows written.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r} (use {' or '.join(FORMATS)})")
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r} (use en or ja)")
    writer = csv.writer(stream, lineterminator="\r\n")
    count = 0
    if format == "google-bulk":
        writer.writerow(sheet_headers(language))
        for row in rows:
            writer.writerow(sheet_row(row))
            count += 1
        return count
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([row.get(column, "") for column in EXPORT_COLUMNS])
        count += 1
    return count
