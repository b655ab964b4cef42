"""`insights sync` on the shared run executor: one item per store.

Each store needs one daily-metrics request (every DailyMetric in one call; chunked only when
`--since` reaches back further than one request may span) and one keyword request per month
to fetch (more when a month has over 100 keywords). Which days and months: see windows.py.
A store's rows and its mark are saved in one transaction when the store finishes, so a run
killed halfway (Ctrl-C, `kill -9`) leaves the journal exact: the next `insights sync` first
finishes the open stores of that run, then syncs the selected stores it did not hold.

The requests are reads, so an answer lost to a crash is simply asked again. A store Google
refuses (a 4xx) fails alone and the others go on; quota or login problems stop the run with
the rest left open (see runs/executor.py). Pacing is the transport's: the Performance API
has its own per-minute bucket.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlite_utils

from localcx import stores
from localcx.clock import Clock, iso
from localcx.google.clients import Google
from localcx.google.performance import flatten_daily, flatten_keywords
from localcx.insights import store, windows
from localcx.insights.metrics import DAILY_METRICS
from localcx.runs.executor import Decision, Executor, Progress, RunResult
from localcx.runs.journal import OPEN_ITEMS, Item, ItemStatus, Journal, NewItem
from localcx.stores.zones import store_zone

AREA = "insights"


@dataclass
class Tally:
    """What a run fetched and stored, added up across worker threads."""

    requests: int = 0
    days: int = 0
    values: int = 0
    keywords: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def add(self, **amounts: int) -> None:
        with self._lock:
            for name, amount in amounts.items():
                setattr(self, name, getattr(self, name) + amount)


class StoreFetchJob:
    """The executor's Job: fetch one store's new days and keyword months, then save them."""

    def __init__(self, db: sqlite_utils.Database, google: Google, clock: Clock, timezone: str, tally: Tally):
        self.db = db
        self.google = google
        self.clock = clock
        self.timezone = timezone
        self.tally = tally
        self._fetched: dict[int, store.StoreFetch] = {}
        self._lock = threading.Lock()

    def prepare(self, items: Sequence[Item]) -> None:
        """Nothing to read first: each store stands alone."""

    def decide(self, item: Item) -> Decision:
        if stores.stored_location(self.db, str(item.payload["location_id"])) is None:
            return Decision.settle(ItemStatus.FAILED, "no longer in this workspace; run: localcx locations sync")
        return Decision.send_it()

    def send(self, item: Item) -> None:
        location_id = str(item.payload["location_id"])
        since = date.fromisoformat(item.payload["since"]) if item.payload.get("since") else None
        stored = stores.stored_location(self.db, location_id)
        assert stored is not None  # decide() settled the stores that went away
        today = datetime.fromtimestamp(self.clock.now(), store_zone(stored.raw, self.timezone)).date()
        mark = store.mark(self.db, location_id)
        fetched = store.StoreFetch(location_id, [], {}, None, None)
        window = windows.daily_window(
            date.fromordinal(today.toordinal() - 1), mark.daily_through if mark else None, since
        )
        if window is not None:
            for start, end in windows.chunks(*window):
                answer = self.google.performance.daily(location_id, DAILY_METRICS, start, end)
                self.tally.add(requests=1)
                fetched.daily.extend(flatten_daily(answer))
            days = [day for _, day, _ in fetched.daily]
            fetched.daily_from, fetched.daily_through = (min(days), max(days)) if days else (None, None)
        for month in windows.keyword_months(today, mark.keywords_through if mark else None, since):
            fetched.keywords[windows.month_key(month)] = self._keywords(location_id, month)
        with self._lock:
            self._fetched[item.id] = fetched

    def _keywords(self, location_id: str, month: date) -> list[tuple[str, int | None, int | None]]:
        rows: list[tuple[str, int | None, int | None]] = []
        token: str | None = None
        while True:
            page = self.google.performance.keywords_page(location_id, month, month, token)
            self.tally.add(requests=1)
            rows.extend(flatten_keywords(page))
            token = page.get("nextPageToken") or None
            if not token:
                return rows

    def landed(self, item: Item) -> bool:
        return False  # a read leaves nothing behind on Google: ask again

    def confirm(self, item: Item) -> None:
        with self._lock:
            fetched = self._fetched.pop(item.id, None)
        if fetched is None:
            return
        values, keywords = store.save(self.db, fetched, iso(self.clock.now()))
        self.tally.add(values=values, keywords=keywords, days=len({day for _, day, _ in fetched.daily}))

    def failed(self, item: Item) -> None:
        """Google refused this store; the journal says why and its mark stays where it was."""
        with self._lock:
            self._fetched.pop(item.id, None)


@dataclass
class SyncOutcome:
    """Both runs a sync may drive (the interrupted one it finished, its own) and the tally."""

    runs: list[RunResult] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    stores: int = 0

    @property
    def failures(self) -> list[dict[str, str]]:
        return [{"store": item.label, "error": item.error or ""}
                for run in self.runs for item in run.items if item.status is ItemStatus.FAILED]

    @property
    def stop_error(self) -> Any:
        return next((run.stop_error for run in self.runs if run.stop_error is not None), None)

    def summary(self) -> dict[str, Any]:
        return {
            "runs": [run.run_id for run in self.runs],
            "status": self.runs[-1].status if self.runs else "nothing to sync",
            "stores": self.stores,
            "requests": self.tally.requests,
            "days": self.tally.days,
            "daily_values": self.tally.values,
            "keywords": self.tally.keywords,
            "failures": self.failures,
        }


def sync(
    db: sqlite_utils.Database,
    google: Google,
    keys: Sequence[str] | None,
    *,
    clock: Clock,
    timezone: str,
    since: date | None = None,
    workers: int = 4,
    progress: Progress | None = None,
) -> SyncOutcome:
    """Finish an interrupted insights run, then sync the selected stores (`keys` None: all)
    that it did not hold."""
    outcome = SyncOutcome()
    journal = Journal(db, clock, AREA)
    job = StoreFetchJob(db, google, clock, timezone, outcome.tally)

    def execute(run_id: str) -> RunResult:
        executor = Executor(db, journal, job, clock=clock, workers=workers, progress=progress,
                            resume_command="localcx insights sync")
        return executor.run(run_id)

    held: set[str] = set()
    unfinished = journal.latest_unfinished()
    if unfinished is not None:
        held = {item.key for item in journal.items(unfinished["id"])}
        outcome.stores += len(journal.items(unfinished["id"], OPEN_ITEMS))
        outcome.runs.append(execute(unfinished["id"]))
        if outcome.stop_error is not None:
            return outcome
    wanted = set(keys) if keys is not None else None
    items = [
        NewItem(s.location_id, s.key, {"location_id": s.location_id, "since": since.isoformat() if since else None})
        for s in stores.stored_locations(db)
        if (wanted is None or s.key in wanted) and s.location_id not in held
    ]
    if items:
        run_id = journal.open_run("sync", items, source=f"since {since.isoformat()}" if since else "")
        outcome.runs.append(execute(run_id))
        outcome.stores += len(items)
    return outcome
