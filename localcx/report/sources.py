"""What the report reads from each area, in the report's own terms (a selection of stores
and a period of whole days). The queries themselves live with the tables' owners
(`reviews/figures.py`, `insights/figures.py`, `rank/figures.py`, `posts/figures.py`); this
module only turns a Selection and a Period into their arguments, so no section knows SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlite_utils

from localcx.insights import figures as insights_figures
from localcx.posts import figures as posts_figures
from localcx.rank import figures as rank_figures
from localcx.report.model import Period, Selection
from localcx.reviews import figures as review_figures

NEGATIVE_STARS = review_figures.NEGATIVE_STARS


def review_months(db: sqlite_utils.Database, selection: Selection, period: Period) -> list[dict[str, Any]]:
    return review_figures.review_months(db, selection.location_ids, period.start, period.end)


def review_store_counts(db: sqlite_utils.Database, selection: Selection, since: str) -> list[dict[str, Any]]:
    return review_figures.review_store_counts(db, selection.location_ids, since)


def latest_ratings(db: sqlite_utils.Database, selection: Selection) -> list[dict[str, Any]]:
    return review_figures.latest_ratings(db, selection.location_ids)


def aspect_sentiment(db: sqlite_utils.Database, selection: Selection, period: Period) -> list[dict[str, Any]]:
    return review_figures.aspect_sentiment(db, selection.location_ids, period.start, period.end)


def unreplied_negative_count(db: sqlite_utils.Database, selection: Selection) -> int:
    return review_figures.unreplied_negative_count(db, selection.location_ids)


def unreplied_negative_reviews(db: sqlite_utils.Database, selection: Selection, limit: int) -> list[dict[str, Any]]:
    return review_figures.unreplied_negative_reviews(db, selection.location_ids, limit)


def _all_ids(selection: Selection) -> list[str]:
    """Explicit ids (the insights sums seek by store): every known store when unfiltered."""
    return list(selection.location_ids if selection.location_ids is not None else selection.names)


def _month_ranges(period: Period) -> list[tuple[str, str, str]]:
    """(month, first day, last day) of each month the period touches, clipped to it."""
    return [
        (month, max(f"{month}-01", period.since.isoformat()), min(f"{month}-31", period.until.isoformat()))
        for month in period.months()
    ]


def insights_months(db: sqlite_utils.Database, selection: Selection, period: Period, metrics: Sequence[str]) -> list[dict[str, Any]]:
    return insights_figures.monthly_totals(db, _all_ids(selection), metrics, _month_ranges(period))


def insights_totals(db: sqlite_utils.Database, selection: Selection, period: Period, metrics: Sequence[str]) -> dict[str, tuple[float, int]]:
    return insights_figures.period_totals(db, _all_ids(selection), metrics, period.since.isoformat(), period.until.isoformat())


def top_search_keywords(db: sqlite_utils.Database, selection: Selection, period: Period, limit: int) -> list[dict[str, Any]]:
    return insights_figures.top_keywords_over(
        db, selection.location_ids, period.since.isoformat()[:7], period.until.isoformat()[:7], limit)


def rank_scan_figures(db: sqlite_utils.Database, selection: Selection, period: Period) -> list[dict[str, Any]]:
    return rank_figures.scan_figures(db, selection.location_ids, period.start, period.end)


def rank_scan_points(db: sqlite_utils.Database, scan_ids: list[str]) -> list[dict[str, Any]]:
    return rank_figures.scan_positions(db, scan_ids)


def post_days(db: sqlite_utils.Database, selection: Selection, period: Period) -> list[dict[str, Any]]:
    return posts_figures.days(db, selection.location_ids, period.start, period.end)


def post_store_counts(db: sqlite_utils.Database, selection: Selection, now: str) -> list[dict[str, Any]]:
    return posts_figures.store_counts(db, selection.location_ids, now)
