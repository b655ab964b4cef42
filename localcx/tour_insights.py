"""The tour's insights part: 18 months of Google's daily metrics and a year of search
keywords for every store, then the chain's last four weeks against the four before."""

from __future__ import annotations

import time
from collections.abc import Callable

from localcx import config
from localcx.clock import FakeClock
from localcx.insights import summary
from localcx.insights.sync import sync
from localcx.render import OutputFormat, Terminal, rows
from localcx.render.heatmap import sparkline
from localcx.render.human import plural
from localcx.session import Session

SHOWN = ("CALL_CLICKS", "BUSINESS_DIRECTION_REQUESTS", "WEBSITE_CLICKS", "BUSINESS_IMPRESSIONS_MOBILE_MAPS")


def insights_part(say: Callable[[str], None], workspace: config.Workspace, name: str, terminal: Terminal | None, step: int) -> None:
    clock = FakeClock(time.time())  # paced to the quota in virtual time
    with Session(workspace, clock=clock) as session:
        outcome = sync(session.db, session.google, None, clock=clock, timezone=workspace.settings.timezone)
        figures = outcome.summary()
        say(
            f"[bold]{step}.[/bold] localcx -w {name} insights sync → {figures['daily_values']:,} daily values and "
            f"{figures['keywords']:,} search keywords for {plural(outcome.stores, 'store')} "
            f"in {plural(figures['requests'], 'request')} (18 months the first time, then only a few days)"
        )
        totals = summary.summarise(session.db, None, list(SHOWN), by="week", combined=True)
    table = [
        {
            "metric": r["name"],
            "last 12 weeks": f"{r['total']:,}",
            "change": "–" if r["change_pct"] is None else f"{r['change_pct']:+.1f}%",
            "trend": sparkline([p["value"] for p in r["series"]], lower_is_better=False),
        }
        for r in totals.rows
    ]
    say("  insights show --combined --by week → every store together, against the 12 weeks before:")
    rows(table, OutputFormat.table, columns=["metric", "last 12 weeks", "change", "trend"], terminal=terminal)
