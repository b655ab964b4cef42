"""Scanning a grid on the shared run executor: one item per grid point.

A point's search is a read, so an answer lost to a crash is simply asked again; a point
already answered is never asked again, which is what `rank scan --resume` relies on.
Every request is priced before it is sent: a scan stops (exit 4, resumable) before the
request that would pass its budget.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import sqlite_utils

from localcx.clock import Clock
from localcx.google.clients import Google
from localcx.google.errors import GoogleQuotaError
from localcx.google.places import PAGE_SIZE, RANK_MASK
from localcx.rank import scans
from localcx.rank.cost import Sku, would_exceed
from localcx.rank.metrics import position_in
from localcx.runs.executor import Decision
from localcx.runs.journal import Item, ItemStatus

AREA = "rank"


class BudgetExceeded(GoogleQuotaError):
    """The next request would cost more than the budget allows: stop, resumable (exit 4)."""


@dataclass
class Budget:
    """Money a run may spend; `None` means no cap. Shared by the worker threads."""

    limit: Decimal | None
    price: Decimal  # one rank request, at its SKU
    spent: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def take(self) -> None:
        with self._lock:
            if would_exceed(self.spent, self.price, self.limit):
                raise BudgetExceeded(
                    f"the next request would pass the budget of {self.limit} (spent {self.spent})",
                    "raise --budget (see: localcx rank estimate), then: localcx rank scan --resume",
                )
            self.spent += self.price


class PointSearch:
    """The executor's Job: Text Search from one grid point, as many pages as the depth."""

    def __init__(self, db: sqlite_utils.Database, google: Google, clock: Clock, budget: Budget):
        self.db = db
        self.google = google
        self.clock = clock
        self.budget = budget
        self._answers: dict[int, tuple[list[str], int | None, int]] = {}
        self._lock = threading.Lock()
        self._scans: dict[str, scans.Scan] = {}

    def _scan(self, scan_id: str) -> scans.Scan:
        # Never read the database while holding self._lock: the executor's _settle holds
        # the database's lock while confirm() takes self._lock, so the other order deadlocks.
        with self._lock:
            cached = self._scans.get(scan_id)
        if cached is None:
            cached = scans.get(self.db, scan_id)
            with self._lock:
                cached = self._scans.setdefault(scan_id, cached)
        return cached

    def prepare(self, items: Sequence[Item]) -> None:
        """Nothing to read first: each point stands alone."""

    def decide(self, item: Item) -> Decision:
        point = scans.point(self.db, str(item.payload["scan_id"]), int(item.payload["index"]))
        if point.place_ids is not None:
            return Decision.settle(ItemStatus.DONE, "answered before")
        return Decision.send_it()

    def send(self, item: Item) -> None:
        scan = self._scan(str(item.payload["scan_id"]))
        point = scans.point(self.db, scan.id, int(item.payload["index"]))
        ids: list[str] = []
        token: str | None = None
        requests = 0
        while len(ids) < scan.depth:
            self.budget.take()
            page = self.google.places.search_text(
                scan.keyword,
                latitude=point.lat,
                longitude=point.lng,
                radius=scan.bias_radius_m,
                language=scan.language,
                region=scan.region,
                page_token=token,
                mask=RANK_MASK,
            )
            requests += 1
            ids.extend(p["id"] for p in page.get("places", []) if p.get("id"))
            token = page.get("nextPageToken")
            if not token or (scan.place_id and scan.place_id in ids):
                break
        ids = ids[: scan.depth]
        position = position_in(ids, scan.place_id or "", scan.depth) if scan.place_id else None
        with self._lock:
            self._answers[item.id] = (ids, position, requests)

    def landed(self, item: Item) -> bool:
        return False  # a search leaves nothing behind on Google: ask again

    def confirm(self, item: Item) -> None:
        with self._lock:
            answer = self._answers.pop(item.id, None)
        if answer is None:
            return
        ids, position, requests = answer
        scans.record_point(
            self.db, str(item.payload["scan_id"]), int(item.payload["index"]), ids, position, requests, self.clock
        )

    def failed(self, item: Item) -> None:
        """Google refused this point's search; the journal says why, the point stays open."""


PAGES_AT = {20: 1, 40: 2, 60: 3}
DEFAULT_DEPTH = PAGE_SIZE
IDS_ONLY = Sku.IDS_ONLY
