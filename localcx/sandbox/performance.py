"""Business Profile Performance v1: daily metrics and monthly search keywords.

Shapes as GOOGLE-API.md §3.10, §3.11 and §7 describe them: `dailyMetrics` is required and
repeated (every value kept); the range parameters bind in all three spellings (binding.py
turns `daily_range.start_date.year` and `dailyRange.start_date.year` into the camelCase
name); the range is inclusive; values are int64 strings and `value` is omitted when 0; one
outer `multiDailyMetricTimeSeries` entry holds every metric. Days after yesterday (in the
store's own zone, on the sandbox clock) have no data and are left out. A range that ends
before it starts, starts before 2021-01-01 or spans more than 18 months is a 400, as
third-party documentation reports for the live API.

Search keywords: the figures of the months in the range, summed per keyword; a sum below
the privacy threshold is reported as `{"threshold": "15"}`. Google keeps about twelve
complete months; the current month is empty. Pages of at most 100, with tokens bound to
the location and range they came from.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from localcx.sandbox import world_keywords, world_metrics
from localcx.sandbox.binding import Request, paginate
from localcx.sandbox.state import SandboxState
from localcx.sandbox.wire import bad_request, not_found, prune

EARLIEST = date(2021, 1, 1)
MAX_MONTHS = 18
PAGE_SIZE = 100
# Google's data is dated in the store's own zone; the sandbox's stores are in Tokyo and on
# the US west coast.
_ZONES = {"JP": "Asia/Tokyo", "US": "America/Los_Angeles"}


def _location(state: SandboxState, location_id: str) -> dict[str, Any]:
    if not location_id.isdigit():
        raise bad_request([("location", f"Invalid location name: locations/{location_id}")])
    loc = state.location(f"locations/{location_id}")
    if loc is None:
        raise not_found()
    return loc


def store_today(location: dict[str, Any], now: float) -> date:
    """The store's local date at epoch `now`."""
    region = str((location.get("storefrontAddress") or {}).get("regionCode") or "")
    return datetime.fromtimestamp(now, ZoneInfo(_ZONES.get(region, "UTC"))).date()


def _date(req: Request, prefix: str, field: str) -> date:
    """A Date from `prefix.year/.month/.day`; all three are needed for a daily range."""
    parts = [req.int_param(f"{prefix}.{p}", 0) for p in ("year", "month", "day")]
    if not all(parts):
        raise bad_request([(field, "Field is required")])
    try:
        return date(*parts)
    except ValueError:
        raise bad_request([(field, "Invalid date.")]) from None


def months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _check_range(start: date, end: date, field: str) -> None:
    if end < start:
        raise bad_request([(field, "The end date must not be before the start date.")])
    if start < EARLIEST:
        raise bad_request([(field, f"The start date must be on or after {EARLIEST.isoformat()}.")])
    span = months_between(start, end)
    if span > MAX_MONTHS or (span == MAX_MONTHS and end.day >= start.day):
        raise bad_request([(field, f"The range must not exceed {MAX_MONTHS} months.")])


def _series(seed: int, loc: dict[str, Any], metric: str, start: date, last: date) -> list[dict]:
    on_maps = bool((loc.get("metadata") or {}).get("placeId"))
    restaurant = loc.get("languageCode") == "ja"  # the ramen chain; the rest sell coffee
    values = []
    day = start
    while day <= last:
        value = world_metrics.daily_value(seed, loc["name"], metric, day,
                                          restaurant=restaurant) if on_maps else 0
        dated: dict[str, Any] = {"date": {"year": day.year, "month": day.month, "day": day.day}}
        if value:  # proto3: a 0 is left out
            dated["value"] = str(value)
        values.append(dated)
        day += timedelta(days=1)
    return values


def fetch_daily(app: Any, req: Request) -> dict[str, Any]:
    """locations.fetchMultiDailyMetricsTimeSeries."""
    loc = _location(app.state, req.path_args["location"])
    metrics = list(dict.fromkeys(req.params.values_of("dailyMetrics")))
    if not metrics:
        raise bad_request([("daily_metrics", "Field is required")])
    unknown = [m for m in metrics if m not in world_metrics.DAILY_METRICS]
    if unknown:
        raise bad_request([("daily_metrics", f"Invalid daily metric: {m}") for m in unknown])
    start = _date(req, "dailyRange.startDate", "daily_range.start_date")
    end = _date(req, "dailyRange.endDate", "daily_range.end_date")
    _check_range(start, end, "daily_range")
    last = min(end, store_today(loc, req.now) - timedelta(days=1))
    seed = app.state.seed
    series = []
    for metric in metrics:  # built already pruned: a series of no days has no timeSeries
        dated = _series(seed, loc, metric, start, last)
        series.append({"dailyMetric": metric, **({"timeSeries": {"datedValues": dated}} if dated else {})})
    return {"multiDailyMetricTimeSeries": [{"dailyMetricTimeSeries": series}]}


def _month(req: Request, prefix: str, field: str) -> tuple[int, int]:
    year, month = req.int_param(f"{prefix}.year", 0), req.int_param(f"{prefix}.month", 0)
    if not year or not month:
        raise bad_request([(field, "Field is required")])
    if not 1 <= month <= 12:
        raise bad_request([(field, "Invalid month.")])
    return year, month


def list_keywords(app: Any, req: Request) -> dict[str, Any]:
    """locations.searchkeywords.impressions.monthly.list."""
    loc = _location(app.state, req.path_args["location"])
    first = _month(req, "monthlyRange.startMonth", "monthly_range.start_month")
    last = _month(req, "monthlyRange.endMonth", "monthly_range.end_month")
    if last < first:
        raise bad_request([("monthly_range", "The end month must not be before the start month.")])
    today = store_today(loc, req.now)
    months = [m for m in world_keywords.months_with_data((today.year, today.month))
              if first <= m <= last]
    seed = app.state.seed
    counted: list[tuple[int, str]] = []
    for keyword, level in world_keywords.keywords(seed, loc):
        total = sum(world_keywords.monthly_value(seed, loc["name"], keyword, level, y, m)
                    for y, m in months)
        if total:
            counted.append((total, keyword))
    counted.sort(key=lambda pair: (-pair[0], pair[1]))
    rows = [{"searchKeyword": keyword,
             "insightsValue": ({"value": str(total)} if total >= world_keywords.THRESHOLD
                               else {"threshold": str(world_keywords.THRESHOLD)})}
            for total, keyword in counted]
    scope = f"keywords:{loc['name']}:{first}:{last}"
    page, token = paginate(rows, req, default=PAGE_SIZE, maximum=PAGE_SIZE, scope=scope)
    return prune({"searchKeywordsCounts": page, "nextPageToken": token}) or {}
