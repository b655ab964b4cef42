"""The morning board: one row per store with what needs a person, worst first.

A store needs a person when any of these holds (the rules `localcx status` documents and
exits 3 on):
- a 1–2★ review of the last 90 days has no owner reply (older ones are counted, not
  flagged: a backlog from years ago must not keep the board red for ever);
- Google rejected a post, or an owner reply (its moderation state is REJECTED);
- a post failed (Google refused it and it will not be tried again);
- drift is open (Google shows a field other than what was set);
and the workspace needs one when the latest run of an area (profiles, posts, rank)
finished partial or was interrupted (`resume` finishes it).
Posts due and not yet sent are shown but are cron's job, not a person's.

The figures: rating is Google's latest average (review_stats); the trend is the average
stars of the last 90 days minus those before; the negative share is the share of the last
90 days' reviews with 1–2★; last ARP is the mean ARP of each keyword's latest scan.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlite_utils

from localcx import stores
from localcx.clock import Clock
from localcx.profiles import drift
from localcx.report import sources
from localcx.report.model import Period, Selection
from localcx.report.sections import rank
from localcx.runs.journal import Journal, RunStatus

RECENT_DAYS = 90
RUN_AREAS = ("profiles", "posts", "rank")
NEEDS_PERSON = (RunStatus.PARTIAL.value, RunStatus.INTERRUPTED.value)


@dataclass
class StoreStatus:
    store: str
    location_id: str
    title: str
    rating: float | None = None
    reviews: int | None = None  # Google's review count
    trend: float | None = None  # recent average stars minus earlier
    recent_reviews: int = 0
    negative_share: float | None = None
    unreplied: int = 0
    unreplied_negative: int = 0
    recent_unreplied_negative: int = 0  # of the last RECENT_DAYS: these need a person
    rejected_replies: int = 0
    last_arp: float | None = None
    last_solv: float | None = None
    open_drift: int = 0
    posts_due: int = 0
    posts_rejected: int = 0
    posts_failed: int = 0
    needs: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Board:
    stores: list[StoreStatus]
    runs: list[dict[str, Any]]  # workspace-wide: runs that need a resume or a look

    @property
    def needs_person(self) -> bool:
        return bool(self.runs) or any(s.needs for s in self.stores)


def selection_of(db: sqlite_utils.Database, text: str) -> Selection:
    """The stores a `--stores` value names; `all` filters nothing."""
    facts = stores.store_facts(db)
    names = {f.location_id: f.key for f in facts}
    if text == "all":
        return Selection(tuple(f.key for f in facts), None, names)
    keys = stores.select(db, text)
    wanted = set(keys)
    return Selection(tuple(keys), tuple(f.location_id for f in facts if f.key in wanted), names)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _reasons(s: StoreStatus) -> list[str]:
    out = []
    if s.recent_unreplied_negative:
        out.append(_plural(s.recent_unreplied_negative, "unreplied 1–2★ review", "unreplied 1–2★ reviews"))
    if s.posts_rejected:
        out.append(_plural(s.posts_rejected, "rejected post", "rejected posts"))
    if s.rejected_replies:
        out.append(_plural(s.rejected_replies, "rejected reply", "rejected replies"))
    if s.posts_failed:
        out.append(_plural(s.posts_failed, "failed post", "failed posts"))
    if s.open_drift:
        out.append(_plural(s.open_drift, "open drift", "open drift"))
    return out


def _add_reviews(db: sqlite_utils.Database, selection: Selection, rows: dict[str, StoreStatus], now: datetime) -> None:
    since = (now - timedelta(days=RECENT_DAYS)).strftime("%Y-%m-%dT%H:%M:%S")
    for r in sources.latest_ratings(db, selection):
        if r["location_id"] in rows:
            rows[r["location_id"]].rating, rows[r["location_id"]].reviews = r["average_rating"], r["total_count"]
    for r in sources.review_store_counts(db, selection, since):
        s = rows.get(r["location_id"])
        if s is None:
            continue
        s.recent_reviews = int(r["recent"] or 0)
        s.negative_share = int(r["recent_negative"] or 0) / s.recent_reviews if s.recent_reviews else None
        if r["recent_stars"] is not None and r["earlier_stars"] is not None:
            s.trend = float(r["recent_stars"]) - float(r["earlier_stars"])
        s.unreplied, s.unreplied_negative = int(r["unreplied"] or 0), int(r["unreplied_negative"] or 0)
        s.recent_unreplied_negative = int(r["recent_unreplied_negative"] or 0)
        s.rejected_replies = int(r["rejected_replies"] or 0)


def _add_rank(db: sqlite_utils.Database, selection: Selection, rows: dict[str, StoreStatus], today: date) -> None:
    data = rank.collect(db, selection, Period(date(1970, 1, 1), today))
    by_store: dict[str, list[rank.ScanFigures]] = {}
    for scan in data.latest if data else []:
        by_store.setdefault(scan.store_code, []).append(scan)
    by_key = {s.store: s for s in rows.values()}
    for store, scans in by_store.items():
        if store in by_key:
            arps = [s.arp for s in scans if s.arp is not None]
            solvs = [s.solv for s in scans if s.solv is not None]
            by_key[store].last_arp = sum(arps) / len(arps) if arps else None
            by_key[store].last_solv = sum(solvs) / len(solvs) if solvs else None


def _add_posts_and_drift(db: sqlite_utils.Database, selection: Selection, rows: dict[str, StoreStatus], now: datetime) -> None:
    moment = now.strftime("%Y-%m-%dT%H:%M:%S.999999Z")
    for r in sources.post_store_counts(db, selection, moment):
        if r["location_id"] in rows:
            s = rows[r["location_id"]]
            s.posts_due, s.posts_rejected, s.posts_failed = int(r["due"] or 0), int(r["rejected"] or 0), int(r["failed"] or 0)
    for event in drift.open_events(db):
        if event["location_id"] in rows:
            rows[event["location_id"]].open_drift += 1


def runs_needing_a_person(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The latest run of each area, when it finished partial or was interrupted:
    {area, id, status, failed, open} (items that failed, items still open)."""
    out = []
    for area in RUN_AREAS:
        latest = next(iter(Journal(db, Clock(), area).runs()), None)
        if latest and latest["status"] in NEEDS_PERSON:
            out.append({"area": area, "id": latest["id"], "status": latest["status"],
                        "failed": int(latest["failed"]), "open": int(latest["open"])})
    return out


def _order(s: StoreStatus) -> tuple[int, int, int, int, int, int, str]:
    return (-len(s.needs), -s.recent_unreplied_negative, -s.unreplied_negative, -s.posts_rejected, -s.open_drift, -s.posts_failed, s.store)


def board(db: sqlite_utils.Database, selection: Selection, now: datetime) -> Board:
    """Every selected store's figures and what needs a person, worst first."""
    wanted = set(selection.keys)
    rows = {
        r["location_id"]: StoreStatus(stores.store_key(r["store_code"], r["location_id"]), r["location_id"], r["title"] or "")
        for r in stores.list_stores(db, keys=None if selection.location_ids is None else wanted)
    }
    _add_reviews(db, selection, rows, now)
    _add_rank(db, selection, rows, now.date())
    _add_posts_and_drift(db, selection, rows, now)
    for s in rows.values():
        s.needs = _reasons(s)
    return Board(sorted(rows.values(), key=_order), runs_needing_a_person(db))
