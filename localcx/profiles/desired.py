"""Load a desired-state file (CSV/TSV in localcx's or Google's layout, TOML or JSON) and validate it.

Validation happens here, before any call to Google, and collects **every** problem with
its ``file:line:column`` so one run shows the user everything to fix. Nothing a file holds
is a crash: bad bytes, syntax and values all become problems (see ``tests/test_fuzz_inputs``).

Formats, chosen by extension (without one, e.g. stdin, by :func:`detect_format`) and, for
tables, by the header:

* ``.toml``: defaults, selector rules and per-store tables (see :mod:`.toml_desired`).
* ``.json`` / ``.jsonl``: what ``locations export`` writes (see :mod:`.json_desired`).
* ``.csv`` / ``.tsv`` / ``.txt``: comma, semicolon or tab separated (sniffed from the
  header line; European Excel writes semicolons).
  - localcx's own columns, the ones ``locations export`` writes: ``store_code`` and the
    names in :data:`~localcx.profiles.fields.FIELD_NAMES` (case-insensitive; ``phone``,
    ``hours``, ``holiday_hours``, ``category``, ``status`` and ``url`` are accepted aliases).
  - Google's bulk-upload sheet (a ``Store code``/``店舗コード`` header): see
    :mod:`.google_sheet`.

Rules for both table layouts: a blank cell leaves the field unchanged; ``~clear`` clears it
(refused for required fields); fully blank rows are skipped; quoted cells may span lines and
line numbers stay physical. Encoding: a UTF-8 BOM means utf-8-sig, a UTF-16 BOM utf-16, valid
UTF-8 is UTF-8, anything else is tried as CP932 (Shift_JIS as Excel writes it in Japan);
``encoding=`` overrides the detection.

Each problem says whether --skip-invalid can get past it (:attr:`Problem.store`): a row's
or store's problem leaves that store out; a problem of the file itself stops planning.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from localcx.profiles.fields import FIELD_NAMES, FieldError, cross_check, parse_value
from localcx.profiles.google_sheet import (
    KNOWN_HEADERS,
    Cell,
    google_role,
    looks_like_google_sheet,
    row_values,
)
from localcx.profiles.json_desired import load_json
from localcx.profiles.problems import DesiredState, Problem, StoreInfo
from localcx.profiles.tabular import (
    CsvError,
    DecodeError,
    Row,
    decode,
    read_rows,
    sniff_delimiter,
)
from localcx.profiles.toml_desired import load_toml
from localcx.profiles.validators import check_characters
from localcx.suggest import closest

__all__ = ["DesiredState", "Problem", "StoreInfo", "detect_format", "load_desired"]

STORE_CODE = "store_code"
COLUMN_ALIASES = {
    "phone": "primary_phone", "hours": "regular_hours", "holiday_hours": "special_hours",
    "category": "primary_category", "status": "open_status", "url": "website",
}  # fmt: skip
_LOCALCX_COLUMNS = (STORE_CODE, *FIELD_NAMES)
_FORMATS = {".toml": "toml", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
            ".csv": "table", ".tsv": "table", ".txt": "table"}  # fmt: skip
_TOML_START = re.compile(r"""^\s*(?:\[\[?\s*[\w"'.\- ]+\]\]?\s*(?:#.*)?|[\w"'.-]+\s*=.*|#.*)$""")


def detect_format(suffix: str, text: str) -> str | None:
    """``toml`` | ``json`` | ``jsonl`` | ``table`` from the extension, else from the text.

    Text without an extension (stdin, a pipe) is sniffed: ``{`` starts JSON (JSON lines if
    the first line is a whole object), a TOML table header or ``key = value`` starts TOML,
    ``[`` otherwise starts a JSON array, and anything else is read as a CSV/TSV table. A
    known extension that is none of these (``.xlsx``) gives None.
    """
    if suffix:
        return _FORMATS.get(suffix)
    lines = [line for line in text.splitlines() if line.strip()]
    first = lines[0].strip() if lines else ""
    if first.startswith("{"):
        return "jsonl" if first.endswith("}") and len(lines) > 1 else "json"
    if _TOML_START.match(first) and not (first.startswith("[") and first[1:2] in '{"[0123456789-'):
        return "toml"
    if first.startswith("["):
        return "json"
    return "table"


def load_desired(
    path: Path | str,
    *,
    stores: Mapping[str, StoreInfo],
    default_region: str = "US",
    known_categories: Collection[str] | None = None,
    encoding: str | None = None,
    current: Mapping[str, Mapping[str, str]] | None = None,
    data: bytes | None = None,
    name: str | None = None,
) -> DesiredState:
    """Read and validate ``path`` (or ``data``, e.g. stdin's bytes) against ``stores``.

    With ``data`` the file is not read; ``name`` (default ``str(path)``) is what problems
    are reported against, e.g. ``<stdin>``, and the format comes from ``path``'s
    extension or, without one, from the content (:func:`detect_format`).

    ``current`` (canonical values per store, e.g. from the latest snapshot) is used to
    fill weekday columns left empty in Google's sheet and for cross-field checks
    (primary category repeated in additional ones, special hours without regular hours).
    """
    name = name or str(path)
    state = DesiredState()
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            state.problems.append(Problem(name, 0, "", f"can't read the file: {exc.strerror}"))
            return state
    try:
        text, _used = decode(data, encoding)
    except DecodeError as exc:
        state.problems.append(Problem(name, 0, "", str(exc)))
        return state
    suffix = "" if str(path) == "-" else Path(path).suffix.lower()
    kind = detect_format(suffix, text)
    if kind is None:
        message = ("unsupported file type: use .csv, .tsv, .txt, .toml, .json or .jsonl "
                   "(from Excel: File > Save As > CSV UTF-8)")  # fmt: skip
        state.problems.append(Problem(name, 0, "", message))
        return state
    if not text.strip():
        state.problems.append(Problem(name, 0, "", "the file is empty"))
        return state
    context = _Context(stores, default_region, known_categories, current or {})
    if kind == "toml":
        return load_toml(name, text, stores=stores, default_region=default_region,
                         known_categories=known_categories, current=current,
                         base=None if str(path) == "-" else Path(path).parent)  # fmt: skip
    if kind in ("json", "jsonl"):
        load_json(text, _TableLoader(name, state, context), lines=kind == "jsonl")
        return state
    delimiter = sniff_delimiter(text, "\t" if suffix == ".tsv" else ",")
    loader = _TableLoader(name, state, context)
    try:
        loader.load(text, delimiter)
    except CsvError as exc:
        state.problems.append(Problem(name, exc.line, "", f"malformed CSV: {exc}"))
    return state


def _did_you_mean(word: str, candidates: Collection[str], resolve: Mapping[str, str]) -> str:
    close = closest(word, candidates, limit=1)
    return f" (did you mean {resolve.get(close[0], close[0])}?)" if close else ""


def _cells_of(cells: Mapping[str, Cell], field: str) -> list[Cell]:
    """The cells that set ``field`` (Google's sheet spreads regular hours over seven)."""
    if field == "regular_hours" and field not in cells:
        return sorted((c for r, c in cells.items() if r.startswith("day:")), key=lambda c: c.line)
    return [cells[field]] if field in cells else []


@dataclass(frozen=True)
class _Context:
    """What validating a store's values needs, besides the values."""

    stores: Mapping[str, StoreInfo]
    default_region: str
    known_categories: Collection[str] | None
    current: Mapping[str, Mapping[str, str]]


class _TableLoader:
    """One pass over a CSV/TSV: header → roles, then each row → values or problems.

    :meth:`store` is the per-store half, shared with the JSON reader: one store's cells
    → its values in ``state``, or its problems and the store in ``skipped``.
    """

    def __init__(self, path: str, state: DesiredState, context: _Context) -> None:
        self.path = path
        self.state = state
        self.context = context
        self.google = False
        self.seen: dict[str, int] = {}

    def problem(self, line: int, column: str, message: str, store: str | None = None) -> None:
        self.state.problems.append(Problem(self.path, line, column, message, store))

    def load(self, text: str, delimiter: str) -> None:
        rows = read_rows(text, delimiter)
        header = next(rows, None)
        if header is None:
            self.problem(0, "", "the file is empty (expected a header row)")
            return
        headers = [h.strip().lstrip("\ufeff").strip() for h in header.cells]
        self.google = looks_like_google_sheet(headers)
        roles = self._roles(headers, header.line)
        if roles is None:
            return
        count = 0
        for row in rows:
            self._row(row, headers, roles)
            count += 1
        if not count:
            self.problem(header.line, "", "no rows under the header: the file sets nothing")

    def role(self, header: str) -> str | None:
        """The field a column (or JSON key) sets; ``""`` for an ignored one; None: unknown."""
        if self.google:
            return google_role(header)
        key = header.lower()
        return key if key in _LOCALCX_COLUMNS else COLUMN_ALIASES.get(key)

    def did_you_mean(self, header: str) -> str:
        if self.google:
            return _did_you_mean(header, KNOWN_HEADERS, {})
        names = (*_LOCALCX_COLUMNS, *COLUMN_ALIASES)
        return _did_you_mean(header.lower(), names, COLUMN_ALIASES)

    def _roles(self, headers: list[str], line: int) -> dict[int, str] | None:
        roles: dict[int, str] = {}
        taken: dict[str, str] = {}
        for index, header in enumerate(headers):
            if not header:
                continue  # checked per row: data under a blank header is a problem
            role = self.role(header)
            if role is None:
                self.problem(line, header, f"unknown column{self.did_you_mean(header)}")
            elif role and role in taken:
                self.problem(line, header, f'same field as column "{taken[role]}"')
            elif role:
                roles[index] = role
                taken[role] = header
        if STORE_CODE not in taken:
            expected = "Store code" if self.google else STORE_CODE
            self.problem(line, "", f"no {expected} column: every row needs a store code")
            return None
        return roles

    def _row(self, row: Row, headers: list[str], roles: dict[int, str]) -> None:
        cells: dict[str, Cell] = {}
        stray: list[int] = []
        for index, text in enumerate(row.cells):
            header = headers[index] if index < len(headers) else ""
            if index >= len(headers) or not header:
                if text.strip():
                    stray.append(index)
                continue
            if index in roles and text.strip():
                cells[roles[index]] = Cell(header, text.strip(), row.lines[index])
        code_header = next(h for i, h in enumerate(headers) if roles.get(i) == STORE_CODE)
        code = cells[STORE_CODE].text if STORE_CODE in cells else ""
        for index in stray:
            self.problem(row.lines[index], f"#{index + 1}", "value in a column with no header",
                         code)  # fmt: skip
        self.store(row.line, code_header, cells, bad=bool(stray))

    def store(self, line: int, code_header: str, cells: dict[str, Cell], bad: bool = False) -> None:
        """One store's cells (``store_code`` among them) → values, or problems and skipped."""
        code_cell = cells.pop(STORE_CODE, None)
        if code_cell is None:
            self.problem(line, code_header, "missing store code", "")
            return
        code = code_cell.text
        try:
            check_characters("a store code", code)
        except FieldError as exc:
            self.problem(code_cell.line, code_header, str(exc), code)
            self.state.skipped.append(code)
            return
        if code in self.seen:
            self.problem(
                line, code_header, f'store code "{code}" is also on line {self.seen[code]}', code
            )
            self._drop(code)
            return
        self.seen[code] = line
        if code not in self.context.stores:
            hint = _did_you_mean(code, self.context.stores, {})
            self.problem(line, code_header, f'unknown store code "{code}"{hint}', code)
            self.state.skipped.append(code)
            return
        before = len(self.state.problems)
        values = self._values(code, cells)
        if bad or len(self.state.problems) > before:
            self.state.skipped.append(code)
            return
        if values:  # a row with only a store code changes nothing
            self.state.values[code] = values
            self.state.sources[code] = (self.path, line)

    def _values(self, code: str, cells: dict[str, Cell]) -> dict[str, str]:
        context = self.context
        region = context.stores[code].region or context.default_region
        current = context.current.get(code, {})
        values: dict[str, str] = {}
        if self.google:
            values, errors = row_values(cells, region=region, known_categories=context.known_categories,
                                        current_hours=current.get("regular_hours", ""))  # fmt: skip
            for cell, message in errors:
                self.problem(cell.line, cell.header, message, code)
        else:
            for role, cell in cells.items():
                try:
                    values[role] = parse_value(role, cell.text, region=region,
                                               known_categories=context.known_categories)  # fmt: skip
                except FieldError as exc:
                    self.problem(cell.line, cell.header, str(exc), code)
        if context.current:
            changed = {f for f, v in values.items() if v != current.get(f, "")}
            for involved, message in cross_check({**current, **values}):
                found = [c for f in involved if f in changed for c in _cells_of(cells, f)]
                if found:
                    self.problem(found[0].line, found[0].header, message, code)
        return values

    def _drop(self, code: str) -> None:
        """A duplicated store code: neither row is trusted."""
        self.state.values.pop(code, None)
        self.state.sources.pop(code, None)
        if code not in self.state.skipped:
            self.state.skipped.append(code)
