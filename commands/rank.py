"""`localcx rank`: where each store shows in Google's local results across a grid around it
(the Places API's ranking, which approximates the Maps local pack; see README)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from localcx import schedule, stores
from localcx.clock import iso
from localcx.commands._common import AppState, StoresOpt, Typer, state
from localcx.commands._output import output_options
from localcx.errors import UsageError
from localcx.exitcodes import ExitCode
from localcx.google.places import RANK_MASK
from localcx.rank import competitors, keywords, runner, scans
from localcx.rank.cost import price_table, request_cost
from localcx.rank.geojson import feature_collection
from localcx.rank.grid import build_grid, grid_spacing
from localcx.rank.metrics import change, scan_metrics
from localcx.rank.scanner import AREA
from localcx.render import OutputFormat, record, rows
from localcx.render.heatmap import print_heatmap, sparkline
from localcx.render.human import plural

app = Typer(no_args_is_help=True, help="Map rank on a geo-grid: keywords, cost, scans, heatmaps.")
keywords_app = Typer(no_args_is_help=True, help="The keywords tracked for each store.")
app.add_typer(keywords_app, name="keywords")

KeywordsOpt = Annotated[
    str | None, typer.Option("--keywords", help="Only these keywords (comma-separated).")
]
BudgetOpt = Annotated[
    float | None,
    typer.Option("--budget", help="Stop before spending more than this (US dollars) on this run."),
]


def _tracked(app_state: AppState, selection: str, words: str | None) -> list[keywords.Keyword]:
    keys = app_state.selected(selection)
    wanted = [w.strip() for w in words.split(",")] if words else None
    found = keywords.list_keywords(app_state.db, keys=keys, words=wanted)
    if not found:
        raise UsageError(
            "no tracked keywords match", hint="add some with: localcx rank keywords add KEYWORD --stores SEL"
        )
    return found


def _budget(app_state: AppState, budget: float | None) -> Decimal | None:
    """What this run may spend: --budget, and what is left of `[rank] monthly_budget`
    after this calendar month's (UTC) searches."""
    settings = app_state.workspace.settings.rank
    caps = [Decimal(str(budget))] if budget is not None else []
    if settings.monthly_budget:
        now = app_state.clock.utcnow()
        month_start = iso(now.replace(day=1, hour=0, minute=0, second=0, microsecond=0).timestamp())
        spent = scans.requests_since(app_state.db, month_start) * request_cost(RANK_MASK, price_table(settings.prices()))
        caps.append(max(Decimal(0), Decimal(str(settings.monthly_budget)) - spent))
    return min(caps) if caps else None


@keywords_app.command("add", epilog='Example: localcx rank keywords add "ramen" "塩ラーメン" --stores country:JP --grid 7 --spacing 500m --every week --at "mon 06:00"')
def keywords_add(
    ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(help="What customers search for.")],
    selection: StoresOpt = "all",
    grid: Annotated[int, typer.Option("--grid", help="Grid size N (N×N points, odd, 3–21).")] = 7,
    spacing: Annotated[str | None, typer.Option("--spacing", help="Between points: 500m, 1km, 0.5mi.")] = None,
    radius: Annotated[str | None, typer.Option("--radius", help="Centre to edge instead of --spacing: 3km.")] = None,
    every: Annotated[str | None, typer.Option("--every", help="SCHEDULE for `rank run-due` (see `posts add --help`).")] = None,
    at: Annotated[str, typer.Option("--at", help="WHEN the schedule starts.")] = "now",
) -> None:
    """Track keywords for the selected stores, on a grid and (optionally) a schedule."""
    app_state = state(ctx)
    if spacing and radius:
        raise UsageError("give --spacing or --radius, not both")
    metres = grid_spacing(grid, spacing=spacing or (None if radius else "1km"), radius=radius)
    build_grid(35.0, 139.0, grid, spacing=metres)  # refuse a bad size or spacing before saving
    starts = None
    if every:
        schedule.parse_schedule(every)
        zone = ZoneInfo(app_state.workspace.settings.timezone)
        starts = iso(schedule.parse_when(at, zone=zone, now=app_state.clock.utcnow()).timestamp())
    keys = stores.select(app_state.db, selection)
    chosen = [(s.location_id, s.key) for s in stores.stored_locations(app_state.db) if s.key in set(keys)]
    added, updated = keywords.add(
        app_state.db, chosen, words, grid=grid, spacing_m=metres, schedule=every, starts_at=starts, clock=app_state.clock
    )
    app_state.say(f"Tracking {plural(added, 'new keyword')} ({updated} updated) on {plural(len(chosen), 'store')}.")


@keywords_app.command("list", epilog="Example: localcx rank keywords list --stores label:tokyo --csv")
@output_options()
def keywords_list(ctx: typer.Context, fmt: OutputFormat, selection: StoresOpt = "all") -> None:
    """The tracked keywords, their grids and schedules."""
    app_state = state(ctx)
    keys = app_state.selected(selection)
    rows(
        (k.public() for k in keywords.list_keywords(app_state.db, keys=keys)),
        fmt,
        terminal=app_state.terminal,
        empty="no keywords: add some with localcx rank keywords add",
        quiet=app_state.quiet,
    )


@keywords_app.command("remove", epilog='Example: localcx rank keywords remove "ramen" --stores TKY-001')
def keywords_remove(
    ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(help="Keywords to stop tracking.")],
    selection: StoresOpt = "all",
) -> None:
    """Stop tracking keywords (their past scans stay in history)."""
    app_state = state(ctx)
    removed = keywords.remove(app_state.db, _tracked(app_state, selection, ",".join(words)))
    app_state.say(f"Stopped tracking {plural(removed, 'keyword')}.")


@app.command(epilog="Example: localcx rank estimate --stores all --json")
@output_options(OutputFormat.json)
def estimate(ctx: typer.Context, fmt: OutputFormat, selection: StoresOpt = "all", words: KeywordsOpt = None) -> None:
    """What one scan of the tracked keywords costs (requests per SKU, money), and per month
    from their schedules, before anything is spent."""
    app_state = state(ctx)
    tracked = _tracked(app_state, selection, words)
    settings = app_state.workspace.settings
    figures = runner.estimate(
        app_state.db, tracked, settings.rank.prices(), now=app_state.clock.utcnow(), timezone=settings.timezone
    )
    figures["cost"] = str(figures["cost"])
    figures["cost_next_30_days"] = str(figures["cost_next_30_days"])
    for line in figures["skipped"]:
        app_state.warn(f"not counted: {line}")
    if fmt is OutputFormat.json:
        record(figures, fmt, terminal=app_state.terminal)
        return
    record(
        {"keywords": figures["keywords"], "search requests (IDs only SKU)": figures["requests"],
         "cost of one run (USD)": figures["cost"],
         "next 30 days, from the schedules": f"{figures['requests_next_30_days']:,} requests, USD {figures['cost_next_30_days']}",
         "competitor names": "one call each for new places in a top three, after the scan"},
        OutputFormat.table,
        terminal=app_state.terminal,
    )


def _report_scan(app_state: AppState, result: runner.ScanRun | None, fmt: OutputFormat) -> None:
    if result is None:
        app_state.say("No scan to resume: every scan has finished.")
        if fmt is OutputFormat.json:
            record({"run_id": None, "scans": []}, fmt, terminal=app_state.terminal)
        return
    for line in result.skipped:
        app_state.warn(f"skipped {line}")
    requests = sum(scans.requests_made(app_state.db, s.id) for s in result.scans)
    summary: dict[str, Any] = {
        "run_id": result.result.run_id if result.result else None,
        "status": result.result.status if result.result else "nothing to scan",
        "scans": [s.id for s in result.scans],
        "requests": requests,
        "competitor_calls": result.competitor_calls,
    }
    if fmt is OutputFormat.json:
        record(summary, fmt, terminal=app_state.terminal)
    else:
        app_state.say(
            f"Scanned {plural(len(result.scans), 'grid')} with {plural(requests, 'request')}"
            f" ({summary['status']}); see: localcx rank show SCAN"
        )
    if result.result and result.result.stop_error is not None:
        raise result.result.stop_error


@app.command(epilog="Example: localcx rank scan --stores TKY-001 --keywords ramen --budget 1.50")
@output_options(OutputFormat.json)
def scan(
    ctx: typer.Context,
    fmt: OutputFormat,
    selection: StoresOpt = "all",
    words: KeywordsOpt = None,
    resume: Annotated[bool, typer.Option("--resume", help="Finish the interrupted scan (only its open points).")] = False,
    budget: BudgetOpt = None,
    workers: Annotated[int | None, typer.Option(help="Parallel requests (default from settings).")] = None,
) -> None:
    """Scan the tracked keywords now: one Text Search per grid point (exit 4 and resumable
    when the budget or quota stops it)."""
    app_state = state(ctx)
    settings = app_state.workspace.settings
    common: dict[str, Any] = {
        "clock": app_state.clock,
        "budget": _budget(app_state, budget),
        "prices": settings.rank.prices(),
        "workers": workers or settings.http.workers,
    }
    with app_state.workspace.exclusive(AREA, app_state.say), app_state.progress("Scanning", None) as advance:
        if resume:
            result = runner.resume(app_state.db, app_state.google, progress=advance, **common)
        else:
            tracked = _tracked(app_state, selection, words)
            result = runner.start(app_state.db, app_state.google, tracked, region=settings.region, progress=advance, **common)
    _report_scan(app_state, result, fmt)


@app.command("run-due", epilog="Example: localcx -w acme -q rank run-due   (from cron, hourly)")
@output_options(OutputFormat.json)
def run_due(
    ctx: typer.Context,
    fmt: OutputFormat,
    now: Annotated[str | None, typer.Option("--now", help="Scan what is due by this WHEN.")] = None,
    budget: BudgetOpt = None,
) -> None:
    """Finish an interrupted scan, then scan every keyword whose schedule is due, once.
    An overlapping run leaves it to the one in progress (exit 0)."""
    app_state = state(ctx)
    settings = app_state.workspace.settings
    moment = schedule.parse_when(now, zone=ZoneInfo("UTC"), now=app_state.clock.utcnow()) if now else app_state.clock.utcnow()
    common: dict[str, Any] = {
        "clock": app_state.clock, "budget": _budget(app_state, budget),
        "prices": settings.rank.prices(), "workers": settings.http.workers,
    }
    with app_state.workspace.exclusive(AREA, wait=False) as held:
        if not held:
            app_state.say("A rank scan is in progress in this workspace; leaving it to that run.")
            return
        resumed = runner.resume(app_state.db, app_state.google, **common)
        if resumed is not None:
            _report_scan(app_state, resumed, fmt)
        due = runner.due(app_state.db, moment, settings.timezone)
        if not due:
            app_state.say("Nothing due.")
            if fmt is OutputFormat.json and resumed is None:
                record({"run_id": None, "scans": []}, fmt, terminal=app_state.terminal)
            return
        _report_scan(app_state, runner.start(app_state.db, app_state.google, due, region=settings.region, **common), fmt)


def _round(value: float | None) -> float | None:
    """Metrics to two decimals: what a person compares."""
    return round(value, 2) if value is not None else None


def _results(points: list[scans.Point]) -> list[list[str]]:
    return [p.place_ids for p in points if p.place_ids is not None]


@app.command(epilog="Example: localcx rank show scan-20261201-060000-ab12 --geojson grid.geojson")
@output_options(OutputFormat.json)
def show(
    ctx: typer.Context,
    fmt: OutputFormat,
    scan_id: Annotated[str, typer.Argument(help="A scan id (see `rank history`).")],
    geojson: Annotated[Path | None, typer.Option("--geojson", help="Also write the grid as GeoJSON.")] = None,
) -> None:
    """One scan: a heatmap of the store's position at each point, its metrics, the change
    since the keyword's previous scan, and the competitors that rank best."""
    app_state = state(ctx)
    the_scan = scans.get(app_state.db, scan_id)
    points = scans.points(app_state.db, scan_id)
    if the_scan.place_id is None:
        app_state.warn(f"{the_scan.store_code} has no place id (not on Maps): nothing was ranked")
        raise typer.Exit(int(ExitCode.ERROR))
    answered = {p.index: p.position for p in points if p.place_ids is not None}
    metrics = scan_metrics(_results(points), the_scan.place_id, the_scan.depth)
    before = scans.previous(app_state.db, the_scan)
    delta = change(metrics.store, scan_metrics(_results(scans.points(app_state.db, before.id)), before.place_id or the_scan.place_id, before.depth).store) if before else None
    names = competitors.names(app_state.db, [m.place_id for m in metrics.competitors[:5]])
    top = [
        {**m.as_dict(), "name": (names.get(m.place_id) or {}).get("name") or m.place_id,
         "arp": _round(m.arp), "atrp": _round(m.atrp), "solv": _round(m.solv)}
        for m in metrics.competitors[:5]
    ]
    if geojson is not None:
        grid = build_grid(points[len(points) // 2].lat, points[len(points) // 2].lng, the_scan.grid, spacing=the_scan.spacing_m)
        ids = {p.index: (p.place_ids or [])[:3] for p in points if p.place_ids is not None}
        data = feature_collection(grid, answered, ids, properties={"keyword": the_scan.keyword, "scan": the_scan.id})
        geojson.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    if fmt is OutputFormat.json:
        record(
            {
                "scan": the_scan.public(),
                "metrics": metrics.store.as_dict(),
                "change": vars(delta) if delta else None,
                "competitors": top,
                "points": [{"index": p.index, "row": p.row, "col": p.col, "lat": p.lat, "lng": p.lng,
                            "position": p.position, "place_ids": p.place_ids} for p in points],
            },
            fmt,
            terminal=app_state.terminal,
        )
        return
    caption = f"{the_scan.store_code} · “{the_scan.keyword}” · {the_scan.grid}×{the_scan.grid} · {the_scan.started_at[:16].replace('T', ' ')} UTC"
    print_heatmap(app_state.terminal, answered, the_scan.grid, caption=caption)
    m = metrics.store
    record(
        {"ARP": _round(m.arp), "ATRP": _round(m.atrp), "SoLV": _round(m.solv), "found at": f"{m.found} of {m.points} points",
         "change since previous": ", ".join(f"{k} {v:+.2f}" for k, v in vars(delta).items() if isinstance(v, float)) if delta and delta.comparable else "no comparable scan"},
        OutputFormat.table,
        terminal=app_state.terminal,
    )
    if top:
        rows(top, OutputFormat.table, columns=["name", "arp", "atrp", "solv"], terminal=app_state.terminal, title="Top competitors")


@app.command(epilog='Example: localcx rank history --stores TKY-001 --keyword ramen')
@output_options()
def history(
    ctx: typer.Context,
    fmt: OutputFormat,
    selection: StoresOpt = "all",
    keyword: Annotated[str | None, typer.Option("--keyword", help="Only this keyword.")] = None,
) -> None:
    """Every scan with the store's metrics, and (for people) a sparkline of its ATRP."""
    app_state = state(ctx)
    keys = app_state.selected(selection)
    out = []
    trend: dict[str, list[float | None]] = {}
    for item in scans.history(app_state.db, keys=keys, keyword=keyword):
        row = item.public()
        if item.place_id and item.status is scans.ScanStatus.DONE:
            m = scan_metrics(_results(scans.points(app_state.db, item.id)), item.place_id, item.depth).store
            row.update(arp=_round(m.arp), atrp=_round(m.atrp), solv=_round(m.solv))
            trend.setdefault(f"{item.store_code} “{item.keyword}”", []).append(m.atrp)
        out.append(row)
    columns = ["id", "store_code", "keyword", "started_at", "arp", "atrp", "solv"] if fmt is OutputFormat.table else None
    rows(out, fmt, columns=columns, terminal=app_state.terminal, empty="no scans yet: localcx rank scan", quiet=app_state.quiet)
    if fmt is OutputFormat.table and not app_state.quiet:
        for name, values in trend.items():
            app_state.say(f"{name}: {sparkline(values)}  (ATRP; higher bars are better)")


@app.command("competitors", epilog="Example: localcx rank competitors --stores TKY-001 --csv")
@output_options()
def competitors_command(ctx: typer.Context, fmt: OutputFormat, selection: StoresOpt = "all") -> None:
    """Who outranks each store most often, across its finished scans."""
    app_state = state(ctx)
    keys = app_state.selected(selection)
    tally: dict[tuple[str, str], dict[str, Any]] = {}
    for item in scans.history(app_state.db, keys=keys):
        if not item.place_id or item.status is not scans.ScanStatus.DONE:
            continue
        for point in scans.points(app_state.db, item.id):
            ids = point.place_ids or []
            mine = point.position or (item.depth + 1)
            for place_id in ids[: mine - 1]:
                entry = tally.setdefault((item.store_code, place_id), {"store_code": item.store_code, "place_id": place_id, "points_ahead": 0})
                entry["points_ahead"] += 1
    names = competitors.names(app_state.db, {p for _, p in tally})
    out = sorted(tally.values(), key=lambda e: (e["store_code"], -e["points_ahead"], e["place_id"]))
    for entry in out:
        entry["name"] = (names.get(entry["place_id"]) or {}).get("name")
    rows(out, fmt, columns=["store_code", "name", "points_ahead", "place_id"], terminal=app_state.terminal,
         empty="no finished scans yet", quiet=app_state.quiet)
