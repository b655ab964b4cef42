"""Business Profile Performance v1: daily metrics and monthly search keywords.

Plain HTTP through the Transport (like places.py), so pacing draws from the
`businessprofileperformance` per-minute bucket and every attempt lands in api_calls.
Requests use the camelCase spelling the client libraries send (`dailyRange.startDate.year`)
and repeat `dailyMetrics` once per metric (GOOGLE-API.md §3.10, §7). The answers keep
Google's proto3 habits: int64 values are strings and a 0 is left out, so `flatten_daily`
turns whatever nesting comes back into plain (metric, day, value) rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from localcx.google.business import BaseUrl
from localcx.google.transport import Transport

SERVICE = "businessprofileperformance"
KEYWORDS_PAGE_SIZE = 100  # Google's default and maximum


def _date_params(prefix: str, day: date) -> list[tuple[str, str]]:
    return [(f"{prefix}.year", str(day.year)), (f"{prefix}.month", str(day.month)),
            (f"{prefix}.day", str(day.day))]


def _month_params(prefix: str, month: date) -> list[tuple[str, str]]:
    return [(f"{prefix}.year", str(month.year)), (f"{prefix}.month", str(month.month))]


class PerformanceApi:
    def __init__(self, transport: Transport, base_url: BaseUrl):
        self.transport = transport
        self._base_url = base_url

    def daily(self, location_id: str, metrics: Sequence[str], start: date, end: date) -> dict[str, Any]:
        """Every metric's values from `start` to `end` inclusive, in one request."""
        params = [("dailyMetrics", metric) for metric in metrics]
        params += _date_params("dailyRange.startDate", start) + _date_params("dailyRange.endDate", end)
        response = self.transport.request(
            "GET",
            f"{self._base_url(SERVICE)}v1/locations/{location_id}:fetchMultiDailyMetricsTimeSeries",
            service=SERVICE,
            params=params,
        )
        return dict(response.json())

    def keywords_page(
        self, location_id: str, start_month: date, end_month: date, page_token: str | None = None
    ) -> dict[str, Any]:
        """One page of search keywords summed over the months from `start_month` to
        `end_month` (only their year and month count)."""
        params = _month_params("monthlyRange.startMonth", start_month)
        params += _month_params("monthlyRange.endMonth", end_month)
        params.append(("pageSize", str(KEYWORDS_PAGE_SIZE)))
        if page_token:
            params.append(("pageToken", page_token))
        response = self.transport.request(
            "GET",
            f"{self._base_url(SERVICE)}v1/locations/{location_id}/searchkeywords/impressions/monthly",
            service=SERVICE,
            params=params,
        )
        return dict(response.json())


def _int64(value: Any) -> int:
    """An int64 as Google sends it (a string), absent meaning 0."""
    if value is None or value == "":
        return 0
    return int(value)


def _series(answer: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every DailyMetricTimeSeries, whether one outer entry holds them all or each metric
    has its own (which one Google sends is unconfirmed), or they come unwrapped."""
    for outer in answer.get("multiDailyMetricTimeSeries") or []:
        yield from outer.get("dailyMetricTimeSeries") or []
    yield from answer.get("dailyMetricTimeSeries") or []


def flatten_daily(answer: dict[str, Any]) -> list[tuple[str, date, int]]:
    """(metric, day, value) for every dated value in an answer; a missing value is 0."""
    rows = []
    for series in _series(answer):
        metric = str(series.get("dailyMetric") or "")
        for dated in (series.get("timeSeries") or {}).get("datedValues") or []:
            d = dated.get("date") or {}
            rows.append((metric, date(int(d["year"]), int(d["month"]), int(d["day"])),
                         _int64(dated.get("value"))))
    return rows


def flatten_keywords(page: dict[str, Any]) -> list[tuple[str, int | None, int | None]]:
    """(keyword, value, threshold) per keyword on a page: exactly one of value and threshold
    is set, as Google reports a small figure only as "fewer than `threshold`"."""
    out: list[tuple[str, int | None, int | None]] = []
    for entry in page.get("searchKeywordsCounts") or []:
        insights = entry.get("insightsValue") or {}
        keyword = str(entry.get("searchKeyword") or "")
        if "threshold" in insights and "value" not in insights:
            out.append((keyword, None, _int64(insights["threshold"])))
        else:
            out.append((keyword, _int64(insights.get("value")), None))
    return out
