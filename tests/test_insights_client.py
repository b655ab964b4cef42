"""The Performance client: what it sends, how it reads both nestings, and the sync windows."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from urllib.parse import parse_qsl

import httpx
import pytest

from localcx.clock import FakeClock
from localcx.google.performance import PerformanceApi, flatten_daily, flatten_keywords
from localcx.google.quotas import Quotas
from localcx.google.transport import StaticToken, Transport
from localcx.insights import windows
from localcx.settings import HttpSettings, LimitSettings


def _api(answer: dict) -> tuple[PerformanceApi, list[httpx.Request]]:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json=answer)

    clock = FakeClock()
    transport = Transport(tokens=StaticToken("t"), quotas=Quotas(LimitSettings(), clock, project="p"),
                          http=HttpSettings(), clock=clock,
                          client=httpx.Client(transport=httpx.MockTransport(handler)))
    return PerformanceApi(transport, lambda service: f"https://{service}.googleapis.com/"), sent


def test_daily_sends_camel_case_ranges_and_repeats_every_metric() -> None:
    api, sent = _api({})
    api.daily("123", ["CALL_CLICKS", "WEBSITE_CLICKS", "MESSAGING_CLICKS"], date(2025, 3, 21), date(2026, 9, 20))
    request = sent[0]
    assert request.url.host == "businessprofileperformance.googleapis.com"
    assert request.url.path == "/v1/locations/123:fetchMultiDailyMetricsTimeSeries"
    query = parse_qsl(request.url.query.decode())
    assert [v for k, v in query if k == "dailyMetrics"] == ["CALL_CLICKS", "WEBSITE_CLICKS", "MESSAGING_CLICKS"]
    assert {k: v for k, v in query if k.startswith("dailyRange")} == {
        "dailyRange.startDate.year": "2025", "dailyRange.startDate.month": "3", "dailyRange.startDate.day": "21",
        "dailyRange.endDate.year": "2026", "dailyRange.endDate.month": "9", "dailyRange.endDate.day": "20"}
    assert request.headers["authorization"] == "Bearer t"


def test_keywords_page_sends_months_page_size_and_token() -> None:
    api, sent = _api({"searchKeywordsCounts": []})
    api.keywords_page("123", date(2026, 8, 1), date(2026, 8, 1), "tok")
    query = dict(parse_qsl(sent[0].url.query.decode()))
    assert sent[0].url.path == "/v1/locations/123/searchkeywords/impressions/monthly"
    assert query == {"monthlyRange.startMonth.year": "2026", "monthlyRange.startMonth.month": "8",
                     "monthlyRange.endMonth.year": "2026", "monthlyRange.endMonth.month": "8",
                     "pageSize": "100", "pageToken": "tok"}


def _dated(day: int, value: str | None = None) -> dict:
    out: dict = {"date": {"year": 2026, "month": 1, "day": day}}
    if value is not None:
        out["value"] = value
    return out


CALLS = {"dailyMetric": "CALL_CLICKS", "timeSeries": {"datedValues": [_dated(1, "3"), _dated(2), _dated(3, "11")]}}
WEB = {"dailyMetric": "WEBSITE_CLICKS", "timeSeries": {"datedValues": [_dated(1, "27")]}}
EXPECTED = [("CALL_CLICKS", date(2026, 1, 1), 3), ("CALL_CLICKS", date(2026, 1, 2), 0),
            ("CALL_CLICKS", date(2026, 1, 3), 11), ("WEBSITE_CLICKS", date(2026, 1, 1), 27)]


@pytest.mark.parametrize("answer", [
    {"multiDailyMetricTimeSeries": [{"dailyMetricTimeSeries": [CALLS, WEB]}]},  # one entry for all
    {"multiDailyMetricTimeSeries": [{"dailyMetricTimeSeries": [CALLS]}, {"dailyMetricTimeSeries": [WEB]}]},
], ids=["one-outer-entry", "one-per-metric"])
def test_flatten_daily_reads_both_nestings_and_a_missing_value_is_zero(answer: dict) -> None:
    assert flatten_daily(answer) == EXPECTED


def test_flatten_daily_of_an_empty_or_dataless_answer() -> None:
    assert flatten_daily({}) == []
    assert flatten_daily({"multiDailyMetricTimeSeries": [{"dailyMetricTimeSeries": [{"dailyMetric": "CALL_CLICKS"}]}]}) == []
    assert flatten_daily({"multiDailyMetricTimeSeries": [{}]}) == []


def test_flatten_keywords_keeps_thresholds_apart_from_counts() -> None:
    page = {"searchKeywordsCounts": [
        {"searchKeyword": "coffee near me", "insightsValue": {"value": "412"}},
        {"searchKeyword": "northwind espresso", "insightsValue": {"threshold": "15"}},
        {"searchKeyword": "ラーメン 新宿", "insightsValue": {}}]}
    assert flatten_keywords(page) == [("coffee near me", 412, None), ("northwind espresso", None, 15),
                                      ("ラーメン 新宿", 0, None)]
    assert flatten_keywords({}) == []


def test_add_months_clamps_to_the_month_length() -> None:
    assert windows.add_months(date(2026, 5, 31), 18) == date(2027, 11, 30)
    assert windows.add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert windows.add_months(date(2026, 1, 15), -18) == date(2024, 7, 15)


def test_first_sync_window_is_18_months_then_a_3_day_overlap() -> None:
    yesterday = date(2026, 9, 20)
    assert windows.daily_window(yesterday, None, None) == (date(2025, 3, 21), yesterday)
    assert windows.daily_window(yesterday, date(2026, 9, 19), None) == (date(2026, 9, 16), yesterday)
    assert windows.daily_window(yesterday, None, date(2020, 1, 1)) == (windows.EARLIEST, yesterday)
    assert windows.daily_window(yesterday, None, date(2026, 9, 21)) is None


def test_long_ranges_are_cut_into_chunks_one_request_may_span() -> None:
    parts = windows.chunks(date(2021, 1, 1), date(2026, 9, 20))
    assert parts[0] == (date(2021, 1, 1), date(2022, 6, 30))
    assert parts[-1][1] == date(2026, 9, 20)
    assert all(b[0] == windows.add_months(a[0], 18) for a, b in pairwise(parts))
    assert windows.chunks(date(2025, 3, 21), date(2026, 9, 20)) == [(date(2025, 3, 21), date(2026, 9, 20))]


def test_keyword_months_first_twelve_then_the_last_again() -> None:
    today = date(2026, 9, 21)
    first = windows.keyword_months(today, None, None)
    assert [windows.month_key(m) for m in (first[0], first[-1])] == ["2025-09", "2026-08"] and len(first) == 12
    assert [windows.month_key(m) for m in windows.keyword_months(today, "2026-07", None)] == ["2026-07", "2026-08"]
    assert [windows.month_key(m) for m in windows.keyword_months(today, "2026-08", None)] == ["2026-08"]
    assert len(windows.keyword_months(today, "2026-08", date(2026, 1, 5))) == 8
