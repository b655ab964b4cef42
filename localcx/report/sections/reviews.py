"""Rating and review volume over time: reviews written per month (bars) and their average
stars (a line), with the rating Google shows today. Read through `report/sources.py`
(tables `reviews` and `review_stats`) until the reviews area owns those queries."""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from localcx.report import sources, svg
from localcx.report.html import absent, figure, table
from localcx.report.labels import Labels
from localcx.report.model import Period, Selection

KEY = "reviews"
FILL_COMMAND = "localcx reviews sync"


@dataclass
class ReviewsData:
    months: list[tuple[str, int, float | None]]  # every month of the period: (month, reviews, average stars)
    rating: float | None  # Google's average now, weighted by each store's review count
    total: int  # Google's review count now, summed

    @property
    def in_period(self) -> int:
        return sum(n for _, n, _ in self.months)


def collect(db: sqlite_utils.Database, selection: Selection, period: Period) -> ReviewsData | None:
    found = {row["month"]: row for row in sources.review_months(db, selection, period)}
    if not found:  # no review written in the period: nothing to chart
        return None
    ratings = sources.latest_ratings(db, selection)
    months: list[tuple[str, int, float | None]] = [
        (m, int(found[m]["reviews"]), float(found[m]["average_stars"])) if m in found else (m, 0, None)
        for m in period.months()
    ]
    weight = sum(int(r["total_count"] or 0) for r in ratings)
    rating = (
        sum(float(r["average_rating"] or 0) * int(r["total_count"] or 0) for r in ratings) / weight if weight else None
    )
    return ReviewsData(months, rating, weight)


def render(data: ReviewsData | None, labels: Labels) -> str:
    if data is None:
        return absent(labels, FILL_COMMAND)
    ticks = [labels.short_month(m) for m, _, _ in data.months]
    volume = svg.bar_chart([n for _, n, _ in data.months], ticks, title=labels["review_count"],
                           x_title=labels["month"], y_title=labels["review_count"])
    stars = svg.line_chart([svg.Series(labels["average_stars"], [s for _, _, s in data.months])], ticks,
                           title=labels["average_stars"], x_title=labels["month"], y_title=labels["average_stars"],
                           y_range=(1.0, 5.0))
    rows = [(labels.month(m), labels.count(n), labels.decimal(s)) for m, n, s in data.months if n]
    return (
        figure(labels["review_count"], volume)
        + figure(labels["average_stars"], stars)
        + table([labels["month"], labels["review_count"], labels["average_stars"]], rows, numeric=(1, 2), css="review-months")
    )
