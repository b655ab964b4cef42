"""Tracked keywords: what to search for around which store, on which grid and schedule.
Owns the table rank_keywords.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from localcx.clock import Clock, iso
from localcx.errors import NotFoundError


@dataclass
class Keyword:
    id: str
    location_id: str
    store_code: str
    keyword: str
    grid: int
    spacing_m: float
    schedule: str | None
    starts_at: str | None
    last_scan_id: str | None
    last_scan_at: str | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Keyword:
        return cls(
            row["id"],
            row["location_id"],
            row["store_code"],
            row["keyword"],
            row["grid"],
            row["spacing_m"],
            row["schedule"],
            row["starts_at"],
            row["last_scan_id"],
            row["last_scan_at"],
        )

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "store_code": self.store_code,
            "keyword": self.keyword,
            "grid": f"{self.grid}x{self.grid}",
            "spacing_m": self.spacing_m,
            "every": self.schedule,
            "last_scan": self.last_scan_id,
            "last_scan_at": self.last_scan_at,
        }


def _id(location_id: str, keyword: str) -> str:
    return "kw-" + hashlib.sha256(f"{location_id}|{keyword.casefold()}".encode()).hexdigest()[:12]


def add(
    db: sqlite_utils.Database,
    stores: Iterable[tuple[str, str]],
    words: Iterable[str],
    *,
    grid: int,
    spacing_m: float,
    schedule: str | None,
    starts_at: str | None,
    clock: Clock,
) -> tuple[int, int]:
    """Track each keyword for each (location_id, store_code); an existing pair takes the
    new grid and schedule. Returns (added, updated)."""
    added = updated = 0
    now = iso(clock.now())
    words = [w.strip() for w in words if w.strip()]
    with db.atomic():
        for location_id, store_code in stores:
            for word in words:
                key = _id(location_id, word)
                values = {"grid": grid, "spacing_m": spacing_m, "schedule": schedule, "starts_at": starts_at}
                if db.table("rank_keywords").count_where("id = ?", [key]):
                    db.table("rank_keywords").update(key, values)
                    updated += 1
                    continue
                db.table("rank_keywords").insert(
                    {
                        "id": key,
                        "location_id": location_id,
                        "store_code": store_code,
                        "keyword": word,
                        **values,
                        "created_at": now,
                        "last_scan_id": None,
                        "last_scan_at": None,
                    }
                )
                added += 1
    return added, updated


def list_keywords(
    db: sqlite_utils.Database, *, keys: Iterable[str] | None = None, words: Iterable[str] | None = None
) -> list[Keyword]:
    wanted = set(keys) if keys is not None else None
    folded = {w.casefold() for w in words} if words else None
    return [
        Keyword.from_row(row)
        for row in db.query("select * from rank_keywords order by store_code, keyword")
        if (wanted is None or row["store_code"] in wanted)
        and (folded is None or row["keyword"].casefold() in folded)
    ]


def remove(db: sqlite_utils.Database, keywords: Iterable[Keyword]) -> int:
    """Stop tracking; past scans stay for history."""
    ids = [k.id for k in keywords]
    with db.atomic():
        for key in ids:
            db.table("rank_keywords").delete(key)
    return len(ids)


def get(db: sqlite_utils.Database, keyword_id: str) -> Keyword:
    row = next(db.query("select * from rank_keywords where id = ?", [keyword_id]), None)
    if row is None:
        raise NotFoundError(f"no tracked keyword {keyword_id!r}", hint="see: localcx rank keywords list")
    return Keyword.from_row(row)


def mark_scanned(db: sqlite_utils.Database, keyword_id: str, scan_id: str, at: str) -> None:
    with db.atomic():
        db.execute(
            "update rank_keywords set last_scan_id = ?, last_scan_at = ? where id = ?",
            [scan_id, at, keyword_id],
        )
