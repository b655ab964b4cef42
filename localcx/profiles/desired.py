"""Load a desired-state file (CSV/TSV in localcx's or Google's layout, or TOML) and validate it.

Validation happens here, before any call to Google, and collects **every** problem with
its ``file:line:column`` so one run shows the user everything to fix.

Formats, chosen by extension and, for tables, by the header:

* ``.toml``: defaults, selector rules and per-store tables (see :mod:`.toml_desired`).
* ``.csv`` / ``.tsv`` / ``.txt``: comma or tab separated (sniffed from the header line).
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
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from pathlib import Path

from localcx.profiles.fields import FIELD_NAMES, FieldError, cross_check, parse_value
from localcx.profiles.google_sheet import (
    KNOWN_HEADERS,
    Cell,
    google_role,
    looks_like_google_sheet,
    row_values,
)
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

__all__ = ["DesiredState", "Problem", "StoreInfo", "load_desired"]

STORE_CODE = "store_code"
COLUMN_ALIASES = {
    "phone": "primary_phone", "hours": "regular_hours", "holiday_hours": "special_hours",
    "category": "primary_category", "status": "open_status", "url": "website",
}  # fmt: skip
_LOCALCX_COLUMNS = (STORE_CODE, *FIELD_NAMES)


def load_desired(
    path: Path,
    *,
    stores: Mapping[str, StoreInfo],
    default_region: str = "US",
    known_categories: Collection[str] | None = None,
    encoding: str | None = None,
    current: Mapping[str, Mapping[str, str]] | None = None,
) -> DesiredState:
    """Read and validate ``path`` against the known ``stores``.

    ``current`` (canonical values per store, e.g. from the latest snapshot) is used to
    fill weekday columns left empty in Google's sheet and for cross-field checks
    (primary category repeated in additional ones, special hours without regular hours).
    """
    name = str(path)
    state = DesiredState()
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
    suffix = Path(path).suffix.lower()
    if suffix == ".toml":
        return load_toml(name, text, stores=stores, default_region=default_region,
                         known_categories=known_categories, current=current)  # fmt: skip
    if suffix not in (".csv", ".tsv", ".txt"):
        state.problems.append(
            Problem(
                name,
                0,
                "",
                "unsupported file type: use .csv, .tsv, .txt or .toml "
                "(from Excel: File > Save As > CSV UTF-8)",
            )
        )
        return state
    delimiter = sniff_delimiter(text, "\t" if suffix == ".tsv" else ",")
    loader = _TableLoader(name, state, stores, default_region, known_categories, current or {})
    try:
        loader.load(text, delimiter)
    except CsvError as exc:
        state.problems.append(Problem(name, exc.line, "", f"malformed CSV: {exc}"))
    return state


def _did_you_mean(word: str, candidates: Collection[str], resolve: Mapping[str, str]) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {resolve.get(close[0], close[0])}?)" if close else ""


def _cells_of(cells: Mapping[str, Cell], field: str) -> list[Cell]:
    """The cells that set ``field`` (Google's sheet spreads regular hours over seven)."""
    if field == "regular_hours" and field not in cells:
        return sorted((c for r, c in cells.items() if r.startswith("day:")), key=lambda c: c.line)
    return [cells[field]] if field in cells else []


class _TableLoader:
    """One pass over a CSV/TSV: header → roles, then each row → values or problems."""

    def __init__(
        self,
        path: str,
        state: DesiredState,
        stores: Mapping[str, StoreInfo],
        default_region: str,
        known_categories: Collection[str] | None,
        current: Mapping[str, Mapping[str, str]],
    ) -> None:
        self.path = path
        self.state = state
        self.stores = stores
        self.default_region = default_region
        self.known_categories = known_categories
        self.current = current
        self.google = False
        self.seen: dict[str, int] = {}

    def problem(self, line: int, column: str, message: str) -> None:
        self.state.problems.append(Problem(self.path, line, column, message))

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
        for row in rows:
            self._row(row, headers, roles)

    def _role(self, header: str) -> str | None:
        if self.google:
            return google_role(header)
        key = header.lower()
        return key if key in _LOCALCX_COLUMNS else COLUMN_ALIASES.get(key)

    def _roles(self, headers: list[str], line: int) -> dict[int, str] | None:
        roles: dict[int, str] = {}
        taken: dict[str, str] = {}
        for index, header in enumerate(headers):
            if not header:
                continue  # checked per row: data under a blank header is a problem
            role = self._role(header)
            if role is None:
                if self.google:
                    hint = _did_you_mean(header, KNOWN_HEADERS, {})
                else:
                    names = (*_LOCALCX_COLUMNS, *COLUMN_ALIASES)
                    hint = _did_you_mean(header.lower(), names, COLUMN_ALIASES)
                self.problem(line, header, f"unknown column{hint}")
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
        for index, text in enumerate(row.cells):
            header = headers[index] if index < len(headers) else ""
            if index >= len(headers) or not header:
                if text.strip():
                    self.problem(
                        row.lines[index], f"#{index + 1}", "value in a column with no header"
                    )
                continue
            if index in roles and text.strip():
                cells[roles[index]] = Cell(header, text.strip(), row.lines[index])
        code_header = next(h for i, h in enumerate(headers) if roles.get(i) == STORE_CODE)
        code_cell = cells.pop(STORE_CODE, None)
        if code_cell is None:
            self.problem(row.line, code_header, "missing store code")
            return
        code = code_cell.text
        before = len(self.state.problems)
        if code in self.seen:
            self.problem(
                row.line, code_header, f'store code "{code}" is also on line {self.seen[code]}'
            )
            self._drop(code)
            return
        self.seen[code] = row.line
        if code not in self.stores:
            hint = _did_you_mean(code, self.stores, {})
            self.problem(row.line, code_header, f'unknown store code "{code}"{hint}')
            self.state.skipped.append(code)
            return
        values = self._values(code, cells)
        if len(self.state.problems) > before:
            self.state.skipped.append(code)
            return
        if values:  # a row with only a store code changes nothing
            self.state.values[code] = values
            self.state.sources[code] = (self.path, row.line)

    def _values(self, code: str, cells: dict[str, Cell]) -> dict[str, str]:
        region = self.stores[code].region or self.default_region
        current = self.current.get(code, {})
        values: dict[str, str] = {}
        if self.google:
            values, errors = row_values(cells, region=region, known_categories=self.known_categories,
                                        current_hours=current.get("regular_hours", ""))  # fmt: skip
            for cell, message in errors:
                self.problem(cell.line, cell.header, message)
        else:
            for role, cell in cells.items():
                try:
                    values[role] = parse_value(role, cell.text, region=region,
                                               known_categories=self.known_categories)  # fmt: skip
                except FieldError as exc:
                    self.problem(cell.line, cell.header, str(exc))
        if self.current:
            changed = {f for f, v in values.items() if v != current.get(f, "")}
            for involved, message in cross_check({**current, **values}):
                found = [c for f in involved if f in changed for c in _cells_of(cells, f)]
                if found:
                    self.problem(found[0].line, found[0].header, message)
        return values

    def _drop(self, code: str) -> None:
        """A duplicated store code: neither row is trusted."""
        self.state.values.pop(code, None)
        self.state.sources.pop(code, None)
        if code not in self.state.skipped:
            self.state.skipped.append(code)
