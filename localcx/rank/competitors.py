"""Names and ratings of the places seen on the grids, fetched once each (one Place Details
call at a higher SKU) and refreshed when older than the refresh age. Owns `competitors`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlite_utils

from localcx.clock import Clock, iso

REFRESH_DAYS = 30


def stale(db: sqlite_utils.Database, place_ids: Iterable[str], clock: Clock, days: int = REFRESH_DAYS) -> list[str]:
    """The ids never fetched, or fetched more than `days` ago."""
    cutoff = iso(clock.now() - days * 86400)
    fresh = {
        r["place_id"] for r in db.query("select place_id from competitors where fetched_at >= ?", [cutoff])
    }
    return sorted(set(place_ids) - fresh)


def save(db: sqlite_utils.Database, place: dict[str, Any], clock: Clock) -> None:
    with db.atomic():
        db.table("competitors").upsert(
            {
                "place_id": place["id"],
                "name": (place.get("displayName") or {}).get("text"),
                "rating": place.get("rating"),
                "reviews": place.get("userRatingCount"),
                "address": place.get("formattedAddress"),
                "types": json.dumps(place.get("types") or []),
                "fetched_at": iso(clock.now()),
            },
            pk="place_id",
        )


def names(db: sqlite_utils.Database, place_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    wanted = list(place_ids)
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    return {r["place_id"]: r for r in db.query(f"select * from competitors where place_id in ({marks})", wanted)}
