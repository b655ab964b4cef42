"""Aggregates of finished scans for the report and the board, in SQL: the counts ARP, ATRP
and SoLV are made of (see metrics.py), without decoding every point's place ids."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlite_utils

from localcx.db import where_in


def scan_figures(db: sqlite_utils.Database, ids: Sequence[str] | None, start: str, end: str) -> list[dict[str, Any]]:
    """Per finished scan started in [start, end): points answered, points where the store
    was found, the sum of its positions there, and points in the top three."""
    where, params = where_in("s.location_id", ids)
    return list(db.query(
        "select s.id, s.keyword_id, s.location_id, s.store_code, s.keyword, s.grid, s.depth, s.started_at, "
        "count(p.done_at) as answered, sum(p.done_at is not null and p.position is not null) as found, "
        "coalesce(sum(case when p.done_at is not null then p.position end), 0) as position_sum, "
        "sum(p.done_at is not null and p.position <= 3) as top3 "
        "from rank_scans s join rank_points p on p.scan_id = s.id "
        f"where s.status = 'done' and s.place_id is not null and s.started_at >= ? and s.started_at < ?{where} "
        "group by s.id order by s.started_at, s.id",
        [start, end, *params]))


def scan_positions(db: sqlite_utils.Database, scan_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The store's position at every answered point of these scans."""
    if not scan_ids:
        return []
    marks = ", ".join("?" for _ in scan_ids)
    return list(db.query(
        f"select scan_id, idx, position from rank_points where scan_id in ({marks}) and done_at is not null",
        list(scan_ids)))
