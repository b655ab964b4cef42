"""Aggregates of the post queue for the report and the board, in SQL (without decoding
every post's body)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlite_utils

from localcx.db import where_in


def days(db: sqlite_utils.Database, ids: Sequence[str] | None, start: str, end: str) -> list[dict[str, Any]]:
    """Per day due: posts published (and not rejected), rejected by Google, still queued,
    and failed."""
    where, params = where_in("location_id", ids)
    return list(db.query(
        "select substr(due_at, 1, 10) as day, "
        "sum(status = 'published' and coalesce(google_state, '') != 'REJECTED') as published, "
        "sum(status = 'published' and google_state = 'REJECTED') as rejected, "
        "sum(status in ('queued', 'publishing')) as queued, sum(status = 'failed') as failed "
        f"from posts where due_at >= ? and due_at < ?{where} group by day order by day",
        [start, end, *params]))


def store_counts(db: sqlite_utils.Database, ids: Sequence[str] | None, now: str) -> list[dict[str, Any]]:
    """Per store: posts due by now and not yet sent, posts Google rejected, posts failed."""
    where, params = where_in("location_id", ids)
    return list(db.query(
        "select location_id, sum(status = 'queued' and due_at <= ?) as due, "
        "sum(status = 'published' and google_state = 'REJECTED') as rejected, "
        f"sum(status = 'failed') as failed from posts where 1{where} group by location_id",
        [now, *params]))
