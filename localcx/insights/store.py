"""Owns insights_daily, search_keywords_monthly and insights_marks: what the Performance API
said, kept locally so `insights show`, `insights keywords` and the report never call Google.

- insights_daily: (location_id, metric, day 'YYYY-MM-DD') → value. Every day Google answered
  has a row for every metric fetched; a value Google left out is stored as 0. A day with no
  row was never fetched, which is not the same as 0.
- search_keywords_monthly: (location_id, month 'YYYY-MM', keyword) → value or threshold.
  Google reports a small figure only as "fewer than N": that N is kept in `threshold` with
  `value` NULL, and nothing here ever adds a threshold to a count.
- insights_marks: per store, the first and last day synced and the last keyword month, so
  the next sync asks only for what is new (plus an overlap for late data).

A store's rows and its mark are written in one transaction: a sync killed between two
stores leaves every finished store whole and the next run carries on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlite_utils

from localcx.db import where_in

BUCKETS = ("day", "week", "month", "total")


@dataclass(frozen=True)
class Mark:
    """How far one store has been synced."""

    location_id: str
    daily_from: date | None
    daily_through: date | None
    keywords_through: str | None  # 'YYYY-MM'
    synced_at: str | None


@dataclass
class StoreFetch:
    """What one store's sync brought back, saved in one go by `save`."""

    location_id: str
    daily: list[tuple[str, date, int]]  # (metric, day, value)
    keywords: dict[str, list[tuple[str, int | None, int | None]]]  # month → (kw, value, threshold)
    daily_from: date | None
    daily_through: date | None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _in(column: str, values: Sequence[str] | None, params: list[Any]) -> str:
    """` and column in (…)` for a filter (its one parameter added to `params`), or "" for none."""
    sql, bound = where_in(column, values)
    params.extend(bound)
    return sql


# -- writes --------------------------------------------------------------------------------
def save(db: sqlite_utils.Database, fetched: StoreFetch, synced_at: str) -> tuple[int, int]:
    """Upsert one store's days and replace its fetched keyword months, and move its mark,
    in one transaction. Returns (daily rows, keyword rows) written."""
    loc = fetched.location_id
    with db.atomic():
        db.conn.executemany(  # inside atomic(): the connection's lock is held
            "insert into insights_daily (location_id, metric, day, value) values (?, ?, ?, ?) "
            "on conflict (location_id, metric, day) do update set value = excluded.value",
            [(loc, metric, day.isoformat(), value) for metric, day, value in fetched.daily],
        )
        written = 0
        for month, rows in fetched.keywords.items():
            db.execute("delete from search_keywords_monthly where location_id = ? and month = ?", [loc, month])
            db.conn.executemany(
                "insert into search_keywords_monthly (location_id, month, keyword, value, threshold) "
                "values (?, ?, ?, ?, ?)",
                [(loc, month, kw, value, threshold) for kw, value, threshold in rows],
            )
            written += len(rows)
        _move_mark(db, fetched, synced_at)
    return len(fetched.daily), written


def _move_mark(db: sqlite_utils.Database, fetched: StoreFetch, synced_at: str) -> None:
    old = mark(db, fetched.location_id)
    first = [d for d in (old.daily_from if old else None, fetched.daily_from) if d]
    last = [d for d in (old.daily_through if old else None, fetched.daily_through) if d]
    months = [m for m in ((old.keywords_through if old else None), *fetched.keywords) if m]
    db.execute(
        "insert into insights_marks (location_id, daily_from, daily_through, keywords_through, synced_at) "
        "values (?, ?, ?, ?, ?) on conflict (location_id) do update set daily_from = excluded.daily_from, "
        "daily_through = excluded.daily_through, keywords_through = excluded.keywords_through, "
        "synced_at = excluded.synced_at",
        [
            fetched.location_id,
            min(first).isoformat() if first else None,
            max(last).isoformat() if last else None,
            max(months) if months else None,
            synced_at,
        ],
    )


# -- reads ---------------------------------------------------------------------------------
def mark(db: sqlite_utils.Database, location_id: str) -> Mark | None:
    row = next(db.query("select * from insights_marks where location_id = ?", [location_id]), None)
    if row is None:
        return None
    return Mark(row["location_id"], _day(row["daily_from"]), _day(row["daily_through"]),
                row["keywords_through"], row["synced_at"])


def marks(db: sqlite_utils.Database) -> dict[str, Mark]:
    """Every synced store's mark, by location id."""
    return {
        row["location_id"]: Mark(row["location_id"], _day(row["daily_from"]), _day(row["daily_through"]),
                                 row["keywords_through"], row["synced_at"])
        for row in db.query("select * from insights_marks")
    }


def last_day(db: sqlite_utils.Database, locations: Sequence[str] | None = None) -> date | None:
    """The latest day stored for any of the stores (None when nothing is)."""
    params: list[Any] = []
    sql = "select max(day) as day from insights_daily where 1" + _in("location_id", locations, params)
    row = next(db.query(sql, params), None)
    return _day(row["day"] if row else None)


def _period(by: str, start: date) -> str:
    """SQL for the first day of the bucket a row's day falls in. `start` is a date, so its
    ISO form is a safe literal."""
    first = f"'{start.isoformat()}'"
    if by == "day":
        return "day"
    if by == "week":  # seven-day blocks counted from the period's first day
        return (f"date({first}, '+' || (cast((julianday(day) - julianday({first})) / 7 as integer) * 7)"
                " || ' days')")
    if by == "month":
        return "substr(day, 1, 7) || '-01'"
    if by == "total":
        return first
    raise ValueError(f"by must be one of {', '.join(BUCKETS)}, not {by!r}")


def daily_totals(
    db: sqlite_utils.Database,
    locations: Sequence[str] | None,
    metrics: Sequence[str] | None,
    start: date,
    end: date,
    by: str = "total",
    *,
    per_store: bool = True,
) -> list[dict[str, Any]]:
    """Sums of each metric from `start` to `end` inclusive, per bucket.

    Rows `{"location_id", "metric", "period", "value", "days"}` ordered by store, metric and
    period; `period` is the bucket's first day (ISO; `by="week"` counts seven-day blocks from
    `start`, `by="month"` calendar months, `by="total"` one bucket starting at `start`);
    `days` is how many stored days went into it. `locations`/`metrics` None means all;
    `per_store=False` adds the stores up (location_id None). Buckets with no stored day are
    absent, not 0."""
    params: list[Any] = [start.isoformat(), end.isoformat()]
    where = _in("location_id", locations, params) + _in("metric", metrics, params)
    group = "location_id, metric, period" if per_store else "metric, period"
    store = "location_id" if per_store else "null"
    sql = (
        f"select {store} as location_id, metric, {_period(by, start)} as period, sum(value) as value, "
        f"count(distinct day) as days from insights_daily where day between ? and ?{where} "
        f"group by {group} order by {group}"
    )
    return list(db.query(sql, params))


def keyword_months(db: sqlite_utils.Database, locations: Sequence[str] | None = None) -> list[str]:
    """The months ('YYYY-MM') with keyword figures for any of the stores, newest first."""
    params: list[Any] = []
    sql = "select distinct month from search_keywords_monthly where 1" + _in("location_id", locations, params)
    return [row["month"] for row in db.query(sql + " order by month desc", params)]


def previous_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + number - 2
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def top_keywords(
    db: sqlite_utils.Database, locations: Sequence[str] | None, month: str, limit: int = 10
) -> list[dict[str, Any]]:
    """Each store's top `limit` keywords of `month`, with the previous month's figure.

    Rows `{"location_id", "rank", "keyword", "value", "threshold", "previous_value",
    "previous_threshold", "change"}`: counts first (largest first), then keywords Google only
    bounded (value NULL, threshold N: "fewer than N"). `change` is value minus the previous
    value when both months have a count, else None: a threshold is never used as a number."""
    params: list[Any] = [previous_month(month), month]
    where = _in("k.location_id", locations, params)
    sql = f"""
        select k.location_id, k.keyword, k.value, k.threshold,
          p.value as previous_value, p.threshold as previous_threshold
        from search_keywords_monthly k
        left join search_keywords_monthly p
          on p.location_id = k.location_id and p.keyword = k.keyword and p.month = ?
        where k.month = ?{where}
        order by k.location_id, k.value is null, k.value desc, k.threshold desc, k.keyword
    """
    out: list[dict[str, Any]] = []
    ranks: dict[str, int] = {}
    for row in db.query(sql, params):
        rank = ranks.get(row["location_id"], 0) + 1
        if rank > limit:
            continue
        ranks[row["location_id"]] = rank
        both = row["value"] is not None and row["previous_value"] is not None
        out.append({"location_id": row["location_id"], "rank": rank, "keyword": row["keyword"],
                    "value": row["value"], "threshold": row["threshold"],
                    "previous_value": row["previous_value"],
                    "previous_threshold": row["previous_threshold"],
                    "change": row["value"] - row["previous_value"] if both else None})
    return out


def counts(db: sqlite_utils.Database) -> Mapping[str, int]:
    """Rows held, for the report's coverage line and for tests."""
    return {
        "daily": db.table("insights_daily").count,
        "keywords": db.table("search_keywords_monthly").count,
        "stores": db.table("insights_marks").count,
    }


def keyword_rows(db: sqlite_utils.Database, location_id: str, month: str) -> Iterable[dict[str, Any]]:
    """One store's keyword rows of a month, as stored (value or threshold)."""
    return db.query(
        "select keyword, value, threshold from search_keywords_monthly where location_id = ? and month = ? "
        "order by value is null, value desc, keyword",
        [location_id, month],
    )
