"""Daily performance metrics of a store, derived lazily from (seed, location, metric, date).

A value is a pure function of its inputs (no stored series), so any date range can be answered
for 5,000 stores. Shape: a per-store base level per metric, weekly seasonality (restaurants
peak Friday/Saturday, coffee on weekdays), a gentle yearly swing and a slow trend, and noise.
Zeros are common for rare metrics, which is why Google omits `value` when it is 0.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from functools import lru_cache

DAILY_METRICS = (
    "BUSINESS_IMPRESSIONS_DESKTOP_MAPS",
    "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH",
    "BUSINESS_IMPRESSIONS_MOBILE_MAPS",
    "BUSINESS_IMPRESSIONS_MOBILE_SEARCH",
    "BUSINESS_CONVERSATIONS",
    "BUSINESS_DIRECTION_REQUESTS",
    "CALL_CLICKS",
    "WEBSITE_CLICKS",
    "MESSAGING_CLICKS",
    "BUSINESS_BOOKINGS",
    "BUSINESS_FOOD_ORDERS",
    "BUSINESS_FOOD_MENU_CLICKS",
)
HISTORY_DAYS = 548  # about 18 months of daily data, as v4 insights allowed

# Typical daily level per metric for a mid-sized store.
_BASE = {
    "BUSINESS_IMPRESSIONS_DESKTOP_MAPS": 40.0,
    "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH": 25.0,
    "BUSINESS_IMPRESSIONS_MOBILE_MAPS": 180.0,
    "BUSINESS_IMPRESSIONS_MOBILE_SEARCH": 120.0,
    "BUSINESS_CONVERSATIONS": 0.3,
    "BUSINESS_DIRECTION_REQUESTS": 14.0,
    "CALL_CLICKS": 4.0,
    "WEBSITE_CLICKS": 9.0,
    "MESSAGING_CLICKS": 0.6,
    "BUSINESS_BOOKINGS": 0.2,
    "BUSINESS_FOOD_ORDERS": 1.5,
    "BUSINESS_FOOD_MENU_CLICKS": 3.0,
}
# Monday..Sunday multipliers.
_WEEK_RESTAURANT = (0.8, 0.85, 0.9, 0.95, 1.25, 1.4, 1.1)
_WEEK_COFFEE = (1.1, 1.1, 1.05, 1.05, 1.0, 0.85, 0.75)


def history_range(today: date) -> tuple[date, date]:
    """(first, last) day with data as of `today`: about 18 months up to yesterday."""
    return today - timedelta(days=HISTORY_DAYS), today - timedelta(days=1)


@lru_cache(maxsize=65_536)  # one draw per (store, metric), asked once per day in a range
def _store_level(seed: int, location_name: str, metric: str) -> tuple[float, float]:
    rng = random.Random(f"{seed}:metrics:{location_name}:{metric}")
    return rng.lognormvariate(0.0, 0.45), rng.uniform(-0.15, 0.35)  # scale, yearly trend


def daily_value(seed: int, location_name: str, metric: str, day: date, *,
                restaurant: bool = True) -> int:
    """The metric's value on `day` (≥ 0)."""
    if metric not in _BASE:
        raise ValueError(f"unknown DailyMetric {metric!r}")
    scale, trend = _store_level(seed, location_name, metric)
    week = (_WEEK_RESTAURANT if restaurant else _WEEK_COFFEE)[day.weekday()]
    season = 1.0 + 0.12 * math.sin(2 * math.pi * (day.timetuple().tm_yday - 80) / 365.25)
    years = (day.toordinal() - date(2024, 1, 1).toordinal()) / 365.25
    mean = _BASE[metric] * scale * week * season * (1.0 + trend * years)
    noise = random.Random(f"{seed}:{location_name}:{metric}:{day.isoformat()}")
    if mean < 5:  # small counts: Poisson-like, often 0
        count, p, limit = 0, noise.random(), math.exp(-max(mean, 0.0))
        while p > limit:
            count += 1
            p *= noise.random()
        return count
    return max(0, round(noise.gauss(mean, math.sqrt(mean))))


def series(seed: int, location_name: str, metric: str, start: date, end: date, *,
           restaurant: bool = True) -> list[tuple[date, int]]:
    """(day, value) for every day from `start` to `end` inclusive."""
    days = (end - start).days + 1
    return [(start + timedelta(days=i),
             daily_value(seed, location_name, metric, start + timedelta(days=i),
                         restaurant=restaurant)) for i in range(max(days, 0))]
