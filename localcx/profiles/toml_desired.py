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
    seen: set[tuple[int, str, str]] = set()

    def problem(line: int, column: str, message: str) -> None:
        if (line, column, message) not in seen:
            seen.add((line, column, message))
            state.problems.append(Problem(path, line, column, message))

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        problem(int(found[1]) if found else 0, "", f"invalid TOML: {exc}")
        return state
    where = _Locator(text)
    for key in doc:
        if key not in _TOP_LEVEL:
            problem(where.top(key), key,
                    f"unknown table{_hint(key, _TOP_LEVEL)}")  # fmt: skip

    layers: list[tuple[list[str], TableId, dict[str, Any]]] = []
    defaults = doc.get("defaults", {})
    if isinstance(defaults, Mapping):
        layers.append((list(stores), ("defaults",), dict(defaults)))
    rules = doc.get("rule", [])
    for index, rule in enumerate(rules if isinstance(rules, list) else []):
        table: TableId = ("rule", str(index))
        if not isinstance(rule, Mapping):
            continue
        if "stores" not in rule:
            problem(
                where.line(table), "stores", 'a [[rule]] needs stores = "all" | "label:X" | codes'
            )
            continue
        selector_line = where.line(table, "stores")
        codes = _select(
            rule["stores"], stores, lambda m, line=selector_line: problem(line, "stores", m)
        )
        layers.append((codes, table, {k: v for k, v in rule.items() if k != "stores"}))
    per_store = doc.get("stores", {})
    for code, overrides in per_store.items() if isinstance(per_store, Mapping) else []:
        table = ("stores", code)
        if code not in stores:
            problem(
                where.line(table), "stores", f'unknown store code "{code}"{_hint(code, stores)}'
            )
            state.skipped.append(code)
        elif isinstance(overrides, Mapping):
            layers.append(([code], table, dict(overrides)))

    effective: dict[str, dict[str, tuple[str, TableId]]] = {}
    for codes, table, settings in layers:
        for key, value in settings.items():
            if key not in FIELD_NAMES:
                problem(where.line(table, key), key, f"unknown field{_hint(key, FIELD_NAMES)}")
                continue
            text_value = _as_text(value)
            if text_value is None:
                problem(where.line(table, key), key, "must be a string (or an array of strings)")
                continue
            for code in codes:
                effective.setdefault(code, {})[key] = (text_value, table)
        for code in codes:
            effective.setdefault(code, {})
            state.sources[code] = (path, where.line(table))

    for code, fields in effective.items():
        before = len(state.problems)
        bad = False
        region = stores[code].region or default_region
        values: dict[str, str] = {}
        for key, (raw, source) in fields.items():
            try:
                values[key] = parse_value(
                    key, raw, region=region, known_categories=known_categories
                )
            except FieldError as exc:
                problem(where.line(source, key), key, str(exc))
                bad = True
        if current is not None:
            now = current.get(code, {})
            changed = {f for f, v in values.items() if v != now.get(f, "")}
            for involved, message in cross_check({**now, **values}):
                culprit = next((f for f in involved if f in changed), None)
                if culprit is not None:
                    problem(where.line(fields[culprit][1], culprit), culprit, message)
                    bad = True
        if bad or len(state.problems) > before:
            state.skipped.append(code)
            state.sources.pop(code, None)
        elif values:
            state.values[code] = values
        else:
            state.sources.pop(code, None)
    return state


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
