"""Starting, resuming and pricing scans: keywords → grids → one executor run of points.

One run holds every point of the scans it starts, so `rank scan --resume` (or the next
`rank run-due`) finishes exactly the points left open. Competitors' names are fetched
after a scan, once per new place id in anyone's top three, at their higher SKU.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlite_utils

from localcx import stores
from localcx.clock import Clock, iso
from localcx.errors import LocalcxError
from localcx.google.clients import Google
from localcx.google.places import RANK_MASK
from localcx.rank import competitors, keywords, scans
from localcx.rank.cost import ScanPlan, estimate_run, price_table, request_cost
from localcx.rank.grid import build_grid
from localcx.rank.keywords import Keyword
from localcx.rank.scanner import AREA, Budget, PointSearch
from localcx.runs.executor import Executor, Progress, RunResult
from localcx.runs.journal import Journal, NewItem
from localcx.schedule import next_occurrence, parse_schedule
from localcx.stores.zones import store_zone

DEPTH = 20  # one page: what a person sees in the local results
COMPETITOR_TOP = 3  # names are fetched for places in someone's top three
RESUME = "localcx rank scan --resume"


@dataclass
class ScanRun:
    result: RunResult | None
    scans: list[scans.Scan] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "STORE: reason"
    competitor_calls: int = 0


def _store(db: sqlite_utils.Database, keyword: Keyword) -> stores.StoredLocation:
    stored = stores.stored_location(db, keyword.location_id)
    if stored is None:
        raise LocalcxError(f"{keyword.store_code} is no longer synced", hint="run: localcx locations sync")
    return stored


def plan_for(keyword: Keyword) -> ScanPlan:
    return ScanPlan(points=keyword.grid * keyword.grid, pages_per_point=DEPTH // 20, field_mask=RANK_MASK)


def skip_reason(db: sqlite_utils.Database, keyword: Keyword) -> str | None:
    """Why a keyword's store cannot be scanned (no request is made for it), or None."""
    raw = _store(db, keyword).raw
    if "latitude" not in (raw.get("latlng") or {}):
        return "no coordinates on Google"
    if not (raw.get("metadata") or {}).get("placeId"):
        return "no place id (not on Maps), nothing to rank"
    return None


def runs_in_30_days(keyword: Keyword, now: datetime, zone: Any) -> int:
    """How often a keyword's schedule scans in the 30 days from `now` (0 without one)."""
    if not keyword.schedule or not keyword.starts_at:
        return 0
    recurrence = parse_schedule(keyword.schedule)
    start = datetime.fromisoformat(keyword.starts_at.replace("Z", "+00:00"))
    count, after, end = 0, now, now + timedelta(days=30)
    while (following := next_occurrence(start, recurrence, zone, after=after)) is not None and following <= end:
        count += 1
        after = following
    return count


def estimate(
    db: sqlite_utils.Database,
    kws: Sequence[Keyword],
    prices: dict[str, Any] | None = None,
    *,
    now: datetime | None = None,
    timezone: str = "UTC",
) -> dict[str, Any]:
    """Requests per SKU and money for one run of every keyword, counting only the stores a
    scan will query (competitor names come on top, one call per new place in a top three,
    at most the points' count)."""
    table = price_table(prices)
    total_requests = month_requests = 0
    total_cost = month_cost = Decimal(0)
    skipped = []
    for keyword in kws:
        reason = skip_reason(db, keyword)
        if reason is not None:
            skipped.append(f"{keyword.store_code}: {reason}")
            continue
        run = estimate_run(plan_for(keyword), table)
        total_requests += run.total_requests
        total_cost += run.total_cost
        if now is not None:
            stored = stores.stored_location(db, keyword.location_id)
            runs = runs_in_30_days(keyword, now, store_zone(stored.raw if stored else {}, timezone))
            month_requests += runs * run.total_requests
            month_cost += runs * run.total_cost
    return {
        "keywords": len(kws) - len(skipped),
        "requests": total_requests,
        "cost": total_cost,
        "requests_next_30_days": month_requests,
        "cost_next_30_days": month_cost,
        "skipped": skipped,
    }


def start(
    db: sqlite_utils.Database,
    google: Google,
    kws: Sequence[Keyword],
    *,
    clock: Clock,
    region: str,
    budget: Decimal | None,
    prices: dict[str, Any] | None = None,
    workers: int = 4,
    progress: Progress | None = None,
) -> ScanRun:
    """A scan for each keyword, all in one run."""
    out = ScanRun(None)
    items: list[NewItem] = []
    for keyword in kws:
        raw = _store(db, keyword).raw
        latlng = raw.get("latlng") or {}
        if "latitude" not in latlng:
            out.skipped.append(f"{keyword.store_code}: no coordinates on Google")
            continue
        grid = build_grid(latlng["latitude"], latlng["longitude"], keyword.grid, spacing=keyword.spacing_m)
        scan = scans.start(
            db,
            keyword_id=keyword.id,
            location_id=keyword.location_id,
            store_code=keyword.store_code,
            keyword=keyword.keyword,
            place_id=(raw.get("metadata") or {}).get("placeId"),
            grid=keyword.grid,
            spacing_m=grid.spacing_m,
            bias_m=grid.bias_radius_m,
            language=str(raw.get("languageCode") or "") or None,
            region=str((raw.get("storefrontAddress") or {}).get("regionCode") or region),
            depth=DEPTH,
            points=grid.points,
            clock=clock,
        )
        out.scans.append(scan)
        if scan.place_id is None:
            out.skipped.append(f"{keyword.store_code}: no place id (not on Maps), nothing to rank")
            continue
        items.extend(NewItem(f"{scan.id}#{p.index}", keyword.store_code, {"scan_id": scan.id, "index": p.index}) for p in grid.points)
    if not items:
        return out
    journal = Journal(db, clock, AREA)
    run_id = journal.open_run("scan", items, source=", ".join(sorted({k.keyword for k in kws})))
    for scan in out.scans:
        scans.set_run(db, scan.id, run_id)
    out.result = _execute(db, google, journal, run_id, clock=clock, budget=budget, prices=prices, workers=workers, progress=progress)
    out.competitor_calls = _after(db, google, out.scans, clock, out.result)
    return out


def resume(
    db: sqlite_utils.Database,
    google: Google,
    *,
    clock: Clock,
    budget: Decimal | None,
    prices: dict[str, Any] | None = None,
    workers: int = 4,
    progress: Progress | None = None,
) -> ScanRun | None:
    """Finish the open scan run, asking only the points without an answer."""
    journal = Journal(db, clock, AREA)
    open_run = journal.latest_unfinished()
    if open_run is None:
        return None
    run_scans = [s for s in scans.unfinished(db) if s.run_id == open_run["id"]]
    result = _execute(db, google, journal, open_run["id"], clock=clock, budget=budget, prices=prices, workers=workers, progress=progress)
    return ScanRun(result, run_scans, competitor_calls=_after(db, google, run_scans, clock, result))


def _execute(
    db: sqlite_utils.Database,
    google: Google,
    journal: Journal,
    run_id: str,
    *,
    clock: Clock,
    budget: Decimal | None,
    prices: dict[str, Any] | None,
    workers: int,
    progress: Progress | None,
) -> RunResult:
    job = PointSearch(db, google, clock, Budget(budget, request_cost(RANK_MASK, price_table(prices))))
    executor = Executor(db, journal, job, clock=clock, workers=workers, progress=progress, resume_command=RESUME)
    return executor.run(run_id)


def _after(db: sqlite_utils.Database, google: Google, done: Sequence[scans.Scan], clock: Clock, result: RunResult) -> int:
    """Close finished scans, note them on their keywords, and name new competitors."""
    seen: set[str] = set()
    for scan in done:
        if scans.points(db, scan.id, open_only=True):
            continue
        scans.finish(db, scan.id, clock)
        keywords.mark_scanned(db, scan.keyword_id, scan.id, iso(clock.now()))
        for point in scans.points(db, scan.id):
            seen.update((point.place_ids or [])[:COMPETITOR_TOP])
        if scan.place_id:
            seen.discard(scan.place_id)
    if result.stop_error is not None:
        return 0
    calls = 0
    for place_id in competitors.stale(db, seen, clock):
        try:
            competitors.save(db, google.places.details(place_id), clock)
        except LocalcxError:
            continue  # a name is a nicety; the ranks are already stored
        calls += 1
    return calls


def due(db: sqlite_utils.Database, now: datetime, timezone: str) -> list[Keyword]:
    """Keywords whose schedule has an occurrence since their last scan (or never scanned)."""
    out = []
    for keyword in keywords.list_keywords(db):
        if not keyword.schedule or not keyword.starts_at:
            continue
        start = datetime.fromisoformat(keyword.starts_at.replace("Z", "+00:00"))
        if keyword.last_scan_at is None:
            if start <= now:
                out.append(keyword)
            continue
        last = datetime.fromisoformat(keyword.last_scan_at.replace("Z", "+00:00"))
        stored = stores.stored_location(db, keyword.location_id)
        zone = store_zone(stored.raw if stored else {}, timezone)
        following = next_occurrence(start, parse_schedule(keyword.schedule), zone, after=last)
        if following is not None and following <= now:
            out.append(keyword)
    return out
