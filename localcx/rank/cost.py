"""What a rank scan costs before it runs: the SKU a field mask is billed at, requests and
money per SKU for a scan plan, per month, and the budget check a scan stops on.

Places API (New) bills each request at the **highest** SKU that any field of its mask
triggers. A rank check needs only `places.id,nextPageToken` (Text Search Essentials, IDs
Only); names and ratings are fetched once for the few competitors shown, and cached.

Prices are per 1,000 requests, in US dollars, as a mapping from SKU. The defaults below are
**placeholders**: Google's current list prices and free monthly allowances were not
confirmed when this was written, so check the current price list and pass your own mapping
(a workspace setting, later). IDs Only is $0 per Google's billing page as captured.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_UP, Decimal, InvalidOperation
from enum import StrEnum

from localcx.errors import UsageError


class Sku(StrEnum):
    """Text Search SKUs, cheapest first (the order `sku_for_mask` takes the highest of)."""

    IDS_ONLY = "ids_only"
    PRO = "pro"
    ENTERPRISE = "enterprise"


_ORDER = {Sku.IDS_ONLY: 0, Sku.PRO: 1, Sku.ENTERPRISE: 2}

RANK_FIELD_MASK = "places.id,nextPageToken"
COMPETITOR_FIELD_MASK = "places.id,places.displayName,places.rating,places.userRatingCount"

IDS_ONLY_FIELDS = frozenset(
    {
        "places.id",
        "places.name",
        "places.attributions",
        "places.movedPlace",
        "places.movedPlaceId",
        "nextPageToken",
    }
)
PRO_FIELDS = frozenset(
    {
        "places.displayName",
        "places.formattedAddress",
        "places.shortFormattedAddress",
        "places.addressComponents",
        "places.adrFormatAddress",
        "places.postalAddress",
        "places.plusCode",
        "places.location",
        "places.viewport",
        "places.types",
        "places.primaryType",
        "places.primaryTypeDisplayName",
        "places.googleMapsUri",
        "places.googleMapsLinks",
        "places.businessStatus",
        "places.photos",
        "places.iconMaskBaseUri",
        "places.iconBackgroundColor",
        "places.utcOffsetMinutes",
        "places.timeZone",
        "places.pureServiceAreaBusiness",
        "places.accessibilityOptions",
        "places.containingPlaces",
        "places.subDestinations",
        "searchUri",
    }
)
# Enterprise, with the Atmosphere fields (reviews and the like) folded in: both are above
# Pro, and a field this module does not know is priced here too (see `sku_for_field`).
ENTERPRISE_FIELDS = frozenset(
    {
        "places.rating",
        "places.userRatingCount",
        "places.websiteUri",
        "places.nationalPhoneNumber",
        "places.internationalPhoneNumber",
        "places.regularOpeningHours",
        "places.currentOpeningHours",
        "places.regularSecondaryOpeningHours",
        "places.currentSecondaryOpeningHours",
        "places.priceLevel",
        "places.priceRange",
        "places.reviews",
        "places.editorialSummary",
    }
)

# Placeholders, NOT confirmed list prices: check the current price list and override.
IDS_ONLY_USD_PER_1000 = Decimal("0.00")
PLACEHOLDER_PRO_USD_PER_1000 = Decimal("32.00")
PLACEHOLDER_ENTERPRISE_USD_PER_1000 = Decimal("35.00")
DEFAULT_PRICES_PER_1000: Mapping[Sku, Decimal] = {
    Sku.IDS_ONLY: IDS_ONLY_USD_PER_1000,
    Sku.PRO: PLACEHOLDER_PRO_USD_PER_1000,
    Sku.ENTERPRISE: PLACEHOLDER_ENTERPRISE_USD_PER_1000,
}
PRICE_HINT = "prices are placeholders: check the current Places API price list"

CENT = Decimal("0.01")  # estimates round up to the cent: they err high
MAX_PAGES_PER_POINT = 3  # 20 results a page; Text Search stops at about 60 (unconfirmed)


def _normal(name: str) -> str:
    """`places.displayName.text` → `places.displayName`; a Place Details mask names fields
    without `places.` (`displayName`), so those are read as the same field."""
    name = name.strip()
    if name in ("nextPageToken", "searchUri", "*"):
        return name
    if not name.startswith("places."):
        name = "places." + name
    return ".".join(name.split(".")[:2])


def sku_for_field(name: str) -> Sku:
    """The SKU one field triggers. An unknown field, `*` or the whole `places` object is
    priced as Enterprise, so an estimate never comes out lower than the bill."""
    normal = _normal(name)
    if normal in IDS_ONLY_FIELDS:
        return Sku.IDS_ONLY
    if normal in PRO_FIELDS:
        return Sku.PRO
    return Sku.ENTERPRISE


def mask_fields(mask: str | Iterable[str]) -> list[str]:
    """The fields of a mask given as `a,b` text or as a list, blanks dropped."""
    parts = mask.split(",") if isinstance(mask, str) else list(mask)
    fields = [part.strip() for part in parts if part.strip()]
    if not fields:
        raise UsageError("a field mask is required", hint=f"e.g. {RANK_FIELD_MASK}")
    return fields


def sku_for_mask(mask: str | Iterable[str]) -> Sku:
    """The SKU a request with this mask is billed at: the highest any field triggers."""
    return max((sku_for_field(f) for f in mask_fields(mask)), key=_ORDER.__getitem__)


def price_table(overrides: Mapping[str, Decimal | int | float | str] | None = None) -> dict[Sku, Decimal]:
    """The defaults with `overrides` (SKU name → US dollars per 1,000 requests) applied;
    refuses unknown SKU names and negative or non-numeric prices."""
    table = dict(DEFAULT_PRICES_PER_1000)
    for name, value in (overrides or {}).items():
        try:
            sku = Sku(name)
        except ValueError:
            raise UsageError(
                f"unknown Places SKU: {name!r}", hint=f"use one of {', '.join(s.value for s in Sku)}"
            ) from None
        try:
            price = Decimal(str(value))
        except InvalidOperation:
            raise UsageError(f"not a price: {value!r} for {name}") from None
        if not price.is_finite() or price < 0:
            raise UsageError(f"a price must be zero or more: {value!r} for {name}")
        table[sku] = price
    return table


@dataclass(frozen=True)
class ScanPlan:
    """What one run of a scan asks Google: `points` per grid (N×N) for each keyword of each
    store, up to `pages_per_point` pages at each point, plus `competitor_details` one-off
    calls with `competitor_mask` to name the competitors shown."""

    points: int
    keywords: int = 1
    stores: int = 1
    pages_per_point: int = 1
    field_mask: str = RANK_FIELD_MASK
    competitor_details: int = 0
    competitor_mask: str = COMPETITOR_FIELD_MASK

    def __post_init__(self) -> None:
        for name in ("points", "keywords", "stores", "competitor_details"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise UsageError(f"{name} must be a whole number of zero or more, not {value!r}")
        if not 1 <= self.pages_per_point <= MAX_PAGES_PER_POINT:
            raise UsageError(
                f"pages per point must be 1 to {MAX_PAGES_PER_POINT}: {self.pages_per_point}",
                hint="each page is 20 results; Text Search returns about 60 at most",
            )

    @property
    def search_requests(self) -> int:
        """An upper bound: a scan may stop paging at a point once the store is found."""
        return self.points * self.keywords * self.stores * self.pages_per_point


@dataclass(frozen=True)
class Estimate:
    """Requests and US dollars per SKU (every SKU present, zero when unused)."""

    requests: Mapping[Sku, int]
    cost: Mapping[Sku, Decimal]
    prices_per_1000: Mapping[Sku, Decimal] = field(default_factory=dict)

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    @property
    def total_cost(self) -> Decimal:
        return sum(self.cost.values(), Decimal(0))

    def as_dict(self) -> dict[str, object]:
        return {
            "requests": {sku.value: n for sku, n in self.requests.items()},
            "cost_usd": {sku.value: str(c) for sku, c in self.cost.items()},
            "total_requests": self.total_requests,
            "total_cost_usd": str(self.total_cost),
        }


def _priced(
    requests: Mapping[Sku, int], prices: Mapping[Sku, Decimal], free: Mapping[Sku, int]
) -> Estimate:
    cost = {}
    for sku in Sku:
        billable = max(0, requests[sku] - free.get(sku, 0))
        cost[sku] = (prices[sku] * billable / 1000).quantize(CENT, rounding=ROUND_UP)
    return Estimate(dict(requests), cost, dict(prices))


def _requests(plan: ScanPlan, runs: int) -> dict[Sku, int]:
    counts = dict.fromkeys(Sku, 0)
    counts[sku_for_mask(plan.field_mask)] += plan.search_requests * runs
    if plan.competitor_details:
        counts[sku_for_mask(plan.competitor_mask)] += plan.competitor_details
    return counts


def estimate_run(plan: ScanPlan, prices: Mapping[Sku, Decimal] | None = None) -> Estimate:
    """The most one run of `plan` can cost, competitor detail calls included. Competitor
    detail calls are priced at the Text Search rate of their SKU, which is at or above the
    Place Details rate, so the estimate errs high."""
    return _priced(_requests(plan, 1), prices or DEFAULT_PRICES_PER_1000, {})


def estimate_month(
    plan: ScanPlan,
    runs_per_month: int,
    prices: Mapping[Sku, Decimal] | None = None,
    free_per_month: Mapping[Sku, int] | None = None,
) -> Estimate:
    """A month of `runs_per_month` runs. Competitor details are cached, so they are counted
    once (the first month's cost, an upper bound for later ones). `free_per_month` is the
    monthly free allowance per SKU; none by default, since the amounts are unconfirmed."""
    if isinstance(runs_per_month, bool) or not isinstance(runs_per_month, int) or runs_per_month < 0:
        raise UsageError(f"runs per month must be a whole number of zero or more: {runs_per_month!r}")
    return _priced(
        _requests(plan, runs_per_month), prices or DEFAULT_PRICES_PER_1000, free_per_month or {}
    )


def runs_per_month(every_days: float) -> int:
    """Runs in a 30-day month of a scan every `every_days` days (weekly → 5, rounded up so
    the estimate errs high)."""
    if every_days <= 0:
        raise UsageError(f"a scan interval must be more than zero days: {every_days!r}")
    whole, rest = divmod(30, every_days)
    return int(whole) + (1 if rest else 0)


def request_cost(mask: str | Iterable[str], prices: Mapping[Sku, Decimal] | None = None) -> Decimal:
    """The price of one request with `mask` (unrounded), for a running budget check."""
    return (prices or DEFAULT_PRICES_PER_1000)[sku_for_mask(mask)] / 1000


def would_exceed(
    spent: Decimal | int, next_cost: Decimal | int, budget: Decimal | int | None
) -> bool:
    """True when spending `next_cost` on top of `spent` would go over `budget`; spending
    exactly the budget is allowed, and no budget (None) is never exceeded."""
    if spent < 0 or next_cost < 0:
        raise ValueError("spent and next_cost must be zero or more")
    if budget is None:
        return False
    return spent + next_cost > budget
