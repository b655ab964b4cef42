"""What `insights show` (and the report) says about a period: totals per metric, the change
against the period of equal length just before, and the buckets a sparkline draws.

Read from the database only. The period ends on the last day stored for the selected stores
(so it works offline, whenever the last sync was) and starts at `--since`, or 28 days, 12
weeks or 12 months before, by the bucket size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlite_utils

from localcx import stores
from localcx.errors import NotFoundError, UsageError
from localcx.insights import store
from localcx.insights.metrics import friendly
from localcx.insights.windows import add_months

DEFAULT_DAYS = {"day": 28, "week": 84}
DEFAULT_MONTHS = 12


@dataclass
class Summary:
    start: date
    end: date
    previous_start: date
    previous_end: date
    by: str
    rows: list[dict[str, Any]] = field(default_factory=list)

    def period(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "previous_start": self.previous_start.isoformat(),
                "previous_end": self.previous_end.isoformat(), "by": self.by}


def period_start(end: date, since: date | None, by: str) -> date:
    if since is not None:
        if since > end:
            raise UsageError(f"--since {since.isoformat()} is after the last day stored ({end.isoformat()})",
                             hint="run: localcx insights sync, or give an earlier --since")
        return since
    if by == "month":
        return add_months(end.replace(day=1), -(DEFAULT_MONTHS - 1))
    return end - timedelta(days=DEFAULT_DAYS.get(by, 28) - 1)


def buckets(start: date, end: date, by: str) -> list[date]:
    """The first day of every bucket from `start` to `end`, as store.daily_totals labels them."""
    if by == "total":
        return [start]
    out: list[date] = []
    day = start if by != "month" else start.replace(day=1)
    while day <= end:
        out.append(day)
        day = add_months(day, 1) if by == "month" else day + timedelta(days=1 if by == "day" else 7)
    return out


def change_pct(total: int, previous: int | None) -> float | None:
    """Percent change, one decimal; None without a previous figure to compare with."""
    if not previous:
        return None
    return round((total - previous) * 100.0 / previous, 1)


def summarise(
    db: sqlite_utils.Database,
    locations: Sequence[str] | None,
    metrics: Sequence[str],
    *,
    since: date | None = None,
    by: str = "week",
    combined: bool = False,
) -> Summary:
    """One row per store and metric (or per metric with `combined`)."""
    end = store.last_day(db, locations)
    if end is None:
        raise NotFoundError("no insights stored for these stores yet", hint="run: localcx insights sync")
    start = period_start(end, since, by)
    length = (end - start).days + 1
    prev_end = start - timedelta(days=1)
    prev_start = prev_end - timedelta(days=length - 1)
    out = Summary(start, end, prev_start, prev_end, by)
    per_store = not combined
    totals = store.daily_totals(db, locations, metrics, start, end, "total", per_store=per_store)
    before = {(r["location_id"], r["metric"]): r["value"]
              for r in store.daily_totals(db, locations, metrics, prev_start, prev_end, "total", per_store=per_store)}
    series: dict[tuple[str | None, str], dict[str, int]] = {}
    for r in store.daily_totals(db, locations, metrics, start, end, by, per_store=per_store):
        series.setdefault((r["location_id"], r["metric"]), {})[r["period"]] = r["value"]
    codes = {s.location_id: s.key for s in stores.stored_locations(db)}
    starts = [b.isoformat() for b in buckets(start, end, by)]
    order = {m: i for i, m in enumerate(metrics)}
    for r in sorted(totals, key=lambda r: (codes.get(r["location_id"], r["location_id"] or ""), order[r["metric"]])):
        key = (r["location_id"], r["metric"])
        previous = before.get(key)
        values = series.get(key, {})
        out.rows.append({
            "store_code": codes.get(r["location_id"], r["location_id"]) if per_store else "all",
            "location_id": r["location_id"],
            "metric": r["metric"],
            "name": friendly(r["metric"]),
            "total": r["value"],
            "previous": previous,
            "change_pct": change_pct(r["value"], previous),
            "series": [{"period": p, "value": values.get(p)} for p in starts],
        })
    return out
