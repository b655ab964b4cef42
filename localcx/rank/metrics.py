"""How well a place ranks across a scan's grid: ARP, ATRP, SoLV and found share.

A scan reads the first D results (the *depth*: 20 a page, up to 3 pages) at each point it
got an answer from. For one place, at every such point p, r(p) is its 1-based position in
the ordered place ids, or "not found" when it is not among the first D. Points that got no
answer (an error, a skipped point) are left out of P altogether: a failed request says
nothing about rank, and counting it as "not found" would make an outage look like a drop.

    P      = the grid points answered in the scan;  n = |P|
    F      = the points of P where the place was found within the depth D
    ARP    = (sum of r(p) for p in F) / |F|                         (none when F is empty)
    ATRP   = (sum of r(p) for p in F + (D + 1) * (n - |F|)) / n     (none when n = 0)
    SoLV   = |{p in P : r(p) <= 3}| / n                             (none when n = 0)
    Found  = |F| / n                                                (none when n = 0)

ARP says how high the place sits where it shows up at all; ATRP charges every miss as
D + 1, so a place seen at one point in first position does not beat one seen everywhere in
second. SoLV, the share of local voice, is the share of points where the place would be in
a three-result local pack. Lower ARP and ATRP are better; higher SoLV and Found are better.

Competitors are every other place id seen in the same answers, measured the same way over
the same P (a competitor absent at a point is "not found" there).

Change against a previous scan is current minus previous for each metric, so a negative ARP
change is a move up. It is `None` when the scans are not comparable (another grid, another
depth, another place, or no previous scan) or when either side has no value.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

LOCAL_PACK = 3  # SoLV counts positions 1..3: the local pack shows three places


@dataclass(frozen=True)
class RankMetrics:
    """One place's metrics over one scan. `grid` is the grid's key (see `Grid.key`)."""

    place_id: str
    depth: int
    points: int  # n, points answered
    found: int  # |F|
    top3: int  # points where position <= LOCAL_PACK
    arp: float | None
    atrp: float | None
    solv: float | None
    found_share: float | None
    best: int | None = None
    grid: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "place_id": self.place_id,
            "points": self.points,
            "found": self.found,
            "top3": self.top3,
            "depth": self.depth,
            "arp": self.arp,
            "atrp": self.atrp,
            "solv": self.solv,
            "found_share": self.found_share,
            "best": self.best,
        }


@dataclass(frozen=True)
class MetricsChange:
    """Current minus previous. `comparable` False means every delta is None, and `reason`
    says why in words a person can read."""

    comparable: bool
    reason: str | None
    arp: float | None
    atrp: float | None
    solv: float | None
    found_share: float | None


@dataclass(frozen=True)
class ScanMetrics:
    """The store's metrics and those of every competitor seen, best competitor first."""

    store: RankMetrics
    competitors: tuple[RankMetrics, ...]


def _check_depth(depth: int) -> None:
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 1:
        raise ValueError(f"depth must be a whole number of results of at least 1, not {depth!r}")


def summarise(
    positions: Sequence[int | None], depth: int, *, place_id: str = "", grid: str = ""
) -> RankMetrics:
    """The metrics of one place from its position at each answered point (None: not found
    within `depth`). A position outside 1..depth is a bug in the caller, so it raises."""
    _check_depth(depth)
    found = [p for p in positions if p is not None]
    for p in found:
        if isinstance(p, bool) or not 1 <= p <= depth:
            raise ValueError(f"position {p!r} is outside 1..{depth}")
    n, hits = len(positions), len(found)
    top3 = sum(1 for p in found if p <= LOCAL_PACK)
    return RankMetrics(
        place_id=place_id,
        depth=depth,
        points=n,
        found=hits,
        top3=top3,
        arp=sum(found) / hits if hits else None,
        atrp=(sum(found) + (depth + 1) * (n - hits)) / n if n else None,
        solv=top3 / n if n else None,
        found_share=hits / n if n else None,
        best=min(found) if found else None,
        grid=grid,
    )


def position_in(place_ids: Sequence[str], wanted: str | Collection[str], depth: int) -> int | None:
    """The 1-based position of the first of `wanted` among the first `depth` ids, or None.

    `wanted` may be several ids of one store (its current id and the one Google moved it
    from): rank is matched by place id, never by name."""
    targets = {wanted} if isinstance(wanted, str) else set(wanted)
    for position, place_id in enumerate(place_ids[:depth], start=1):
        if place_id in targets:
            return position
    return None


def positions(
    results: Iterable[Sequence[str]], wanted: str | Collection[str], depth: int
) -> list[int | None]:
    """`position_in` for each point's ordered ids, in the order given."""
    return [position_in(ids, wanted, depth) for ids in results]


def place_metrics(
    results: Sequence[Sequence[str]],
    place_id: str | Sequence[str],
    depth: int,
    *,
    grid: str = "",
) -> RankMetrics:
    """One place's metrics from the ordered place ids of each answered point. Several ids
    (current first, then ids it was known by) are one place, reported under the first."""
    _check_depth(depth)
    ids = [place_id] if isinstance(place_id, str) else list(place_id)
    if not ids or not all(ids):
        raise ValueError("a place id is needed to measure rank (report 'no place ID' instead)")
    return summarise(positions(results, place_id, depth), depth, place_id=ids[0], grid=grid)


def competitor_metrics(
    results: Sequence[Sequence[str]],
    depth: int,
    *,
    exclude: Collection[str] = (),
    grid: str = "",
) -> tuple[RankMetrics, ...]:
    """The metrics of every place id seen within the depth at any point, except `exclude`
    (the store's own ids). Best first: higher SoLV, then lower ATRP, lower ARP, and the
    place id, so ties always come out in the same order."""
    _check_depth(depth)
    seen: dict[str, list[int | None]] = {}
    n = len(results)
    for point, ids in enumerate(results):
        for position, place_id in enumerate(ids[:depth], start=1):
            if place_id in exclude or not place_id:
                continue
            row = seen.setdefault(place_id, [None] * n)
            if row[point] is None:  # the first time a point lists it counts
                row[point] = position
    measured = [
        summarise(row, depth, place_id=place_id, grid=grid) for place_id, row in seen.items()
    ]
    return tuple(sorted(measured, key=_rank_order))


def _rank_order(metrics: RankMetrics) -> tuple[float, float, float, str]:
    return (
        -(metrics.solv or 0.0),
        metrics.atrp if metrics.atrp is not None else float("inf"),
        metrics.arp if metrics.arp is not None else float("inf"),
        metrics.place_id,
    )


def scan_metrics(
    results: Sequence[Sequence[str]],
    store_place_id: str | Sequence[str],
    depth: int,
    *,
    grid: str = "",
) -> ScanMetrics:
    """The store and its competitors over one scan's answered points."""
    store = place_metrics(results, store_place_id, depth, grid=grid)
    own = {store_place_id} if isinstance(store_place_id, str) else set(store_place_id)
    return ScanMetrics(store, competitor_metrics(results, depth, exclude=own, grid=grid))


def _delta(current: float | None, previous: float | None) -> float | None:
    if current is None or previous is None:
        return None
    return current - previous


def _not_comparable(current: RankMetrics, previous: RankMetrics | None) -> str | None:
    if previous is None:
        return "no previous scan"
    if current.grid != previous.grid:
        return "the grid changed (size, spacing or centre)"
    if current.depth != previous.depth:
        return f"the depth changed ({previous.depth} → {current.depth} results)"
    if current.place_id != previous.place_id:
        return "the place id changed"
    if not current.points or not previous.points:
        return "a scan has no answered points"
    return None


def change(current: RankMetrics, previous: RankMetrics | None) -> MetricsChange:
    """current − previous for each metric; all None (and why) when not comparable."""
    reason = _not_comparable(current, previous)
    if reason is not None or previous is None:
        return MetricsChange(False, reason, None, None, None, None)
    return MetricsChange(
        True,
        None,
        arp=_delta(current.arp, previous.arp),
        atrp=_delta(current.atrp, previous.atrp),
        solv=_delta(current.solv, previous.solv),
        found_share=_delta(current.found_share, previous.found_share),
    )
