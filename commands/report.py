"""`localcx report`: the client report, one self-contained HTML file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from localcx.commands._common import StoresOpt, Typer, state
from localcx.report import files
from localcx.report.build import build_report, period_from
from localcx.report.status import selection_of

app = Typer(no_args_is_help=True, help="The client report: one HTML file to send or print.")


@app.command("build", epilog="Example: localcx report build --stores label:tokyo --since 2026-01-01 --lang ja --out tokyo.html")
def build(
    ctx: typer.Context,
    out: Annotated[str, typer.Option("--out", "-o", metavar="FILE", help="The HTML file to write, or - for stdout.")],
    selection: StoresOpt = "all",
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="First day (YYYY-MM-DD). Default: 12 months ago.")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE", help="Last day (YYYY-MM-DD). Default: today.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", metavar="ja|en", help="Labels and number formats: ja or en. Default: ja for a JP workspace region, else en.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite the file if it exists.")] = False,
) -> None:
    """Write the report: summary KPIs, reviews, sentiment by aspect, unreplied negative
    reviews, rank heatmaps and trend, insights, profile changes and drift, posts, stores.
    Inline CSS and SVG only: no scripts, fonts or images from the network."""
    app_state = state(ctx)
    target = None if out == "-" else Path(out)
    if target is not None:
        files.check_target(target, force)
    now = app_state.clock.utcnow()
    period = period_from(now.date(), since, until)
    selected = selection_of(app_state.db, selection)
    language = lang or ("ja" if app_state.workspace.settings.region == "JP" else "en")
    document = build_report(app_state.db, selected, period, lang=language, now=now, store_text=selection)
    if target is None:
        app_state.terminal.stdout.write(document)
        return
    size = files.write_report(target, document)
    app_state.say(f"Wrote {target} ({size / 1024:,.0f} KB, {len(selected.keys):,} stores, {period.since} – {period.until})")
