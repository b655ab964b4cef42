"""Several stores' reviews merged into one order, for batchGetReviews.

A batch call pages through up to 50 stores at once. Merging their views on every page would
cost 50 view look-ups and a merge per page; instead the merged list is built once and kept
while none of its stores changes (the span `world_reviews.validity` gives), so a page is a
bisect and a slice. A few sets are kept (a sync walks one set of stores at a time).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from localcx.sandbox import world_reviews
from localcx.sandbox.world_reviews import Profile, Shown

_KEEP = 4


@dataclass(frozen=True)
class ReviewSet:
    """The stores' visible reviews in one order, valid for `now` in [valid_from, valid_until)."""

    keys: list[tuple[Any, ...]]  # ascending sort keys (world_reviews.sort_key)
    entries: list[tuple[int, Shown]]  # (index of the store in the profiles, the review)
    valid_from: float
    valid_until: float


_cache: OrderedDict[tuple[Any, ...], ReviewSet] = OrderedDict()
_lock = threading.Lock()


def review_set(profiles: tuple[Profile, ...], order: str, commented_only: bool,
               now: float) -> ReviewSet:
    """The merged reviews of `profiles` at `now` (cached while it stays valid)."""
    key = (profiles, order, commented_only)
    with _lock:
        found = _cache.get(key)
        if found is not None and found.valid_from <= now < found.valid_until:
            _cache.move_to_end(key)
            return found
    low, high = float("-inf"), float("inf")
    merged: list[tuple[tuple[Any, ...], int, Shown]] = []
    for i, p in enumerate(profiles):
        items, keys = world_reviews.view(p, now).ordered(order, commented_only)
        merged.extend(zip(keys, [i] * len(keys), items, strict=True))
        start, until = world_reviews.validity(p, now)
        low, high = max(low, start), min(high, until)
    merged.sort(key=lambda t: t[0])
    built = ReviewSet([k for k, _, _ in merged], [(i, s) for _, i, s in merged], low, high)
    with _lock:
        _cache[key] = built
        _cache.move_to_end(key)
        while len(_cache) > _KEEP:
            _cache.popitem(last=False)
    return built
