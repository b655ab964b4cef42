"""Aggregates of the stored reviews for the report and the status board, in SQL (a report
over 500 stores must not walk reviews one by one). Part of the review store's ownership.

`ids` is the selected stores' location ids (None: every store); `start`/`end` are ISO
instants, `end` excluded. Removed reviews are left out everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlite_utils

from localcx.db import where_in

NEGATIVE_STARS = 2  # a 1★ or 2★ review is a negative one (status and report alike)
Ids = Sequence[str] | None


def review_months(db: sqlite_utils.Database, ids: Ids, start: str, end: str) -> list[dict[str, Any]]:
    """Per calendar month of `created_at`: the reviews written and their average stars."""
    where, params = where_in("location_id", ids)
    return list(db.query(
        "select substr(created_at, 1, 7) as month, count(*) as reviews, avg(stars) as average_stars "
        f"from reviews where removed_at is null and created_at >= ? and created_at < ?{where} "
        "group by month order by month",
        [start, end, *params]))


def review_store_counts(db: sqlite_utils.Database, ids: Ids, since: str) -> list[dict[str, Any]]:
    """Per store: reviews since a moment, how many are 1–2★, average stars before and
    after it, and the unreplied ones (all, and 1–2★) whenever written and since then."""
    where, params = where_in("location_id", ids)
    return list(db.query(
        "select location_id, "
        "sum(created_at >= ?) as recent, "
        f"sum(created_at >= ? and stars <= {NEGATIVE_STARS}) as recent_negative, "
        "avg(case when created_at >= ? then stars end) as recent_stars, "
        "avg(case when created_at < ? then stars end) as earlier_stars, "
        "sum(coalesce(reply_comment, '') = '') as unreplied, "
        f"sum(coalesce(reply_comment, '') = '' and stars <= {NEGATIVE_STARS}) as unreplied_negative, "
        f"sum(created_at >= ? and coalesce(reply_comment, '') = '' and stars <= {NEGATIVE_STARS}) "
        "as recent_unreplied_negative, "
        "sum(reply_state = 'REJECTED') as rejected_replies "
        f"from reviews where removed_at is null{where} group by location_id",
        [since, since, since, since, since, *params]))


def latest_ratings(db: sqlite_utils.Database, ids: Ids) -> list[dict[str, Any]]:
    """Each store's latest average rating and review count (table `review_stats`)."""
    where, params = where_in("s.location_id", ids)
    return list(db.query(
        "select s.location_id, s.average_rating, s.total_count, s.recorded_at from review_stats s "
        "join (select location_id, max(recorded_at) as recorded_at from review_stats group by location_id) m "
        f"on m.location_id = s.location_id and m.recorded_at = s.recorded_at where 1{where}",
        params))


def aspect_sentiment(db: sqlite_utils.Database, ids: Ids, start: str, end: str) -> list[dict[str, Any]]:
    """Per aspect: how often the period's reviews mention it positively, neutrally and
    negatively (polarity beyond ±0.05 counts), the twelve most mentioned."""
    where, params = where_in("r.location_id", ids)
    return list(db.query(
        "select a.aspect, count(*) as mentions, sum(a.polarity > 0.05) as positive, "
        "sum(a.polarity between -0.05 and 0.05) as neutral, sum(a.polarity < -0.05) as negative "
        "from review_aspects a join reviews r on r.review_id = a.review_id "
        f"where r.removed_at is null and r.created_at >= ? and r.created_at < ?{where} "
        "group by a.aspect order by mentions desc, a.aspect limit 12",
        [start, end, *params]))


def unreplied_negative_count(db: sqlite_utils.Database, ids: Ids) -> int:
    """1–2★ reviews without an owner reply, whenever written."""
    where, params = where_in("location_id", ids)
    return int(db.execute(
        f"select count(*) from reviews where removed_at is null and stars <= {NEGATIVE_STARS} "
        f"and coalesce(reply_comment, '') = ''{where}", params).fetchone()[0])


def unreplied_negative_reviews(db: sqlite_utils.Database, ids: Ids, limit: int) -> list[dict[str, Any]]:
    """The 1–2★ reviews without an owner reply, those waiting longest first."""
    where, params = where_in("location_id", ids)
    return list(db.query(
        "select review_id, location_id, store_code, stars, reviewer, coalesce(original, comment) as text, "
        f"created_at from reviews where removed_at is null and stars <= {NEGATIVE_STARS} "
        f"and coalesce(reply_comment, '') = ''{where} order by created_at, review_id limit ?",
        [*params, limit]))
