"""Google's daily metrics in people's words, and the names `--metric` accepts.

Every DailyMetric of Performance v1 (GOOGLE-API.md §3.10) has a friendly name for tables
and the report, and short aliases; `--metric` takes Google's enum, a friendly name or an
alias, in any case, and a group (`views`: the four impression counts). A name that matches
nothing is refused with the closest one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from localcx.errors import UsageError
from localcx.suggest import did_you_mean

# Google's enum → what people call it, in the order tables show them.
FRIENDLY: dict[str, str] = {
    "BUSINESS_IMPRESSIONS_MOBILE_MAPS": "Maps views (mobile)",
    "BUSINESS_IMPRESSIONS_DESKTOP_MAPS": "Maps views (desktop)",
    "BUSINESS_IMPRESSIONS_MOBILE_SEARCH": "Search views (mobile)",
    "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH": "Search views (desktop)",
    "CALL_CLICKS": "Calls",
    "WEBSITE_CLICKS": "Website clicks",
    "BUSINESS_DIRECTION_REQUESTS": "Directions",
    "MESSAGING_CLICKS": "Message clicks",
    "BUSINESS_CONVERSATIONS": "Conversations",
    "BUSINESS_BOOKINGS": "Bookings",
    "BUSINESS_FOOD_ORDERS": "Food orders",
    "BUSINESS_FOOD_MENU_CLICKS": "Menu clicks",
}
DAILY_METRICS: tuple[str, ...] = tuple(FRIENDLY)
VIEWS = DAILY_METRICS[:4]
# What `insights show` lists when no --metric is given: how often the store was seen and
# what people then did.
DEFAULT_SHOWN: tuple[str, ...] = (*VIEWS, "CALL_CLICKS", "WEBSITE_CLICKS", "BUSINESS_DIRECTION_REQUESTS")

_ALIASES: dict[str, tuple[str, ...]] = {
    "calls": ("CALL_CLICKS",),
    "website": ("WEBSITE_CLICKS",),
    "directions": ("BUSINESS_DIRECTION_REQUESTS",),
    "messages": ("MESSAGING_CLICKS",),
    "maps-mobile": ("BUSINESS_IMPRESSIONS_MOBILE_MAPS",),
    "maps-desktop": ("BUSINESS_IMPRESSIONS_DESKTOP_MAPS",),
    "search-mobile": ("BUSINESS_IMPRESSIONS_MOBILE_SEARCH",),
    "search-desktop": ("BUSINESS_IMPRESSIONS_DESKTOP_SEARCH",),
    "maps": ("BUSINESS_IMPRESSIONS_MOBILE_MAPS", "BUSINESS_IMPRESSIONS_DESKTOP_MAPS"),
    "search": ("BUSINESS_IMPRESSIONS_MOBILE_SEARCH", "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH"),
    "views": VIEWS,
    "impressions": VIEWS,
    "conversations": ("BUSINESS_CONVERSATIONS",),
    "bookings": ("BUSINESS_BOOKINGS",),
    "food-orders": ("BUSINESS_FOOD_ORDERS",),
    "menu": ("BUSINESS_FOOD_MENU_CLICKS",),
    "all": DAILY_METRICS,
}


def _fold(name: str) -> str:
    """`Maps views (mobile)`, `maps_views_mobile` and `MAPS-VIEWS-MOBILE` read the same."""
    return re.sub(r"[^0-9a-z]+", "-", name.casefold()).strip("-")


def _names() -> dict[str, tuple[str, ...]]:
    names = {_fold(alias): metrics for alias, metrics in _ALIASES.items()}
    for metric, friendly in FRIENDLY.items():
        names[_fold(metric)] = (metric,)
        names[_fold(friendly)] = (metric,)
    return names


def friendly(metric: str) -> str:
    return FRIENDLY.get(metric, metric)


def resolve(names: Iterable[str]) -> list[str]:
    """The DailyMetrics the names mean, each once, in the catalogue's order."""
    known = _names()
    chosen: set[str] = set()
    for name in names:
        metrics = known.get(_fold(name))
        if metrics is None:
            raise UsageError(
                f"unknown metric {name!r}{did_you_mean(_fold(name), known)}",
                hint="use Google's name (CALL_CLICKS), a friendly one (calls, website, "
                "directions, maps, search, views) or all",
            )
        chosen.update(metrics)
    return [m for m in DAILY_METRICS if m in chosen]
