"""The report's read-only queries on tables other areas own, one function per query.

Reviews (`localcx/reviews/store.py`, `localcx/reviews/scores.py`) and insights
(`localcx/insights/store.py`) are being built in parallel with the report, so their
owner modules do not exist yet. Until they do, each query the report needs sits here,
small and alone, its docstring naming the table it reads; moving one into its owner is
a cut and paste. The rank and posts aggregates are here too because the owners' readers
decode every point's JSON (or every post's body) row by row, and a report over 500 stores
must aggregate in SQL instead (see bench/report.py).

Every function takes the selection's location ids (None: every store) and returns plain
rows; a table that does not exist yet (an older workspace, an area not merged) reads as
empty, so the section it feeds says "no data" rather than failing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from localcx.report.model import Period, Selection, where_location

NEGATIVE_STARS = 2  # a 1★ or 2★ review is a negative one (status and report alike)


def _exists(db: sqlite_utils.Database, table: str) -> bool:
    return bool(db.execute("select 1 from sqlite_master where type = 'table' and name = ?", [table]).fetchone())


def _rows(db: sqlite_utils.Database, table: str, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    return list(db.query(sql, params)) if _exists(db, table) else []


# --- reviews (owner: localcx/reviews/store.py) -------------------------------------------


def review_months(db: sqlite_utils.Database, selection: Selection, period: Period) -> list[dict[str, Any]]:
    """Table `reviews`: per calendar month of `created_at`, the reviews written and their
    average stars (removed reviews left out)."""
    where, params = where_location(selection)
    return _rows(db, "reviews",
        "select substr(created_at, 1, 7) as month, count(*) as reviews, avg(stars) as average_stars "
        "from reviews where removed_at is null and created_at >= ? and created_at < ?"
        f"{where} group by month order by month",
        [period.start, period.end, *params])


def review_store_counts(db: sqlite_utils.Database, selection: Selection, since: str) -> list[dict[str, Any]]:
    """Table `reviews`: per store, reviews since a moment, how many are 1–2★, their average
    stars, and the unreplied ones (all, and 1–2★) whenever written."""
    where, params = where_location(selection)
    return _rows(db, "reviews",
        "select location_id, "
        "sum(created_at >= ?) as recent, "
        f"sum(created_at >= ? and stars <= {NEGATIVE_STARS}) as recent_negative, "
        "avg(case when created_at >= ? then stars end) as recent_stars, "
        "avg(case when created_at < ? then stars end) as earlier_stars, "
        "sum(coalesce(reply_comment, '') = '') as unreplied, "
        f"sum(coalesce(reply_comment, '') = '' and stars <= {NEGATIVE_STARS}) as unreplied_negative, "
        "sum(reply_state = 'REJECTED') as rejected_replies "
        f"from reviews where removed_at is null{where} group by location_id",
        [since, since, since, since, *params])


def latest_ratings(db: sqlite_utils.Database, selection: Selection) -> list[dict[str, Any]]:
    """Table `review_stats`: each store's latest average rating and review count as Google
    reported them."""
    where, params = where_location(selection, "s.location_id")
    return _rows(db, "review_stats",
        "select s.location_id, s.average_rating, s.total_count, s.recorded_at from review_stats s "
        "join (select location_id, max(recorded_at) as recorded_at from review_stats group by location_id) m "
        f"on m.location_id = s.location_id and m.recorded_at = s.recorded_at where 1{where}",
        params)


def aspect_sentiment(db: sqlite_utils.Database, selection: Selection, period: Period) -> list[dict[str, Any]]:
    """Tables `review_aspects` and `reviews`: per aspect, how often reviews of the period
    mention it positively, neutrally and negatively (polarity beyond ±0.05 counts)."""
    where, params = where_location(selection, "r.location_id")
    return _rows(db, "review_aspects",
        "select a.aspect, count(*) as mentions, sum(a.polarity > 0.05) as positive, "
        "sum(a.polarity between -0.05 and 0.05) as neutral, sum(a.polarity < -0.05) as negative "
        "from review_aspects a join reviews r on r.review_id = a.review_id "
        f"where r.removed_at is null and r.created_at >= ? and r.created_at < ?{where} "
        "group by a.aspect order by mentions desc, a.aspect limit 12",
        [period.start, period.end, *params])


def unreplied_negative_count(db: sqlite_utils.Database, selection: Selection) -> int:
    """Table `reviews`: 1–2★ reviews without an owner reply, whenever written."""
    where, params = where_location(selection)
    rows = _rows(db, "reviews",
        f"select count(*) as n from reviews where removed_at is null and stars <= {NEGATIVE_STARS} "
        f"and coalesce(reply_comment, '') = ''{where}", params)
    return int(rows[0]["n"]) if rows else 0


def unreplied_negative_reviews(db: sqlite_utils.Database, selection: Selection, limit: int) -> list[dict[str, Any]]:
    """Table `reviews`: the oldest-first 1–2★ reviews without an owner reply (the ones
    waiting longest lead), up to `limit`."""
    where, params = where_location(selection)
    return _rows(db, "reviews",
        "select review_id, location_id, store_code, stars, reviewer, coalesce(original, comment) as text, "
        f"created_at from reviews where removed_at is null and stars <= {NEGATIVE_STARS} "
        f"and coalesce(reply_comment, '') = ''{where} order by created_at, review_id limit ?",
        [*params, limit])


# --- insights (owner: localcx/insights/store.py) -----------------------------------------


def _month_ranges(period: Period) -> list[tuple[str, str, str]]:
    """(month, first day, last day) of each month the period touches, clipped to it."""
    out = []
    for month in period.months():
        first = max(f"{month}-01", period.since.isoformat())
        last = min(f"{month}-31", period.until.isoformat())
        out.append((month, first, last))
    return out


def _ids(selection: Selection) -> str:
    return json.dumps(list(selection.location_ids if selection.location_ids is not None else selection.names))


def insights_months(
    db: sqlite_utils.Database, selection: Selection, period: Period, metrics: Sequence[str]
) -> list[dict[str, Any]]:
    """Table `insights_daily`: each metric's total per calendar month of the period.

    One indexed sum per (metric, month) rather than one GROUP BY: the primary key is
    (location_id, metric, day), so each sum seeks every store's run of days directly,
    while a GROUP BY over 18 months of 500 stores (3.3 million rows) sorts them all."""
    if not _exists(db, "insights_daily"):
        return []
    ids = _ids(selection)
    sql = (
        "select sum(value) as total, count(*) as days from insights_daily "
        "where location_id in (select value from json_each(?)) and metric = ? and day >= ? and day <= ?"
    )
    out = []
    for metric in metrics:
        for month, first, last in _month_ranges(period):
            row = db.execute(sql, [ids, metric, first, last]).fetchone()
            if row[1]:
                out.append({"metric": metric, "month": month, "total": row[0], "days": row[1]})
    return out


def insights_totals(
    db: sqlite_utils.Database, selection: Selection, period: Period, metrics: Sequence[str]
) -> dict[str, tuple[float, int]]:
    """Table `insights_daily`: each metric's total over the period and the store-days it
    is made of (indexed, as above); the days say whether the period is fully covered."""
    if not _exists(db, "insights_daily"):
        return {}
    ids = _ids(selection)
    sql = (
        "select sum(value), count(*) from insights_daily where location_id in (select value from json_each(?)) "
        "and metric = ? and day >= ? and day <= ?"
    )
    out = {}
    for metric in metrics:
        total, days = db.execute(sql, [ids, metric, period.since.isoformat(), period.until.isoformat()]).fetchone()
        out[metric] = (float(total or 0), int(days))
    return out


def top_search_keywords(db: sqlite_utils.Database, selection: Selection, period: Period, limit: int) -> list[dict[str, Any]]:
    """Table `search_keywords_monthly`: the keywords most searched over the period's months.
    A month Google gave only as a threshold ("fewer than N") adds nothing to `value` and
    keeps its threshold, so a threshold is never shown as a count."""
    where, params = where_location(selection)
    return _rows(db, "search_keywords_monthly",
        "select keyword, sum(coalesce(value, 0)) as value, max(threshold) as threshold, "
        "count(value) as counted_months from search_keywords_monthly "
        f"where month >= ? and month <= ?{where} group by keyword "
        "order by value desc, keyword limit ?",
        [period.since.isoformat()[:7], period.until.isoformat()[:7], *params, limit])


# --- rank (owner: localcx/rank/scans.py) --------------------------------------------------


def rank_scan_figures(db: sqlite_utils.Database, selection: Selection, period: Period) -> list[dict[str, Any]]:
    """Tables `rank_scans` and `rank_points`: for each finished scan of the period, the
    counts ARP, ATRP and SoLV are made of (see `localcx/rank/metrics.py`): points answered,
    points where the store was found, the sum of its positions there, points in the top 3."""
    where, params = where_location(selection, "s.location_id")
    return _rows(db, "rank_scans",
        "select s.id, s.keyword_id, s.location_id, s.store_code, s.keyword, s.grid, s.depth, s.started_at, "
        "count(p.done_at) as answered, sum(p.done_at is not null and p.position is not null) as found, "
        "coalesce(sum(case when p.done_at is not null then p.position end), 0) as position_sum, "
        "sum(p.done_at is not null and p.position <= 3) as top3 "
        "from rank_scans s join rank_points p on p.scan_id = s.id "
        f"where s.status = 'done' and s.place_id is not null and s.started_at >= ? and s.started_at < ?{where} "
        "group by s.id order by s.started_at, s.id",
        [period.start, period.end, *params])


def rank_scan_points(db: sqlite_utils.Database, scan_ids: list[str]) -> list[dict[str, Any]]:
    """Table `rank_points`: the store's position at every answered point of these scans."""
    if not scan_ids:
        return []
    marks = ", ".join("?" for _ in scan_ids)
    return _rows(db, "rank_points",
        f"select scan_id, idx, position from rank_points where scan_id in ({marks}) and done_at is not null",
        list(scan_ids))


# --- posts (owner: localcx/posts/queue.py) ------------------------------------------------


def post_days(db: sqlite_utils.Database, selection: Selection, period: Period) -> list[dict[str, Any]]:
    """Table `posts`: per day due, how many posts were published (and not rejected),
    rejected by Google, still queued, and failed."""
    where, params = where_location(selection)
    return _rows(db, "posts",
        "select substr(due_at, 1, 10) as day, "
        "sum(status = 'published' and coalesce(google_state, '') != 'REJECTED') as published, "
        "sum(status = 'published' and google_state = 'REJECTED') as rejected, "
        "sum(status in ('queued', 'publishing')) as queued, sum(status = 'failed') as failed "
        f"from posts where due_at >= ? and due_at < ?{where} group by day order by day",
        [period.start, period.end, *params])


def post_store_counts(db: sqlite_utils.Database, selection: Selection, now: str) -> list[dict[str, Any]]:
    """Table `posts`: per store, posts due by now and not yet sent, posts Google rejected,
    and posts that failed."""
    where, params = where_location(selection)
    return _rows(db, "posts",
        "select location_id, sum(status = 'queued' and due_at <= ?) as due, "
        "sum(status = 'published' and google_state = 'REJECTED') as rejected, "
        f"sum(status = 'failed') as failed from posts where 1{where} group by location_id",
        [now, *params])
