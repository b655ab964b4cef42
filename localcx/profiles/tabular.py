"""Reading spreadsheet exports: encoding detection and CSV rows with physical line numbers.

Spreadsheets in Japan are saved as CP932 as often as UTF-8, Excel adds a BOM or writes
UTF-16 "Unicode text", and cells hold newlines; a problem report is only useful if its
line number is the one the user's editor shows, so every cell carries its own line.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

TRIED_ENCODINGS = ("utf-8", "cp932")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class DecodeError(ValueError):
    """The bytes are none of the encodings tried (or not the one the user named)."""


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Bytes → (text, encoding used): BOM → utf-8-sig/utf-16; valid UTF-8; else CP932."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except LookupError:
            raise DecodeError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise DecodeError(f"not valid {encoding} (byte {exc.start})") from None
    if data.startswith(codecs.BOM_UTF8):
        return _decode_marked(data[len(codecs.BOM_UTF8) :], "utf-8", "a UTF-8 BOM"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_marked(data, "utf-16", "a UTF-16 BOM"), "utf-16"
    for candidate in TRIED_ENCODINGS:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    raise DecodeError(
        "can't decode: tried utf-8 (with or without BOM) and cp932; pass the encoding"
    )


def _decode_marked(data: bytes, encoding: str, mark: str) -> str:
    """A BOM promises an encoding; bytes that break the promise are a file problem."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"starts with {mark} but is not valid {encoding} ({exc.reason} at byte {exc.start});"
            " re-save it as CSV UTF-8, or pass the encoding"
        ) from None


@dataclass(frozen=True)
class Row:
    """A CSV record: its cells and the physical line each cell starts on."""

    line: int
    cells: list[str]
    lines: list[int]


DELIMITERS = (",", "\t", ";")


def sniff_delimiter(text: str, default: str = ",") -> str:
    """The separator used most on the header line: comma, tab or semicolon.

    Excel writes tabs for "Unicode text" and semicolons where the decimal mark is a
    comma (much of Europe); field names never contain any of the three. A tie (a header
    with one column) keeps ``default``.
    """
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    if counts[best] > counts.get(default, 0):
        return best
    return default


def read_rows(text: str, delimiter: str) -> Iterator[Row]:
    """Yield non-blank records; raises csv.Error (with ``line``) on malformed quoting."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CsvError(previous + 1, str(exc)) from None
        start = previous + 1
        previous = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        lines = []
        line = start
        for cell in cells:
            lines.append(line)
            line += len(_LINE_BREAK.findall(cell))
        yield Row(start, cells, lines)


class CsvError(ValueError):
    """Malformed CSV (e.g. an unclosed quote), at a physical line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
