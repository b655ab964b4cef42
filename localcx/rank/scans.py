"""Scans and their points: one row per scan, one per grid point with the ordered place ids
Google returned there and where the store came. Owns rank_scans and rank_points.

A point is written once, when its search is done; `rank scan --resume` asks only for the
points without a result, so a finished point is never queried (or paid for) twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlite_utils

from localcx.clock import Clock, iso
from localcx.errors import NotFoundError
from localcx.runs.journal import new_id


class ScanStatus(StrEnum):
    RUNNING = "running"  # points still open: resumable
    DONE = "done"
    NO_PLACE_ID = "no place id"  # the listing is not on Maps: nothing to look for


@dataclass
class Point:
    scan_id: str
    index: int
    row: int
    col: int
    lat: float
    lng: float
    position: int | None
    place_ids: list[str] | None  # None: not searched yet
    requests: int


@dataclass
class Scan:
    id: str
    keyword_id: str
    location_id: str
    store_code: str
    keyword: str
    place_id: str | None
    grid: int
    spacing_m: float
    bias_radius_m: float
    language: str | None
    region: str | None
    depth: int
    run_id: str | None
    started_at: str
    finished_at: str | None
    status: ScanStatus

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Scan:
        return cls(
            row["id"], row["keyword_id"], row["location_id"], row["store_code"], row["keyword"],
            row["place_id"], row["grid"], row["spacing_m"], row["bias_m"], row["language"],
            row["region"], row["depth"], row["run_id"], row["started_at"], row["finished_at"],
            ScanStatus(row["status"]),
        )

    def public(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "store_code": self.store_code,
            "keyword": self.keyword,
            "grid": f"{self.grid}x{self.grid}",
            "status": self.status.value,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
        }


def start(
    db: sqlite_utils.Database,
    *,
    keyword_id: str,
    location_id: str,
    store_code: str,
    keyword: str,
    place_id: str | None,
    grid: int,
    spacing_m: float,
    bias_m: float,
    language: str | None,
    region: str | None,
    depth: int,
    points: Sequence[Any],
    clock: Clock,
) -> Scan:
    """`points` are `rank.grid.GridPoint`s (index, row, col, lat, lng)."""
    """Record a scan and its points (all open) in one transaction."""
    scan_id = new_id(clock, "scan-")
    row = {
        "id": scan_id,
        "keyword_id": keyword_id,
        "location_id": location_id,
        "store_code": store_code,
        "keyword": keyword,
        "place_id": place_id,
        "grid": grid,
        "spacing_m": spacing_m,
        "bias_m": bias_m,
        "language": language,
        "region": region,
        "depth": depth,
        "run_id": None,
        "started_at": iso(clock.now()),
        "finished_at": None,
        "status": (ScanStatus.RUNNING if place_id else ScanStatus.NO_PLACE_ID).value,
    }
    with db.atomic():
        db.table("rank_scans").insert(row)
        db.table("rank_points").insert_all(
            {
                "scan_id": scan_id, "idx": p.index, "row": p.row, "col": p.col, "lat": p.lat,
                "lng": p.lng, "position": None, "place_ids": None, "requests": 0, "done_at": None,
            }
            for p in points
        )
    return Scan.from_row(row)


def set_run(db: sqlite_utils.Database, scan_id: str, run_id: str) -> None:
    with db.atomic():
        db.execute("update rank_scans set run_id = ? where id = ?", [run_id, scan_id])


def record_point(
    db: sqlite_utils.Database, scan_id: str, index: int, place_ids: list[str], position: int | None, requests: int, clock: Clock
) -> None:
    with db.atomic():
        db.execute(
            "update rank_points set place_ids = ?, position = ?, requests = ?, done_at = ? "
            "where scan_id = ? and idx = ?",
            [json.dumps(place_ids), position, requests, iso(clock.now()), scan_id, index],
        )


def finish(db: sqlite_utils.Database, scan_id: str, clock: Clock) -> None:
    with db.atomic():
        db.execute(
            "update rank_scans set status = ?, finished_at = ? where id = ? and status = ?",
            [ScanStatus.DONE.value, iso(clock.now()), scan_id, ScanStatus.RUNNING.value],
        )


def get(db: sqlite_utils.Database, scan_id: str) -> Scan:
    row = next(db.query("select * from rank_scans where id = ?", [scan_id]), None)
    if row is None:
        raise NotFoundError(f"no scan {scan_id!r}", hint="list scans with: localcx rank history")
    return Scan.from_row(row)


def _point(r: dict[str, Any]) -> Point:
    return Point(
        r["scan_id"], r["idx"], r["row"], r["col"], r["lat"], r["lng"], r["position"],
        json.loads(r["place_ids"]) if r["place_ids"] is not None else None, r["requests"],
    )


def points(db: sqlite_utils.Database, scan_id: str, *, open_only: bool = False) -> list[Point]:
    sql = "select * from rank_points where scan_id = ?" + (" and done_at is null" if open_only else "")
    return [_point(r) for r in db.query(sql + " order by idx", [scan_id])]


def point(db: sqlite_utils.Database, scan_id: str, index: int) -> Point:
    row = next(db.query("select * from rank_points where scan_id = ? and idx = ?", [scan_id, index]))
    return _point(row)


def unfinished(db: sqlite_utils.Database) -> list[Scan]:
    return [
        Scan.from_row(r)
        for r in db.query(
            "select * from rank_scans where status = ? order by started_at", [ScanStatus.RUNNING.value]
        )
    ]


def history(
    db: sqlite_utils.Database, *, keys: Iterable[str] | None = None, keyword: str | None = None
) -> list[Scan]:
    wanted = set(keys) if keys is not None else None
    return [
        Scan.from_row(r)
        for r in db.query("select * from rank_scans order by started_at, rowid")
        if (wanted is None or r["store_code"] in wanted)
        and (keyword is None or r["keyword"].casefold() == keyword.casefold())
    ]


def previous(db: sqlite_utils.Database, scan: Scan) -> Scan | None:
    """The last finished scan of the same keyword before this one (for change)."""
    row = next(
        db.query(
            "select * from rank_scans where keyword_id = ? and status = ? and started_at < ? "
            "order by started_at desc limit 1",
            [scan.keyword_id, ScanStatus.DONE.value, scan.started_at],
        ),
        None,
    )
    return Scan.from_row(row) if row else None


def requests_made(db: sqlite_utils.Database, scan_id: str) -> int:
    row = db.execute("select coalesce(sum(requests), 0) from rank_points where scan_id = ?", [scan_id]).fetchone()
    return int(row[0])


def requests_since(db: sqlite_utils.Database, since: str) -> int:
    """Search requests answered since a moment (UTC ISO): what this month has spent."""
    row = db.execute(
        "select coalesce(sum(requests), 0) from rank_points where done_at >= ?", [since]
    ).fetchone()
    return int(row[0])
