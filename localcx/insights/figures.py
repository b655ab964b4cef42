"""Aggregates of the stored insights for the report, in SQL over the primary key.

Each sum is one indexed query per (metric, month) rather than one GROUP BY: the key is
(location_id, metric, day), so a sum seeks each store's run of days directly, while a GROUP
BY over 18 months of 500 stores (3.3 million rows) sorts them all. `ids` are the stores'
location ids (all of them, explicitly: the seek needs them); days are ISO dates, inclusive.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from localcx.db import where_in

_SUM = (
    "select sum(value), count(*) from insights_daily where location_id in (select value from json_each(?)) "
    "and metric = ? and day >= ? and day <= ?"
)


def monthly_totals(
    db: sqlite_utils.Database, ids: Sequence[str], metrics: Sequence[str], months: Sequence[tuple[str, str, str]]
) -> list[dict[str, Any]]:
    """Each metric's total per (month, first day, last day) range; months without a
    stored day are left out."""
    bound = json.dumps(list(ids))
    out = []
    for metric in metrics:
        for month, first, last in months:
            total, days = db.execute(_SUM, [bound, metric, first, last]).fetchone()
            if days:
                out.append({"metric": metric, "month": month, "total": total, "days": days})
    return out


def period_totals(
    db: sqlite_utils.Database, ids: Sequence[str], metrics: Sequence[str], first: str, last: str
) -> dict[str, tuple[float, int]]:
    """Each metric's total over the days and the store-days it is made of (which say
    whether the period is fully covered)."""
    bound = json.dumps(list(ids))
    out = {}
    for metric in metrics:
        total, days = db.execute(_SUM, [bound, metric, first, last]).fetchone()
        out[metric] = (float(total or 0), int(days))
    return out


def top_keywords_over(
    db: sqlite_utils.Database, ids: Sequence[str] | None, first_month: str, last_month: str, limit: int
) -> list[dict[str, Any]]:
    """The keywords most searched over the months. A month Google gave only as a threshold
    ("fewer than N") adds nothing to `value` and keeps its threshold: never a count."""
    where, params = where_in("location_id", ids)
    return list(db.query(
        "select keyword, sum(coalesce(value, 0)) as value, max(threshold) as threshold, "
        "count(value) as counted_months from search_keywords_monthly "
        f"where month >= ? and month <= ?{where} group by keyword "
        "order by value desc, keyword limit ?",
        [first_month, last_month, *params, limit]))
