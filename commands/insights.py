"""`localcx insights`: Google's daily performance metrics and monthly search keywords,
synced into the workspace database and read from it offline."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import typer

from localcx import stores
from localcx.commands._common import AppState, StoresOpt, Typer, state
from localcx.commands._output import output_options
from localcx.errors import LocalcxError, NotFoundError, UsageError
from localcx.exitcodes import ExitCode
from localcx.insights import metrics, store, summary, sync, windows
from localcx.render import OutputFormat, record, rows
from localcx.render.heatmap import sparkline
from localcx.render.human import plural

app = Typer(no_args_is_help=True, help="Daily metrics (views, calls, directions, clicks) and search keywords.")

SinceOpt = Annotated[str | None, typer.Option("--since", help="From this day (YYYY-MM-DD).")]
TABLE_BUCKETS = 28  # a sparkline in the table shows at most this many buckets (80 columns)


class Bucket(StrEnum):
    day = "day"
    week = "week"
    month = "month"


def _since(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--since {text!r} is not a date", hint="give YYYY-MM-DD, e.g. 2026-01-31") from None
    if day < windows.EARLIEST:
        raise UsageError(
            f"--since {day.isoformat()} is before {windows.EARLIEST.isoformat()}",
            hint=f"Google keeps daily metrics from {windows.EARLIEST.isoformat()}",
        )
    return day


def _codes(app_state: AppState) -> dict[str, str]:
    return {s.location_id: s.key for s in stores.stored_locations(app_state.db)}


@app.command("sync", epilog="Example: localcx insights sync --stores label:tokyo-west --json")
@output_options(OutputFormat.json)
def sync_command(ctx: typer.Context, fmt: OutputFormat, selection: StoresOpt = "all", since: SinceOpt = None) -> None:
    """Fetch every daily metric (18 months the first time, then what is new plus a few days
    Google fills in late) and the monthly search keywords; resumable, exit 3 when some
    stores failed."""
    app_state = state(ctx)
    settings = app_state.workspace.settings
    keys = app_state.selected(selection)
    start = _since(since)
    total = len(keys) if keys is not None else stores.store_count(app_state.db)
    with app_state.workspace.exclusive(sync.AREA, app_state.say), app_state.progress("Syncing insights", total) as advance:
        outcome = sync.sync(
            app_state.db, app_state.google, keys, clock=app_state.clock, timezone=settings.timezone,
            since=start, workers=settings.http.workers, progress=advance,
        )
    figures = outcome.summary()
    for failure in figures["failures"]:
        app_state.warn(f"failed {failure['store']}: {failure['error']}")
    if fmt is OutputFormat.json:
        record(figures, fmt, terminal=app_state.terminal)
    else:
        app_state.say(
            f"Synced {plural(figures['stores'], 'store')} with {plural(figures['requests'], 'request')}: "
            f"{plural(figures['days'], 'store-day')}, {plural(figures['keywords'], 'keyword figure')}"
            f" ({figures['status']}); see: localcx insights show"
        )
    if outcome.stop_error is not None:
        raise outcome.stop_error
    if figures["failures"]:
        raise LocalcxError(
            f"{plural(len(figures['failures']), 'store')} failed; the others are synced",
            hint="see the lines above; run localcx insights sync again once fixed",
            exit_code=ExitCode.PARTIAL,
        )


def _change(value: float | int | None, suffix: str = "") -> str:
    return "—" if value is None else f"{value:+,}{suffix}" if isinstance(value, int) else f"{value:+.1f}{suffix}"


@app.command("show", epilog="Example: localcx insights show --stores TKY-001 --metric calls --metric directions --by week")
@output_options()
def show(
    ctx: typer.Context,
    fmt: OutputFormat,
    selection: StoresOpt = "all",
    metric: Annotated[
        list[str] | None,
        typer.Option("--metric", help="A metric: CALL_CLICKS, calls, website, directions, maps, search, views, all (repeatable)."),
    ] = None,
    since: SinceOpt = None,
    by: Annotated[Bucket, typer.Option("--by", help="Bucket size of the trend.")] = Bucket.week,
    combined: Annotated[bool, typer.Option("--combined", help="Add the selected stores up.")] = False,
) -> None:
    """Totals per metric for the period, the change against the period of equal length
    before it, and a trend sparkline. --csv writes one row per bucket."""
    app_state = state(ctx)
    chosen = metrics.resolve(metric) if metric else list(metrics.DEFAULT_SHOWN)
    result = summary.summarise(
        app_state.db, app_state.selected_ids(selection), chosen, since=_since(since), by=by.value, combined=combined
    )
    period = result.period()
    if fmt is OutputFormat.csv:
        rows(
            ({"store_code": r["store_code"], "location_id": r["location_id"], "metric": r["metric"],
              "name": r["name"], "period": b["period"], "value": b["value"]} for r in result.rows for b in r["series"]),
            fmt, terminal=app_state.terminal,
        )
        return
    if fmt is not OutputFormat.table:
        rows(({**r, **period} for r in result.rows), fmt, terminal=app_state.terminal)
        return
    days = (result.end - result.start).days + 1
    app_state.say(
        f"{result.start.isoformat()} to {result.end.isoformat()} ({plural(days, 'day')}), change against the "
        f"{days} days before; trend by {by.value}"
    )
    table = [
        {"store_code": r["store_code"], "metric": r["name"], "total": f"{r['total']:,}",
         "change": _change(r["change_pct"], "%"),
         "trend": sparkline([b["value"] for b in r["series"]][-TABLE_BUCKETS:], lower_is_better=False)}
        for r in result.rows
    ]
    rows(table, fmt, terminal=app_state.terminal, empty="no figures for these metrics", quiet=app_state.quiet)


_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _figure(value: int | None, threshold: int | None) -> str:
    """A count as it is, a threshold as "<15": never shown as if it were a count."""
    if value is not None:
        return f"{value:,}"
    if threshold is not None:
        return f"<{threshold}"
    return "—"


@app.command("keywords", epilog="Example: localcx insights keywords --stores TKY-001 --month 2026-08 --limit 20 --csv")
@output_options()
def keywords(
    ctx: typer.Context,
    fmt: OutputFormat,
    selection: StoresOpt = "all",
    month: Annotated[str | None, typer.Option("--month", help="YYYY-MM (default: the latest month stored).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Keywords per store.")] = 10,
) -> None:
    """The search keywords that showed each store most in a month, with the change against
    the month before; figures Google only bounds show as "<15" and are never added up."""
    app_state = state(ctx)
    locations = app_state.selected_ids(selection)
    if month is not None and not _MONTH.match(month):
        raise UsageError(f"--month {month!r} is not a month", hint="give YYYY-MM, e.g. 2026-08")
    known = store.keyword_months(app_state.db, locations)
    if not known:
        raise NotFoundError("no search keywords stored for these stores yet", hint="run: localcx insights sync")
    chosen = month or known[0]
    codes = _codes(app_state)
    found: list[dict[str, Any]] = [
        {"store_code": codes.get(r["location_id"], r["location_id"]), "month": chosen, **r}
        for r in store.top_keywords(app_state.db, locations, chosen, limit)
    ]
    if fmt is not OutputFormat.table:
        rows(found, fmt, terminal=app_state.terminal)
        return
    app_state.say(f"Search keywords in {chosen}, change against {store.previous_month(chosen)}")
    table = [
        {"store_code": r["store_code"], "rank": r["rank"], "keyword": r["keyword"],
         "searches": _figure(r["value"], r["threshold"]),
         "before": _figure(r["previous_value"], r["previous_threshold"]), "change": _change(r["change"])}
        for r in found
    ]
    rows(table, fmt, terminal=app_state.terminal, empty=f"no keywords in {chosen}", quiet=app_state.quiet)
