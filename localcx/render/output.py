"""Output for every listing command: a table for people, JSON/JSONL/CSV for scripts.

Rows are streamed: JSON arrays and CSV are written row by row, so a listing of many
thousand stores never sits in memory twice. Only the table form needs all rows first.
"""

from __future__ import annotations

import csv
import difflib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any, TextIO

from rich.table import Table
from rich.text import Text

from localcx.render import human
from localcx.render.terminal import Terminal


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def _cell(value: Any) -> str:
    """A CSV cell: raw values, lists joined the way desired-state files join them."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _terminal(terminal: Terminal | None, stream: TextIO | None) -> Terminal:
    if terminal is not None:
        return terminal
    return Terminal.for_stream(stream) if stream is not None else Terminal.from_system()


def rows(
    items: Iterable[Mapping[str, Any]],
    fmt: OutputFormat = OutputFormat.table,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    terminal: Terminal | None = None,
    stream: TextIO | None = None,
    empty: str = "nothing to show",
    quiet: bool = False,
) -> int:
    """Write rows in the chosen format; returns how many were written."""
    term = _terminal(terminal, stream)
    out = term.stdout
    count = 0
    if fmt is OutputFormat.json:
        out.write("[")
        for item in items:
            out.write(",\n" if count else "\n")
            out.write(json.dumps(dict(item), ensure_ascii=False, default=str))
            count += 1
        out.write("\n]\n" if count else "]\n")
        return count
    if fmt is OutputFormat.jsonl:
        for item in items:
            out.write(json.dumps(dict(item), ensure_ascii=False, default=str) + "\n")
            count += 1
        return count
    if fmt is OutputFormat.csv:
        writer: csv.DictWriter[str] | None = None
        for item in items:
            if writer is None:
                writer = csv.DictWriter(
                    out,
                    fieldnames=list(columns or item.keys()),
                    extrasaction="ignore",
                    lineterminator="\n",
                )
                writer.writeheader()
            writer.writerow({k: _cell(v) for k, v in item.items()})
            count += 1
        if writer is None and columns:
            csv.writer(out, lineterminator="\n").writerow(columns)
        return count
    materialised = list(items)
    if not materialised:
        if not quiet:
            term.err.print(empty, style="dim", markup=False)
        return 0
    names = list(columns or materialised[0].keys())
    term.out.print(human.table(materialised, names, width=term.out.width, title=title))
    return len(materialised)


def record(
    item: Mapping[str, Any],
    fmt: OutputFormat,
    *,
    terminal: Terminal | None = None,
    stream: TextIO | None = None,
) -> None:
    """One object: JSON for scripts, a two-column key/value table for people."""
    term = _terminal(terminal, stream)
    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        term.stdout.write(json.dumps(dict(item), ensure_ascii=False, default=str) + "\n")
        return
    if fmt is OutputFormat.csv:
        rows([item], fmt, terminal=term)
        return
    table = Table(show_header=False, box=None)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for key, value in item.items():
        table.add_row(key, human.cell(value, key))
    term.out.print(table)


def text_diff(before: str, after: str) -> tuple[Text, Text]:
    """Before and after with the changed words marked, so a long description shows what moved.

    Colour only: without a terminal (or with NO_COLOR) the two texts read as they are.
    """
    old, new = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    left, right = Text(), Text()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            left.append("".join(old[i1:i2]))
            right.append("".join(new[j1:j2]))
            continue
        left.append("".join(old[i1:i2]), style="red strike")
        right.append("".join(new[j1:j2]), style="bold green")
    return left, right
