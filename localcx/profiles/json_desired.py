"""JSON desired state: what ``locations export all.json`` (or ``.jsonl``) writes, edited.

The export is an array of stores (JSON lines: one store per line), each with
``store_code``, ``location_id``, some profile fields at the top level and Google's full
record under ``location``. Reading it back treats each store like a CSV row: the
top-level keys that are desired-state fields (``title``, ``website``, ``labels`` …, the
names and aliases a localcx CSV accepts) are its cells; ``null`` leaves a field
unchanged, a list is a list field's items, and ``~clear`` clears as in CSV. The other
keys the export writes (address, city, the nested ``location`` …) are context and are
ignored, so editing the nested record changes nothing; any other key is a problem, since
it is almost always a misspelt field.

A store without a store code is named by ``location_id`` (``locations/ID``), the way the
CSV export names it. Problems point at the line of the key, or of the store's ``{``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, Protocol

from localcx.profiles.google_sheet import Cell

STORE_CODE = "store_code"
# Keys `locations export` writes that are not desired-state fields.
EXPORT_CONTEXT = frozenset({
    "location_id", "address", "city", "postal_code", "region_code", "place_id", "lat", "lng",
    "account", "updated_at", "location",
})  # fmt: skip
_SPACE = re.compile(r"[ \t\n\r]*")


class StoreSink(Protocol):
    """Where stores and problems go (the CSV loader's per-store half)."""

    def problem(self, line: int, column: str, message: str, store: str | None = None) -> None: ...

    def store(
        self, line: int, code_header: str, cells: dict[str, Cell], bad: bool = False
    ) -> None: ...

    def role(self, key: str) -> str | None: ...

    def did_you_mean(self, key: str) -> str: ...


def load_json(text: str, sink: StoreSink, *, lines: bool) -> None:
    """Parse ``text`` (an array, or JSON lines) and hand each store to ``sink``."""
    count = 0
    try:
        for line, span, item in _json_lines(text) if lines else _array(text, sink):
            _store(item, line, span, sink)
            count += 1
    except _Invalid as exc:
        sink.problem(exc.line, "", exc.message)
        return
    if not count:
        sink.problem(1, "", "no stores in the file: it sets nothing")


class _Invalid(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _parse(text: str, line_offset: int = 0) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"invalid JSON: {exc.msg} (column {exc.colno})"
        raise _Invalid(exc.lineno + line_offset, message) from None
    except RecursionError:
        raise _Invalid(line_offset + 1, "invalid JSON: nested too deeply") from None


def _line_at(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _array(text: str, sink: StoreSink) -> Iterator[tuple[int, str, Any]]:
    """(line, source text, value) of each element of a top-level array."""
    document = _parse(text)
    if not isinstance(document, list):
        raise _Invalid(1, "expected an array of stores, as `locations export x.json` writes")
    decoder = json.JSONDecoder()
    position = _SPACE.match(text, 0).end() + 1  # type: ignore[union-attr]  # past "["
    for _ in document:
        position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
        _value, end = decoder.raw_decode(text, position)
        yield _line_at(text, position), text[position:end], _value
        position = _SPACE.match(text, end).end() + 1  # type: ignore[union-attr]  # past ","


def _json_lines(text: str) -> Iterator[tuple[int, str, Any]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield number, line, _parse(line, number - 1)


def _key_line(span: str, key: str, line: int) -> int:
    found = re.search(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:", span)
    return line + span.count("\n", 0, found.start()) if found else line


def _cell_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    return None


def _store(item: Any, line: int, span: str, sink: StoreSink) -> None:
    if not isinstance(item, dict):
        sink.problem(line, "", f"expected a store object, found {type(item).__name__}", "")
        return
    code = item.get(STORE_CODE)
    if code is None and isinstance(item.get("location_id"), str) and item["location_id"]:
        code = f"locations/{item['location_id']}"
    if code is not None and not isinstance(code, str):
        sink.problem(_key_line(span, STORE_CODE, line), STORE_CODE, "must be a string", "")
        return
    store = code or ""
    cells: dict[str, Cell] = {}
    if code:
        cells[STORE_CODE] = Cell(STORE_CODE, code.strip(), _key_line(span, STORE_CODE, line))
    bad = False
    for key, value in item.items():
        if key == STORE_CODE or key in EXPORT_CONTEXT or value is None:
            continue
        where = _key_line(span, key, line)
        role = sink.role(key)
        text = _cell_text(value)
        if role is None:
            sink.problem(where, key, f"unknown field{sink.did_you_mean(key)}", store)
        elif text is None:
            sink.problem(where, key, "must be a string (or an array of strings)", store)
        elif role in cells:
            sink.problem(where, key, f'same field as "{cells[role].header}"', store)
        else:
            if text.strip():
                cells[role] = Cell(key, text.strip(), where)
            continue
        bad = True
    sink.store(line, STORE_CODE, cells, bad=bad)
