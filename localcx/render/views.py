"""The screens people read, drawn in one place: a plan's diff, a store, a list of checks.

Commands hand over plain data (the library's dicts and dataclasses' `as_dict()`); what is
shown and how it fits the terminal is decided here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from localcx.render import human
from localcx.render.output import text_diff
from localcx.render.terminal import Terminal

MAX_PLAN_ROWS = 200  # a person reads the first stores; scripts take --json or --csv


def plan_diff(
    terminal: Terminal, plan_id: str, stores: Sequence[Mapping[str, Any]], fields: Sequence[str]
) -> int:
    """Before and after of each planned field, changed words marked; returns rows shown.

    `stores` are a plan's changes as dicts (`store_code`, `title`, `fields`, `before`,
    `after`); `fields` orders the columns of a store."""
    width = terminal.out.width
    table = Table(title=f"Plan {plan_id}", header_style="bold", title_justify="left")
    code_width = max([5, *(len(str(s["store_code"])) for s in stores[:MAX_PLAN_ROWS])])
    table.add_column("store", no_wrap=True, min_width=code_width, max_width=max(code_width, width // 4))
    table.add_column("field", no_wrap=True)
    table.add_column("before", overflow="fold", ratio=1)
    table.add_column("after", overflow="fold", ratio=1)
    for store in stores[:MAX_PLAN_ROWS]:
        names = [name for name in fields if name in store["after"]]
        for i, name in enumerate(names):
            before, after = text_diff(store["before"].get(name, ""), store["after"][name])
            label = Text(str(store["store_code"])) if i == 0 else Text("")
            if i == 1 and store.get("title"):
                label = Text(str(store["title"]), style="dim", overflow="ellipsis", no_wrap=True)
            table.add_row(
                label, name, before if before.plain else "—", after if after.plain else "(cleared)"
            )
    terminal.out.print(table)
    return min(len(stores), MAX_PLAN_ROWS)


def store_panel(terminal: Terminal, detail: Mapping[str, Any], profile: Mapping[str, str]) -> None:
    """One store: its synced columns, then its profile values with hours one day a line."""
    table = Table(show_header=False, box=None)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for key, value in detail.items():
        table.add_row(key, human.cell(value, key))
    table.add_section()
    for key, value in profile.items():
        if value and key not in detail:
            shown = value.replace("; ", "\n") if key.endswith("hours") else human.cell(value, key)
            table.add_row(key, shown)
    title = f"{detail.get('store_code') or ''} · {detail.get('title') or ''}"
    terminal.out.print(Panel(table, title=title, expand=False))


def checks(terminal: Terminal, items: Iterable[Mapping[str, Any]]) -> None:
    """Doctor's checks: a mark, the check and what it found."""
    table = Table(show_header=False, box=None)
    table.add_column(no_wrap=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for item in items:
        mark = Text("ok", style="green") if item["ok"] else Text("FAIL", style="bold red")
        table.add_row(mark, human.cell(item["check"]), human.cell(item["detail"], "detail"))
    terminal.out.print(table)
