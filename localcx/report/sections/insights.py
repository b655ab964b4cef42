"""Profile views and actions (Business Profile Performance): calls, direction requests
and website clicks per month, impressions per month by where they came from (Maps or
Search, mobile or desktop), the period's totals against the previous period, and the top
search keywords. Read through `report/sources.py` (tables `insights_daily` and
`search_keywords_monthly`) until the insights area owns those queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from localcx.report import sources, svg
from localcx.report.html import absent, esc, figure, kpis, table
from localcx.report.labels import Labels
from localcx.report.model import Period, Selection

KEY = "insights"
FILL_COMMAND = "localcx insights sync"
ACTIONS = (("CALL_CLICKS", "calls"), ("BUSINESS_DIRECTION_REQUESTS", "directions"), ("WEBSITE_CLICKS", "website"))
SOURCES = (
    ("BUSINESS_IMPRESSIONS_MOBILE_MAPS", "maps_mobile"),
    ("BUSINESS_IMPRESSIONS_DESKTOP_MAPS", "maps_desktop"),
    ("BUSINESS_IMPRESSIONS_MOBILE_SEARCH", "search_mobile"),
    ("BUSINESS_IMPRESSIONS_DESKTOP_SEARCH", "search_desktop"),
)
IMPRESSIONS = tuple(metric for metric, _ in SOURCES)
TOP_KEYWORDS = 10
COVERED = 0.9  # the previous period needs this share of the current one's store-days to compare


@dataclass
class InsightsData:
    months: list[str]
    by_month: dict[str, dict[str, float]]  # metric → month → total
    totals: dict[str, float]
    days: dict[str, int]  # metric → store-days recorded in the period
    previous: dict[str, tuple[float, int]]  # metric → (total, store-days) in the previous period
    keywords: list[dict[str, Any]]

    def total(self, metric: str) -> float:
        return self.totals.get(metric, 0.0)

    def impressions(self) -> float:
        return sum(self.totals.get(m, 0.0) for m in IMPRESSIONS)

    def change(self, metric: str | None) -> float | None:
        """Relative change against the previous period of the same length; None when that
        period is not covered as fully as this one (a store synced only since last month
        would otherwise show every figure rising)."""
        metrics = IMPRESSIONS if metric is None else (metric,)
        for m in metrics:
            before_days = self.previous.get(m, (0.0, 0))[1]
            if before_days < COVERED * self.days.get(m, 0) or not before_days:
                return None
        now = sum(self.total(m) for m in metrics)
        before = sum(self.previous[m][0] for m in metrics)
        return (now - before) / before if before else None


def collect(db: sqlite_utils.Database, selection: Selection, period: Period) -> InsightsData | None:
    metrics = [metric for metric, _ in (*ACTIONS, *SOURCES)]
    rows = sources.insights_months(db, selection, period, metrics)
    if not rows:
        return None
    by_month: dict[str, dict[str, float]] = {}
    days: dict[str, int] = {}
    for row in rows:
        by_month.setdefault(row["metric"], {})[row["month"]] = float(row["total"] or 0)
        days[row["metric"]] = days.get(row["metric"], 0) + int(row["days"])
    totals = {metric: sum(values.values()) for metric, values in by_month.items()}
    previous = sources.insights_totals(db, selection, period.previous(), metrics)
    keywords = sources.top_search_keywords(db, selection, period, TOP_KEYWORDS)
    return InsightsData(period.months(), by_month, totals, days, previous, keywords)


def _series(data: InsightsData, metric: str, name: str) -> svg.Series:
    values = data.by_month.get(metric, {})
    return svg.Series(name, [values.get(m, 0.0) for m in data.months])


def key_figures(data: InsightsData, labels: Labels) -> list[tuple[str, str, str, str]]:
    """Calls, directions, website clicks and impressions with their change against the
    previous period (no note when that period cannot be compared)."""
    def note(change: float | None) -> str:
        return "" if change is None else f'{labels.signed(change)} {labels["vs_previous"]}'

    figures = [(key, labels[key], labels.count(data.total(metric)), note(data.change(metric))) for metric, key in ACTIONS]
    figures.append(("impressions", labels["impressions"], labels.count(data.impressions()), note(data.change(None))))
    return figures


def render(data: InsightsData | None, labels: Labels) -> str:
    if data is None:
        return absent(labels, FILL_COMMAND)
    figures = key_figures(data, labels)
    ticks = [labels.short_month(m) for m in data.months]
    actions = svg.line_chart([_series(data, metric, labels[key]) for metric, key in ACTIONS], ticks,
                             title=labels["actions"], x_title=labels["month"], y_title=labels["chart_insights"])
    sources_chart = svg.stacked_bar([_series(data, metric, labels[key]) for metric, key in SOURCES], ticks,
                                    title=labels["by_source"], x_title=labels["month"], y_title=labels["impressions"])
    rows = [
        (labels.month(m), *(labels.count(data.by_month.get(metric, {}).get(m, 0)) for metric, _ in ACTIONS),
         labels.count(sum(data.by_month.get(metric, {}).get(m, 0) for metric in IMPRESSIONS)))
        for m in data.months
    ]
    parts = [
        kpis(figures),
        f'<h3>{esc(labels["actions"])}</h3>', figure(labels["actions"], actions),
        f'<h3>{esc(labels["by_source"])}</h3>', figure(labels["chart_sources"], sources_chart),
        table([labels["month"], *(labels[k] for _, k in ACTIONS), labels["impressions"]], rows, numeric=(1, 2, 3, 4), css="insights-months"),
    ]
    if data.keywords:
        parts.append(f'<h3>{esc(labels["top_keywords"])}</h3>')
        parts.append(table(
            [labels["keyword"], labels["value"]],
            [(k["keyword"], labels.count(k["value"]) if k["counted_months"] else labels.get("below", n=labels.count(k["threshold"])))
             for k in data.keywords],
            numeric=(1,), css="search-keywords",
        ))
    return "".join(parts)
