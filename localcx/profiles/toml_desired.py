"""TOML desired state: defaults for every store, selector rules, per-store overrides.

A chain with hundreds of stores rarely wants one row per store; it wants "all Tokyo stores
close at 21:00 on Sundays, except these two". The format::

    [defaults]                         # every known store
    website = "https://example.com/stores"
    regular_hours = "Mon-Fri 09:00-18:00; Sat 10:00-16:00"

    [[rule]]                           # applied in file order, after [defaults]
    stores = "label:tokyo"             # the --stores grammar: all, codes, label:, country:,
                                       # city:, file: (relative to this file), or a list
    regular_hours = "月-金 11:00-22:00; 土日 11:00-21:00"

    [stores."SEA-014"]                 # one store; wins over defaults and rules
    primary_phone = "+1 206-555-0142"
    labels = ["region-west", "flagship"]   # list fields and hours may be arrays of strings

Keys are the localcx field names. Precedence: defaults < rules (later rules win over
earlier ones) < stores. ``~clear`` clears a field as in CSV. Values are validated per store
(phones use each store's region); problems point at the line of the key (or of the table
header when the key can't be found). A selector that matches no store is a problem, since
it is almost always a typo.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from localcx.errors import LocalcxError
from localcx.profiles.fields import FIELD_NAMES, FieldError, cross_check, parse_value
from localcx.profiles.problems import DesiredState, Problem, StoreInfo
from localcx.stores import selector
from localcx.suggest import in_parentheses

_TOP_LEVEL = ("defaults", "rule", "stores")
_KEY = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*=""")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")

TableId = tuple[str, ...]


def _unquote(part: str) -> str:
    part = part.strip()
    return part[1:-1] if len(part) >= 2 and part[0] == part[-1] and part[0] in "\"'" else part


class _Locator:
    """Line numbers of table headers and keys, which tomllib does not report."""

    def __init__(self, text: str) -> None:
        self.headers: dict[TableId, int] = {}
        self.keys: dict[tuple[TableId, str], int] = {}
        table: TableId = ()
        rules = 0
        in_multiline = False
        for number, line in enumerate(text.splitlines(), start=1):
            quotes = line.count('"""') + line.count("'''")
            if in_multiline:
                in_multiline = quotes % 2 == 0
                continue
            header = _HEADER.match(line)
            if header:
                parts = [_unquote(p) for p in re.findall(r""""[^"]*"|'[^']*'|[^.]+""", header[2])]
                if header[1] == "[[" and parts == ["rule"]:
                    table = ("rule", str(rules))
                    rules += 1
                else:
                    table = tuple(parts)
                self.headers.setdefault(table, number)
            else:
                key = _KEY.match(line)
                if key:
                    name = key[1] or key[2] or key[3]
                    self.keys.setdefault((table, name), number)
            in_multiline = quotes % 2 == 1

    def top(self, name: str) -> int:
        """Line of a top-level key or of the first table header under it."""
        lines = [n for t, n in self.headers.items() if t[:1] == (name,)]
        lines += [n for (t, k), n in self.keys.items() if t == () and k == name]
        return min(lines, default=0)

    def line(self, table: TableId, key: str | None = None) -> int:
        if key is not None and (table, key) in self.keys:
            return self.keys[(table, key)]
        return self.headers.get(table, 0)


def _hint(word: str, candidates: Collection[str]) -> str:
    return in_parentheses(word, candidates)


Layer = tuple[list[str], TableId, dict[str, Any]]


class _Reader:
    """Problems with their lines, deduplicated (one default checked for many stores)."""

    def __init__(self, path: str, text: str, state: DesiredState, base: Path | None = None) -> None:
        self.path = path
        self.base = base  # where `file:` selectors are found: the TOML file's folder
        self.where = _Locator(text)
        self.state = state
        self.seen: set[tuple[int, str, str]] = set()

    def problem(self, line: int, column: str, message: str, store: str | None = None) -> None:
        if (line, column, message) not in self.seen:
            self.seen.add((line, column, message))
            self.state.problems.append(Problem(self.path, line, column, message, store))

    def line_of(self, *names: str) -> int:
        """Line of a top-level key/table, else of a nested one, else 1 (the file)."""
        return next((n for n in (self.where.top(name) for name in names) if n), 1)


def load_toml(
    path: str,
    text: str,
    *,
    stores: Mapping[str, StoreInfo],
    default_region: str,
    known_categories: Collection[str] | None,
    current: Mapping[str, Mapping[str, str]] | None = None,
    base: Path | None = None,
) -> DesiredState:
    """Parse and validate a TOML desired-state text; see the module docstring.

    ``base`` is the folder `file:` selectors are relative to (the TOML file's own)."""
    state = DesiredState()
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        state.problems.append(
            Problem(path, int(found[1]) if found else 0, "", f"invalid TOML: {exc}")
        )
        return state
    except RecursionError:
        state.problems.append(Problem(path, 0, "", "invalid TOML: nested too deeply"))
        return state
    reader = _Reader(path, text, state, base)
    _check_top(doc, reader)
    layers = [*_defaults(doc, stores, reader), *_rules(doc, stores, reader),
              *_per_store(doc, stores, reader)]  # fmt: skip
    effective = _effective(layers, reader)
    for code, fields in effective.items():
        _validate(code, fields, reader, stores[code].region or default_region,
                  known_categories, current)  # fmt: skip
    return state


def _check_top(doc: Mapping[str, Any], reader: _Reader) -> None:
    for key in doc:
        if key in FIELD_NAMES:
            reader.problem(reader.line_of(key), key, "a field outside any table: put it under "
                           '[defaults], a [[rule]] or [stores."CODE"]')  # fmt: skip
        elif key not in _TOP_LEVEL:
            reader.problem(reader.line_of(key), key, f"unknown table{_hint(key, _TOP_LEVEL)}")
    if not any(key in doc for key in _TOP_LEVEL):
        reader.problem(
            0, "", 'no [defaults], [[rule]] or [stores."CODE"] table: the file sets nothing'
        )


def _defaults(
    doc: Mapping[str, Any], stores: Mapping[str, StoreInfo], reader: _Reader
) -> list[Layer]:
    if "defaults" not in doc:
        return []
    defaults = doc["defaults"]
    if not isinstance(defaults, Mapping):
        reader.problem(reader.line_of("defaults"), "defaults",
                       "must be a table: write [defaults] with field = value lines under it")  # fmt: skip
        return []
    return [(list(stores), ("defaults",), dict(defaults))]


def _rules(doc: Mapping[str, Any], stores: Mapping[str, StoreInfo], reader: _Reader) -> list[Layer]:
    if "rule" not in doc:
        return []
    rules, where = doc["rule"], reader.where
    if isinstance(rules, Mapping):
        reader.problem(reader.line_of("rule"), "rule",
                       "write [[rule]] (two brackets): each rule is one of a list")  # fmt: skip
        return []
    if not isinstance(rules, list):
        reader.problem(reader.line_of("rule"), "rule", "must be [[rule]] tables")
        return []
    layers: list[Layer] = []
    for index, rule in enumerate(rules):
        table: TableId = ("rule", str(index))
        if not isinstance(rule, Mapping):
            reader.problem(reader.line_of("rule"), "rule", "must be [[rule]] tables")
            continue
        if "stores" not in rule:
            reader.problem(where.line(table) or reader.line_of("rule"), "stores",
                           'a [[rule]] needs stores = "all" | "label:X" | codes')  # fmt: skip
            continue
        selector_line = where.line(table, "stores") or reader.line_of("rule")
        codes = _select(rule["stores"], stores, reader.base,
                        lambda m, line=selector_line: reader.problem(line, "stores", m))  # fmt: skip
        layers.append((codes, table, {k: v for k, v in rule.items() if k != "stores"}))
    return layers


def _per_store(
    doc: Mapping[str, Any], stores: Mapping[str, StoreInfo], reader: _Reader
) -> list[Layer]:
    if "stores" not in doc:
        return []
    per_store, where = doc["stores"], reader.where
    if not isinstance(per_store, Mapping):
        reader.problem(reader.line_of("stores"), "stores",
                       'must be tables: write [stores."CODE"] with field = value lines under it')  # fmt: skip
        return []
    layers: list[Layer] = []
    for code, overrides in per_store.items():
        table = ("stores", code)
        line = where.line(table) or where.line(("stores",), code) or reader.line_of("stores")
        if code not in stores:
            reader.problem(line, "stores", f'unknown store code "{code}"{_hint(code, stores)}',
                           code)  # fmt: skip
            reader.state.skipped.append(code)
        elif not isinstance(overrides, Mapping):
            reader.problem(line, code,
                           f'must be a table: write [stores."{code}"] with field = value under it',
                           code)  # fmt: skip
            reader.state.skipped.append(code)
        else:
            layers.append(([code], table, dict(overrides)))
    return layers


def _effective(layers: list[Layer], reader: _Reader) -> dict[str, dict[str, tuple[str, TableId]]]:
    """Each store's field → (text, table that set it), later layers winning."""
    effective: dict[str, dict[str, tuple[str, TableId]]] = {}
    where = reader.where
    for codes, table, settings in layers:
        store = codes[0] if table[0] == "stores" else None
        line = where.line(table) or reader.line_of(table[0])
        for key, value in settings.items():
            at = where.line(table, key) or line
            if key not in FIELD_NAMES:
                reader.problem(at, key, f"unknown field{_hint(key, FIELD_NAMES)}", store)
                continue
            text_value = _as_text(value)
            if text_value is None:
                reader.problem(at, key, "must be a string (or an array of strings), not "
                               f"{_toml_type(value)}", store)  # fmt: skip
                continue
            for code in codes:
                effective.setdefault(code, {})[key] = (text_value, table)
        for code in codes:
            effective.setdefault(code, {})
            reader.state.sources[code] = (reader.path, line)
    return effective


def _validate(
    code: str,
    fields: dict[str, tuple[str, TableId]],
    reader: _Reader,
    region: str,
    known_categories: Collection[str] | None,
    current: Mapping[str, Mapping[str, str]] | None,
) -> None:
    """One store's merged settings → its values, or its problems and ``skipped``."""
    state, where = reader.state, reader.where
    bad = code in state.skipped or any(p.store == code for p in state.problems)
    values: dict[str, str] = {}
    for key, (raw, source) in fields.items():
        try:
            values[key] = parse_value(key, raw, region=region, known_categories=known_categories)
        except FieldError as exc:
            reader.problem(where.line(source, key) or 1, key, str(exc), code)
            bad = True
    if current is not None:
        now = current.get(code, {})
        changed = {f for f, v in values.items() if v != now.get(f, "")}
        for involved, message in cross_check({**now, **values}):
            culprit = next((f for f in involved if f in changed), None)
            if culprit is not None:
                reader.problem(where.line(fields[culprit][1], culprit) or 1, culprit, message,
                               code)  # fmt: skip
                bad = True
    if bad:
        if code not in state.skipped:
            state.skipped.append(code)
        state.sources.pop(code, None)
    elif values:
        state.values[code] = values
    else:
        state.sources.pop(code, None)


def _toml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "an array with non-strings"
    return "a date or time"


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    return None


def _facts(stores: Mapping[str, StoreInfo]) -> list[selector.StoreFacts]:
    return [
        selector.StoreFacts(
            code, code.removeprefix("locations/"), tuple(info.labels), info.country, info.city
        )
        for code, info in stores.items()
    ]


def _select(selection: Any, stores: Mapping[str, StoreInfo], base: Path | None, report: Any) -> list[str]:
    """A rule's ``stores``, in the one selector grammar (localcx.stores.selector) → codes."""
    parts = selection if isinstance(selection, list) else [selection]
    if not all(isinstance(part, str) for part in parts):
        report("selector must be a string or an array of strings")
        return []
    if not any(p.strip() for part in parts for p in part.split(",")):
        report('selects no store: write "all", "label:NAME" or store codes')
        return []
    try:
        terms = selector.parse(parts, base=base)
    except LocalcxError as exc:  # a malformed term, or a file: that cannot be read
        report(exc.message)
        return []
    facts = _facts(stores)
    chosen: set[str] = set()
    for term in terms:
        matched, _ = selector.resolve([term], facts)
        if not matched:
            report(_no_match(term, stores))
        chosen.update(matched)
    return [code for code in stores if code in chosen]


def _no_match(term: selector.Term, stores: Mapping[str, StoreInfo]) -> str:
    if term.kind == "code":
        return f'unknown store code "{term.value}"{_hint(term.value, stores)}'
    known = {
        "label": [label for info in stores.values() for label in info.labels],
        "country": [info.country for info in stores.values() if info.country],
        "city": [info.city for info in stores.values() if info.city],
    }.get(term.kind, [])
    return f'"{term.text}" matches no store{_hint(term.value, known)}'
