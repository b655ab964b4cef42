"""Incremental review sync: read only what changed since each store's mark, cheaply.

Google lists a store's reviews newest `updateTime` first, and an edited review (or one with
a new owner reply) floats back to the top, so a sync can stop paging at the first review
older than the store's mark. The mark is the start of the store's last finished sync minus
`OVERLAP`, a margin for clock skew and for reviews Google publishes late.

* **Incremental** stores are read together, up to 50 a call, through `batchGetReviews`,
  whose merged `updateTime desc` stream lets one page stand for 50 quiet stores: a sync
  with nothing new costs one request per 50 stores. Batches group stores with similar
  marks, so one long-quiet store does not make a busy batch read far back. A batch Google
  refuses as a whole (one unverified store in it, say) is read again store by store, so
  the refusal is pinned on its store and the others still sync.
* **Full** stores (the first sync, or `--full`) are listed one by one to the end: that also
  yields Google's own average rating and total count, and marks the reviews that are gone.

Resumable without a journal: pages are upserts by review id (reading one twice changes
nothing), and a store's mark moves only when its sync finished, so after `kill -9` the
next sync re-reads exactly the stores that did not finish.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from localcx.clock import Clock, iso
from localcx.errors import LocalcxError
from localcx.google.clients import Google
from localcx.google.errors import GoogleApiError, GoogleAuthError, GoogleQuotaError
from localcx.reviews import store
from localcx.stores import StoredLocation, has_voice_of_merchant

AREA = "reviews"
OVERLAP = timedelta(days=1)
BATCH = 50  # locations per batchGetReviews call (GOOGLE-API.md §7)
PAGE = 50  # reviews per page, Google's maximum
FLUSH_ROWS = 1000  # reviews written per transaction: pages are buffered up to this many

Progress = Callable[[int], None]


@dataclass
class SyncResult:
    stores: int = 0
    requests: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    replies_checked: int = 0
    new_reviews: list[dict[str, Any]] = field(default_factory=list)  # those `keep` asked for
    failures: list[str] = field(default_factory=list)  # "STORE: reason"
    skipped: list[str] = field(default_factory=list)  # "STORE: reason", no request made
    stopped: LocalcxError | None = None  # quota, login or a failing Google: re-run to finish

    def summary(self) -> dict[str, Any]:
        return {
            "stores": self.stores,
            "requests": self.requests,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "replies_checked": self.replies_checked,
            "failures": self.failures,
            "skipped": self.skipped,
            "finished": self.stopped is None,
        }


@dataclass(frozen=True)
class _Store:
    location: StoredLocation
    mark: str | None  # None: read everything

    @property
    def v4(self) -> str:
        return f"{self.location.account}/locations/{self.location.location_id}"


def _parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


class ReviewSync:
    def __init__(
        self,
        db: sqlite_utils.Database,
        google: Google,
        clock: Clock,
        progress: Progress | None = None,
        keep: Callable[[dict[str, Any]], bool] | None = None,
    ):
        """`keep` picks the new reviews to hand back (for alerts); the others are only
        counted, so a first sync of 100,000 reviews holds none of them in memory. A store's
        first sync hands back none: three years of reviews are history, not news."""
        self.db = db
        self.keep = keep
        self.google = google
        self.clock = clock
        self.progress = progress or (lambda n: None)
        self.result = SyncResult()
        self.started = clock.utcnow()
        self._buffer: list[tuple[dict[str, Any], str, str | None]] = []
        self._first_sync: set[str] = set()  # stores read for the first time: nothing to alert on

    def run(self, locations: Sequence[StoredLocation], *, full: bool = False) -> SyncResult:
        self.result.stores = len(locations)
        incremental: list[_Store] = []
        whole: list[_Store] = []
        for location in locations:
            if not has_voice_of_merchant(location.raw):
                self.result.skipped.append(f"{location.key}: not verified (Google shows reviews only to a verified owner)")
                self.progress(1)
                continue
            mark = None if full else store.sync_mark(self.db, location.location_id)
            if mark is None or mark.synced_from is None:
                whole.append(_Store(location, None))
                if store.sync_mark(self.db, location.location_id) is None:
                    self._first_sync.add(location.location_id)
            else:
                incremental.append(_Store(location, mark.synced_from))
        try:
            # Batches hold one account's stores (batchGetReviews is per account), those with
            # similar marks together: sort by mark, then (stably) by account.
            incremental.sort(key=lambda s: s.mark or "", reverse=True)
            incremental.sort(key=lambda s: s.location.account)
            for start in range(0, len(incremental), BATCH):
                self._incremental(incremental[start:start + BATCH])
            for one in whole:
                self._full(one)
            self._recheck_replies({s.location.location_id for s in incremental + whole})
        except (GoogleQuotaError, GoogleAuthError) as exc:
            self.result.stopped = exc
        except GoogleApiError as exc:
            if not exc.error.transient:
                raise
            self.result.stopped = exc
        finally:
            self._flush()  # what was read is kept, whatever stopped the run
        return self.result

    # -- reading -------------------------------------------------------------------------

    def _incremental(self, batch: list[_Store]) -> None:
        if len(batch) == 1:
            self._list(batch[0])
            return
        by_name = {s.v4: s for s in batch}
        oldest_mark = min(s.mark or "" for s in batch)
        token: str | None = None
        account = batch[0].location.account
        if any(s.location.account != account for s in batch):
            # batchGetReviews is per account: split the batch along accounts.
            for acct in sorted({s.location.account for s in batch}):
                self._incremental([s for s in batch if s.location.account == acct])
            return
        try:
            while True:
                page = self.google.reviews.batch(account, list(by_name), page_token=token, page_size=PAGE)
                self.result.requests += 1
                entries = page.get("locationReviews") or []
                items = []
                for entry in entries:
                    one = by_name.get(str(entry.get("name") or ""))
                    review = entry.get("review") or {}
                    if one is not None and review:
                        items.append((review, one.location.location_id, one.location.key))
                self._save(items)
                token = page.get("nextPageToken")
                times = [_parse(t) for e in entries if (t := (e.get("review") or {}).get("updateTime"))]
                if not token or not times or min(times) < _parse(oldest_mark):
                    break
        except GoogleApiError as exc:
            if exc.error.transient or isinstance(exc, GoogleQuotaError | GoogleAuthError):
                raise
            for one in batch:  # find which store Google refused; the rest still sync
                self._list(one)
            return
        for one in batch:
            self._finish(one, google_stats=None, full=False)

    def _list(self, one: _Store, *, full: bool = False) -> None:
        """One store's reviews, newest first, down to its mark (or to the end)."""
        token: str | None = None
        seen: set[str] = set()
        stats: tuple[float | None, int | None] | None = None
        try:
            while True:
                page = self.google.reviews.page(one.v4, page_token=token, page_size=PAGE)
                self.result.requests += 1
                if stats is None:
                    stats = (page.get("averageRating"), page.get("totalReviewCount"))
                reviews = page.get("reviews") or []
                seen.update(str(r.get("reviewId")) for r in reviews)
                self._save([(r, one.location.location_id, one.location.key) for r in reviews])
                token = page.get("nextPageToken")
                if not token or not reviews:
                    break
                if one.mark and not full:
                    times = [_parse(r["updateTime"]) for r in reviews if r.get("updateTime")]
                    if times and min(times) < _parse(one.mark):
                        break
        except GoogleApiError as exc:
            if exc.error.transient or isinstance(exc, GoogleQuotaError | GoogleAuthError):
                raise
            self.result.failures.append(f"{one.location.key}: {exc.error.describe()}")
            self.progress(1)
            return
        if full or one.mark is None:
            self._flush()
            self.result.removed += store.mark_removed(self.db, one.location.location_id, seen, iso(self.clock.now()))
        average, total = stats or (None, None)
        self._finish(one, google_stats=(average, total) if total is not None else None, full=full or one.mark is None)

    def _full(self, one: _Store) -> None:
        self._list(one, full=True)

    def _save(self, items: Iterable[tuple[dict[str, Any], str, str | None]]) -> None:
        """Pages are written a thousand reviews at a time (one transaction each): a crash
        loses at most the buffer, which the next sync reads again (its mark did not move)."""
        self._buffer.extend(items)
        if len(self._buffer) >= FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self._buffer:
            return
        items, self._buffer = self._buffer, []
        counts = store.save_page(self.db, items, iso(self.clock.now()))
        self.result.new += len(counts.new)
        self.result.updated += counts.updated
        self.result.unchanged += counts.unchanged
        if self.keep is not None:  # a store's first sync brings its history, not news
            self.result.new_reviews.extend(
                {k: v for k, v in row.items() if k != "raw"}
                for row in counts.new
                if row["location_id"] not in self._first_sync and self.keep(row)
            )

    def _finish(self, one: _Store, *, google_stats: tuple[float | None, int | None] | None, full: bool) -> None:
        self._flush()  # the store's reviews are written before its mark moves
        now = iso(self.clock.now())
        with self.db.atomic():
            if google_stats is not None:
                store.record_stats(self.db, one.location.location_id, google_stats[0], google_stats[1], now)
            else:
                store.record_stats(self.db, one.location.location_id, None, None, now)
            store.set_mark(self.db, one.location.location_id, synced_from=iso((self.started - OVERLAP).timestamp()), now=now, full=full)
        self.progress(1)

    def _recheck_replies(self, location_ids: set[str]) -> None:
        """Replies still under moderation are read again: Google's decision does not move a
        review up the `updateTime` order, so paging to the mark would never see it."""
        for row in store.pending_replies(self.db):
            if row["location_id"] not in location_ids or not row["name"]:
                continue
            try:
                review = self.google.reviews.get(row["name"])
            except GoogleApiError as exc:
                if exc.error.transient or isinstance(exc, GoogleQuotaError | GoogleAuthError):
                    raise
                continue  # the review is gone; the next full sync marks it
            self.result.requests += 1
            self.result.replies_checked += 1
            self._save([(review, row["location_id"], row["store_code"])])


def sync(
    db: sqlite_utils.Database,
    google: Google,
    locations: Sequence[StoredLocation],
    *,
    clock: Clock,
    full: bool = False,
    progress: Progress | None = None,
    keep: Callable[[dict[str, Any]], bool] | None = None,
) -> SyncResult:
    return ReviewSync(db, google, clock, progress, keep).run(locations, full=full)
