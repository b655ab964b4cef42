"""TOML desired state: defaults for every store, selector rules, per-store overrides.

A chain with hundreds of stores rarely wants one row per store; it wants "all Tokyo stores
close at 21:00 on Sundays, except these two". The format::

    [defaults]                         # every known store
    website = "https://example.com/stores"
    regular_hours = "Mon-Fri 09:00-18:00; Sat 10:00-16:00"

    [[rule]]                           # applied in file order, after [defaults]
    stores = "label:tokyo"             # "all" | "label:NAME" | "TKY-001,TKY-002" | a list of these
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

import difflib
import re
import tomllib
from collections.abc import Collection, Mapping
from typing import Any

from localcx.profiles.fields import FIELD_NAMES, FieldError, cross_check, parse_value
from localcx.profiles.problems import DesiredState, Problem, StoreInfo

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
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


Layer = tuple[list[str], TableId, dict[str, Any]]


class _Reader:
    """Problems with their lines, deduplicated (one default checked for many stores)."""

    def __init__(self, path: str, text: str, state: DesiredState) -> None:
        self.path = path
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
) -> DesiredState:
    """Parse and validate a TOML desired-state text; see the module docstring."""
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
    reader = _Reader(path, text, state)
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
        codes = _select(rule["stores"], stores,
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


def _select(selector: Any, stores: Mapping[str, StoreInfo], report: Any) -> list[str]:
    """``all`` | ``label:NAME`` | comma-separated codes (or a list of these) → store codes."""
    items: list[str] = []
    for part in selector if isinstance(selector, list) else [selector]:
        if not isinstance(part, str):
            report("selector must be a string or an array of strings")
            return []
        items.extend(p.strip() for p in part.split(",") if p.strip())
    if not items:
        report('selects no store: write "all", "label:NAME" or store codes')
    chosen: dict[str, None] = {}
    labels = {label for info in stores.values() for label in info.labels}
    for item in items:
        if item.lower() == "all":
            chosen.update(dict.fromkeys(stores))
        elif item.lower().startswith("label:"):
            label = item[6:].strip()
            matched = [c for c, info in stores.items() if label in info.labels]
            if not matched:
                report(f'"{item}" matches no store{_hint(label, labels)}')
            chosen.update(dict.fromkeys(matched))
        elif item in stores:
            chosen[item] = None
        else:
            report(f'unknown store code "{item}"{_hint(item, stores)}')
    return list(chosen)
