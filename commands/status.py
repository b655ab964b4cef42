"""`localcx status`: the morning board across stores, and an exit code cron can act on."""

from __future__ import annotations

from typing import Any

import typer

from localcx.commands._common import StoresOpt, state
from localcx.commands._output import output_options
from localcx.exitcodes import ExitCode
from localcx.render import OutputFormat, Terminal, record, rows
from localcx.report.status import Board, StoreStatus, board, selection_of

NEXT_STEP = {
    "profiles": "localcx profiles resume, or see localcx profiles history",
    "posts": "localcx posts list --status failed",
    "rank": "localcx rank scan --resume",
}
SHOWN = 20  # rows on the board for people: the ones needing a person come first
COLUMNS = ["store", "rating", "trend", "unreplied", "negative", "arp", "drift", "posts"]
RULES = (
    "exit 3 when a store has an unreplied 1–2★ review of the last 90 days, a rejected post or reply, a failed post "
    "or open drift, or the latest profiles, posts or rank run is partial or interrupted"
)


def _figure(value: float | None, places: int = 1) -> str:
    return "" if value is None else f"{value:.{places}f}"


def _trend(value: float | None) -> str:
    if value is None:
        return ""
    return "±0.0" if abs(value) < 0.05 else f"{'+' if value > 0 else '−'}{abs(value):.1f}"


def _posts(s: StoreStatus) -> str:
    parts = [f"{n} {word}" for n, word in ((s.posts_due, "due"), (s.posts_rejected, "rej"), (s.posts_failed, "fail")) if n]
    return ", ".join(parts)


def _row(s: StoreStatus) -> dict[str, Any]:
    return {
        "store": s.store,
        "rating": _figure(s.rating),
        "trend": _trend(s.trend),
        "unreplied": f"{s.unreplied} ({s.unreplied_negative} low)" if s.unreplied_negative else (str(s.unreplied) if s.unreplied else ""),
        "negative": "" if s.negative_share is None else f"{s.negative_share:.0%}",
        "arp": _figure(s.last_arp, 1),
        "drift": str(s.open_drift) if s.open_drift else "",
        "posts": _posts(s),
    }


def _json(result: Board) -> dict[str, Any]:
    return {
        "needs_attention": result.needs_person,
        "stores_needing_attention": sum(1 for s in result.stores if s.needs),
        "runs": result.runs,
        "rules": RULES,
        "stores": [s.as_dict() for s in result.stores],
    }


@output_options(OutputFormat.json)
def status(ctx: typer.Context, fmt: OutputFormat, selection: StoresOpt = "all") -> None:
    """One screen across stores: rating and trend, unreplied reviews, negative share, last
    ARP, open drift, posts due or rejected; worst first. Exit 3 when something needs a
    person (an unreplied 1–2★ review, a rejected post or reply, a failed post, open drift,
    a partial or interrupted run); 0 otherwise."""
    app_state = state(ctx)
    result = board(app_state.db, selection_of(app_state.db, selection), app_state.clock.utcnow())
    if fmt is OutputFormat.json:
        record(_json(result), fmt, terminal=app_state.terminal)
    else:
        _draw(app_state.terminal, result)
    raise typer.Exit(int(ExitCode.PARTIAL if result.needs_person else ExitCode.OK))


def _draw(terminal: Terminal, result: Board) -> None:
    needing = [s for s in result.stores if s.needs]
    out = terminal.out
    headline = f"{len(result.stores):,} stores · {len(needing):,} need a person" if result.stores else "no stores: run localcx locations sync"
    out.print(headline, markup=False, highlight=False)
    if result.stores:
        rows([_row(s) for s in result.stores[:SHOWN]], OutputFormat.table, columns=COLUMNS, terminal=terminal)
        if len(result.stores) > SHOWN:
            out.print(f"… {len(result.stores) - SHOWN:,} more stores (all of them with --json)", markup=False)
    for s in needing[:SHOWN]:
        out.print(f"! {s.store}: {', '.join(s.needs)}", markup=False)
    if len(needing) > SHOWN:
        out.print(f"! … and {len(needing) - SHOWN:,} more stores need a person (see --json)", markup=False)
    for run in result.runs:
        what = f"{run['failed']} failed, {run['open']} open"
        out.print(f"! {run['area']} run {run['id']} is {run['status']} ({what}): {NEXT_STEP[run['area']]}", markup=False)
