"""The sandbox's Performance v1 routes answer in Google's shapes and enforce its limits."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from localcx.sandbox import SandboxState, make_app
from localcx.sandbox.quota import Limits

NOW = datetime(2026, 9, 21, 3, 0, tzinfo=UTC).timestamp()  # noon on the 21st in Tokyo, the 20th in Seattle
AUTH = {"Authorization": "Bearer t"}


@pytest.fixture(scope="module")
def state() -> SandboxState:
    return SandboxState.open(":memory:")


def _client(state: SandboxState, **kwargs: Any) -> httpx.Client:
    app = make_app(state, clock=lambda: NOW, **kwargs)
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s", headers=AUTH)


@pytest.fixture(scope="module")
def client(state: SandboxState) -> httpx.Client:
    return _client(state)


def _on_maps(state: SandboxState, language: str) -> dict[str, Any]:
    return next(loc for loc in state.locations()
                if loc["languageCode"] == language and loc["metadata"].get("placeId"))


def _range(start: date, end: date, spelling: str = "dailyRange.{}Date.{}") -> list[tuple[str, str]]:
    out = []
    for which, day in (("start", start), ("end", end)):
        for part in ("year", "month", "day"):
            out.append((spelling.format(which, part), str(getattr(day, part))))
    return out


def _daily(client: httpx.Client, loc: dict[str, Any], metrics: list[str], params: list) -> httpx.Response:
    return client.get(f"/v1/{loc['name']}:fetchMultiDailyMetricsTimeSeries",
                      params=[("dailyMetrics", m) for m in metrics] + params)


def test_every_repeated_metric_comes_back_in_one_outer_entry_as_int64_strings(client, state) -> None:
    loc = _on_maps(state, "ja")
    metrics = ["CALL_CLICKS", "WEBSITE_CLICKS", "MESSAGING_CLICKS", "BUSINESS_IMPRESSIONS_MOBILE_MAPS"]
    got = _daily(client, loc, metrics, _range(date(2026, 9, 1), date(2026, 9, 14)))
    assert got.status_code == 200, got.text
    outer = got.json()["multiDailyMetricTimeSeries"]
    assert len(outer) == 1
    series = outer[0]["dailyMetricTimeSeries"]
    assert [s["dailyMetric"] for s in series] == metrics
    for s in series:
        values = s["timeSeries"]["datedValues"]
        assert [v["date"] for v in values] == [{"year": 2026, "month": 9, "day": d} for d in range(1, 15)]
        assert all(isinstance(v["value"], str) and int(v["value"]) > 0 for v in values if "value" in v)
        assert "dailySubEntityType" not in s
    messages = series[2]["timeSeries"]["datedValues"]
    assert any("value" not in v for v in messages), "a rare metric has zero days, whose value is omitted"
    assert all(v.get("value") != "0" for s in series for v in s["timeSeries"]["datedValues"])


@pytest.mark.parametrize("spelling", ["daily_range.{}_date.{}", "dailyRange.{}_date.{}", "dailyRange.{}Date.{}"])
def test_the_three_range_spellings_give_the_same_answer(client, state, spelling: str) -> None:
    loc = _on_maps(state, "en")
    reference = _daily(client, loc, ["CALL_CLICKS"], _range(date(2026, 8, 1), date(2026, 8, 31))).json()
    got = _daily(client, loc, ["CALL_CLICKS"], _range(date(2026, 8, 1), date(2026, 8, 31), spelling))
    assert got.status_code == 200, got.text
    assert got.json() == reference
    assert len(reference["multiDailyMetricTimeSeries"][0]["dailyMetricTimeSeries"][0]["timeSeries"]["datedValues"]) == 31


def test_days_after_yesterday_in_the_store_zone_have_no_data(client, state) -> None:
    tokyo, seattle = _on_maps(state, "ja"), _on_maps(state, "en")
    for loc, yesterday in ((tokyo, 20), (seattle, 19)):  # Tokyo is already on the 21st
        got = _daily(client, loc, ["BUSINESS_IMPRESSIONS_MOBILE_MAPS"], _range(date(2026, 9, 15), date(2026, 9, 30)))
        days = got.json()["multiDailyMetricTimeSeries"][0]["dailyMetricTimeSeries"][0]["timeSeries"]["datedValues"]
        assert days[-1]["date"] == {"year": 2026, "month": 9, "day": yesterday}
    future = _daily(client, tokyo, ["CALL_CLICKS"], _range(date(2026, 10, 1), date(2026, 10, 5)))
    assert future.json() == {"multiDailyMetricTimeSeries": [{"dailyMetricTimeSeries": [{"dailyMetric": "CALL_CLICKS"}]}]}


def test_stores_differ_and_the_same_question_gets_the_same_answer(client, state) -> None:
    a, b = [loc for loc in state.locations() if loc["metadata"].get("placeId")][:2]
    ask = _range(date(2026, 6, 1), date(2026, 6, 30))
    first = _daily(client, a, ["BUSINESS_IMPRESSIONS_MOBILE_MAPS"], ask).json()
    assert first == _daily(client, a, ["BUSINESS_IMPRESSIONS_MOBILE_MAPS"], ask).json()
    assert first != _daily(client, b, ["BUSINESS_IMPRESSIONS_MOBILE_MAPS"], ask).json()


@pytest.mark.parametrize(("metrics", "start", "end", "why"), [
    (["CALL_CLICKS"], date(2026, 9, 10), date(2026, 9, 1), "end date must not be before"),
    (["CALL_CLICKS"], date(2020, 12, 31), date(2021, 1, 31), "on or after 2021-01-01"),
    (["CALL_CLICKS"], date(2025, 3, 1), date(2026, 9, 1), "must not exceed 18 months"),
    (["NOT_A_METRIC"], date(2026, 9, 1), date(2026, 9, 2), "TYPE_ENUM"),
    (["DAILY_METRIC_UNKNOWN"], date(2026, 9, 1), date(2026, 9, 2), "Invalid daily metric"),
    ([], date(2026, 9, 1), date(2026, 9, 2), "Field is required"),
])
def test_bad_ranges_and_metrics_are_invalid_arguments(client, state, metrics, start, end, why) -> None:
    got = _daily(client, _on_maps(state, "ja"), metrics, _range(start, end))
    assert got.status_code == 400
    assert got.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert why in got.text


def test_just_under_18_months_is_allowed(client, state) -> None:
    got = _daily(client, _on_maps(state, "ja"), ["CALL_CLICKS"], _range(date(2025, 3, 21), date(2026, 9, 20)))
    assert got.status_code == 200, got.text


def _keywords(client: httpx.Client, loc: dict[str, Any], start: tuple[int, int], end: tuple[int, int],
              **extra: Any) -> httpx.Response:
    params = {"monthlyRange.startMonth.year": start[0], "monthlyRange.startMonth.month": start[1],
              "monthly_range.end_month.year": end[0], "monthly_range.end_month.month": end[1], **extra}
    return client.get(f"/v1/{loc['name']}/searchkeywords/impressions/monthly", params=params)


def test_keywords_are_values_or_thresholds_lower_cased_and_japanese_for_japanese_stores(client, state) -> None:
    got = _keywords(client, _on_maps(state, "ja"), (2026, 8), (2026, 8))
    assert got.status_code == 200, got.text
    counts = got.json()["searchKeywordsCounts"]
    assert "nextPageToken" not in got.json()
    assert any("ラーメン" in c["searchKeyword"] for c in counts)
    for c in counts:
        assert set(c["insightsValue"]) in ({"value"}, {"threshold"})
        assert isinstance(next(iter(c["insightsValue"].values())), str)
    assert {c["insightsValue"]["threshold"] for c in counts if "threshold" in c["insightsValue"]} == {"15"}
    values = [int(c["insightsValue"]["value"]) for c in counts if "value" in c["insightsValue"]]
    assert values == sorted(values, reverse=True) and min(values) >= 15
    english = _keywords(client, _on_maps(state, "en"), (2026, 8), (2026, 8)).json()["searchKeywordsCounts"]
    assert all(c["searchKeyword"] == c["searchKeyword"].lower() for c in english)
    assert "coffee near me" in {c["searchKeyword"] for c in english}


def test_keywords_have_a_year_of_history_and_the_current_month_is_empty(client, state) -> None:
    loc = _on_maps(state, "en")
    assert _keywords(client, loc, (2026, 9), (2026, 9)).json() == {}
    assert _keywords(client, loc, (2025, 8), (2025, 8)).json() == {}, "older than twelve months"
    assert _keywords(client, loc, (2025, 9), (2025, 9)).json()["searchKeywordsCounts"]
    summed = _keywords(client, loc, (2026, 7), (2026, 8)).json()["searchKeywordsCounts"][0]
    one = _keywords(client, loc, (2026, 8), (2026, 8)).json()["searchKeywordsCounts"][0]
    assert int(summed["insightsValue"]["value"]) > int(one["insightsValue"]["value"])


def test_keyword_pages_and_their_tokens_are_bound_to_the_range(client, state) -> None:
    loc = _on_maps(state, "en")
    first = _keywords(client, loc, (2026, 1), (2026, 8), pageSize=4).json()
    assert len(first["searchKeywordsCounts"]) == 4 and first["nextPageToken"]
    second = _keywords(client, loc, (2026, 1), (2026, 8), pageSize=4, pageToken=first["nextPageToken"]).json()
    whole = _keywords(client, loc, (2026, 1), (2026, 8), pageSize=500).json()
    assert first["searchKeywordsCounts"] + second["searchKeywordsCounts"] == whole["searchKeywordsCounts"][:8]
    other = _keywords(client, loc, (2026, 2), (2026, 8), pageToken=first["nextPageToken"])
    assert other.status_code == 400 and "page token" in other.text.lower()
    assert _keywords(client, loc, (2026, 8), (2026, 1)).status_code == 400


def test_the_performance_service_has_its_own_per_minute_quota(state) -> None:
    limited = _client(state, limits=Limits(project_qpm=3))
    loc = _on_maps(state, "ja")
    ask = _range(date(2026, 9, 1), date(2026, 9, 2))
    assert [_daily(limited, loc, ["CALL_CLICKS"], ask).status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = _daily(limited, loc, ["CALL_CLICKS"], ask)
    assert "businessprofileperformance.googleapis.com" in refused.text
    assert limited.get("/v1/accounts").status_code == 200, "Account Management is another bucket"


def test_faults_are_injected_by_method_id(state) -> None:
    faulty = _client(state, faults="503@locations.fetchMultiDailyMetricsTimeSeries:x1,"
                                   "429@searchkeywords.impressions.monthly.list:x1")
    loc = _on_maps(state, "ja")
    ask = _range(date(2026, 9, 1), date(2026, 9, 2))
    assert _daily(faulty, loc, ["CALL_CLICKS"], ask).status_code == 503
    assert _daily(faulty, loc, ["CALL_CLICKS"], ask).status_code == 200
    assert _keywords(faulty, loc, (2026, 8), (2026, 8)).status_code == 429
    assert _keywords(faulty, loc, (2026, 8), (2026, 8)).status_code == 200


def test_an_unknown_location_is_not_found(client) -> None:
    got = client.get("/v1/locations/999:fetchMultiDailyMetricsTimeSeries",
                     params=[("dailyMetrics", "CALL_CLICKS"), *_range(date(2026, 9, 1), date(2026, 9, 2))])
    assert got.status_code == 404
