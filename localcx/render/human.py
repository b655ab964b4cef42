"""How values look to people: local times to the second, yes/no, one list separator,
one phone format, counts in words; and tables that fit the terminal.

Data outputs (`--json`, `--jsonl`, `--csv`) never pass through here: they keep UTC
ISO-8601 timestamps and raw values for scripts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import phonenumbers
from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
# Columns people copy into another command: shown whole, never cut or wrapped.
WHOLE = frozenset(
    {"id", "run", "run_id", "plan", "plan_id", "store", "store_code", "location_id", "place_id"}
)
MIN_WIDTH = 6
GAP = 2  # between two columns: one space of padding and SIMPLE_HEAD's blank divider


def local_time(text: str) -> str:
    """`2026-12-01T08:37:44.123Z` → `2026-12-01 17:37:44` in the machine's time zone."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def phone(text: str) -> str:
    """One way to show a phone number: Google's international format."""
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def counts(values: Mapping[str, Any]) -> str:
    """`{"done": 30, "failed": 1}` → `done 30, failed 1`."""
    return ", ".join(f"{key} {value}" for key, value in values.items()) or "none"


def plural(n: int, one: str, many: str | None = None) -> str:
    """`1 store`, `2 stores`."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def cell(value: Any, column: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(cell(v, column) for v in value)
    if isinstance(value, dict):
        if all(isinstance(v, int | float) for v in value.values()):
            return counts(value)
        return ", ".join(f"{k}: {cell(v)}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:.6g}"
    text = str(value)
    if _ISO.match(text):
        return local_time(text)
    if "phone" in column and text.startswith("+"):
        return phone(text)
    return text


def _uncut(name: str) -> bool:
    """Ids people copy, times and phones people read whole."""
    return name in WHOLE or name.endswith("_at") or "phone" in name


def _widths(
    columns: Sequence[str], cells: Sequence[Sequence[str]], room: int
) -> tuple[list[int], list[int]]:
    """Which columns fit `room` and how wide each is: natural widths, then the widest
    cuttable columns narrowed, then (if still too wide) the last columns left out."""
    widths = [
        max([cell_len(name), *(cell_len(line) for row in cells for line in row[i].splitlines() or [""])])
        for i, name in enumerate(columns)
    ]
    kept = list(range(len(columns)))
    floor = {i: min(widths[i], max(MIN_WIDTH, len(columns[i]) // 2)) for i in kept}
    while True:
        budget = room - GAP * (len(kept) - 1)
        cuttable = [i for i in kept if not _uncut(columns[i]) and widths[i] > floor[i]]
        while sum(widths[i] for i in kept) > budget and cuttable:
            widest = max(cuttable, key=lambda i: widths[i])
            widths[widest] -= 1
            if widths[widest] <= floor[widest]:
                cuttable.remove(widest)
        if sum(widths[i] for i in kept) <= budget or len(kept) == 1:
            return kept, widths
        dropped = next((i for i in reversed(kept) if columns[i] not in WHOLE), kept[-1])
        kept.remove(dropped)


def table(
    items: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    width: int,
    title: str | None = None,
    styles: Mapping[str, str] | None = None,
) -> Table:
    """A table of `items` that fits `width`: long text ends in …, ids, times and phones
    stay whole; columns that still do not fit are left out from the right (--json has all)."""
    cells = [[cell(item.get(name), name) for name in columns] for item in items]
    kept, widths = _widths(columns, cells, width)
    out = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
        header_style="bold",
        title_justify="left",
    )
    for i in kept:
        out.add_column(columns[i], no_wrap=True, overflow="ellipsis", width=widths[i])
    for row in cells:
        out.add_row(*(Text(row[i], style=(styles or {}).get(row[i], "")) for i in kept))
    return out


def pretty_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
