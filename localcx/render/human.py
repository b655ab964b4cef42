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
from rich.table import Table
from rich.text import Text

_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
# Columns people copy into another command: shown whole, never cut or wrapped.
WHOLE = frozenset(
    {"id", "run", "run_id", "plan", "plan_id", "store", "store_code", "location_id", "place_id"}
)
MIN_WIDTH = 6
GAP = 3  # what rich puts between two columns of a SIMPLE_HEAD table without edges


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


def _widths(columns: Sequence[str], cells: Sequence[Sequence[str]], room: int) -> list[int]:
    """Natural widths, then the widest cuttable columns narrowed until the table fits."""
    widths = [
        max([len(name), *(len(line) for row in cells for line in row[i].splitlines() or [""])])
        for i, name in enumerate(columns)
    ]
    room -= GAP * (len(columns) - 1)
    cuttable = [i for i, name in enumerate(columns) if name not in WHOLE]
    while sum(widths) > room:
        widest = max(cuttable, key=lambda i: widths[i], default=None)
        if widest is None or widths[widest] <= max(MIN_WIDTH, len(columns[widest]) // 2):
            break
        widths[widest] -= 1
    return widths


def table(
    items: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    width: int,
    title: str | None = None,
    styles: Mapping[str, str] | None = None,
) -> Table:
    """A table of `items` that fits `width`: long text ends in …, ids stay whole."""
    cells = [[cell(item.get(name), name) for name in columns] for item in items]
    widths = _widths(columns, cells, width)
    out = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
        title_justify="left",
    )
    for name, size in zip(columns, widths, strict=True):
        out.add_column(name, no_wrap=True, overflow="ellipsis", width=size)
    for row in cells:
        out.add_row(*(Text(value, style=(styles or {}).get(value, "")) for value in row))
    return out


def pretty_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
