"""PATCH business rules: Google's ErrorCode reasons in ErrorInfo, hours rules from discovery,
field lengths and control characters, and the fields localcx may not update."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from localcx.sandbox import SandboxState, make_app

AUTH = {"Authorization": "Bearer t"}
NOW = 1_790_000_000.0  # 2026-09-21
DOMAIN = "mybusinessbusinessinformation.googleapis.com"
REGULAR = {"periods": [{"openDay": d, "openTime": {"hours": 9}, "closeDay": d,
                        "closeTime": {"hours": 17}} for d in ("MONDAY", "TUESDAY")]}


@pytest.fixture
def state(tmp_path: Path) -> SandboxState:
    return SandboxState.open(tmp_path / "sandbox.db")


def _client(state: SandboxState, **kwargs: Any) -> httpx.Client:
    app = make_app(state, clock=lambda: NOW, **kwargs)
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s", headers=AUTH)


@pytest.fixture
def client(state: SandboxState) -> httpx.Client:
    return _client(state)


def _store(state: SandboxState, region: str = "US") -> str:
    return next(loc["name"] for loc in state.locations()
                if loc["storefrontAddress"]["regionCode"] == region)


def _patch(client: httpx.Client, name: str, mask: str, body: dict[str, Any]) -> httpx.Response:
    return client.patch(f"/v1/{name}", params={"updateMask": mask}, json=body)


def _infos(resp: httpx.Response) -> list[tuple[str, str]]:
    """(reason, field_mask) of every ErrorInfo detail."""
    details = resp.json()["error"]["details"]
    out = []
    for d in details:
        if d["@type"] == "type.googleapis.com/google.rpc.ErrorInfo":
            assert d["domain"] == DOMAIN
            out.append((d["reason"], d["metadata"]["field_mask"]))
    return out


def _fields(resp: httpx.Response) -> list[str]:
    details = resp.json()["error"]["details"]
    bad = next(d for d in details if d["@type"].endswith("google.rpc.BadRequest"))
    return [v["field"] for v in bad["fieldViolations"]]


def _special(*periods: dict[str, Any]) -> dict[str, Any]:
    return {"regularHours": REGULAR, "specialHours": {"specialHourPeriods": list(periods)}}


def _day(day: int, month: int = 12) -> dict[str, int]:
    return {"year": 2026, "month": month, "day": day}


def _hm(h: int, m: int = 0) -> dict[str, int]:
    return {"hours": h, "minutes": m} if m else {"hours": h}


CASES: list[tuple[str, str, dict[str, Any], str, str]] = [
    ("bad phone", "phoneNumbers", {"phoneNumbers": {"primaryPhone": "call us!"}},
     "INVALID_PHONE_NUMBER", "phoneNumbers.primaryPhone"),
    ("phone of another country", "phoneNumbers",
     {"phoneNumbers": {"primaryPhone": "+81 3-1234-5678"}},
     "INVALID_PHONE_NUMBER_FOR_REGION", "phoneNumbers.primaryPhone"),
    ("no primary phone", "phoneNumbers",
     {"phoneNumbers": {"additionalPhones": ["+1 206-555-0101"]}},
     "MISSING_PRIMARY_PHONE_NUMBER", "phoneNumbers.primaryPhone"),
    ("special without regular", "regularHours,specialHours",
     {"specialHours": {"specialHourPeriods": [{"startDate": _day(25), "closed": True}]}},
     "SPECIAL_HOURS_SET_WITHOUT_REGULAR_HOURS", "specialHours"),
    ("end date two days on", "regularHours,specialHours",
     _special({"startDate": _day(24), "endDate": _day(26), "openTime": _hm(9),
               "closeTime": _hm(12)}), "INVALID_TIME_SCHEDULE", "specialHours.specialHourPeriods"),
    ("bad minutes", "regularHours", {"regularHours": {"periods": [
        {"openDay": "MONDAY", "openTime": _hm(9, 60), "closeDay": "MONDAY",
         "closeTime": _hm(17)}]}}, "INVALID_HOURS_VALUE", "regularHours.periods"),
    ("overlapping special hours", "regularHours,specialHours",
     _special({"startDate": _day(24), "openTime": _hm(8), "closeTime": _hm(14)},
              {"startDate": _day(24), "openTime": _hm(13), "closeTime": _hm(18)}),
     "OVERLAPPED_SPECIAL_HOURS", "specialHours.specialHourPeriods"),
    ("unknown category", "categories",
     {"categories": {"primaryCategory": {"name": "categories/gcid:moon_base"}}},
     "INVALID_CATEGORY", "categories.primaryCategory"),
    ("bad url", "websiteUri", {"websiteUri": "javascript:alert(1)"}, "INVALID_URL",
     "websiteUri"),
    ("long description", "profile.description", {"profile": {"description": "x" * 751}},
     "STRING_TOO_LONG", "profile.description"),
    ("url in description", "profile.description",
     {"profile": {"description": "Fresh bread daily. Order at https://bakery.example/order"}},
     "PROFILE_DESCRIPTION_CONTAINS_URL", "profile.description"),
    ("bare domain in description", "profile.description",
     {"profile": {"description": "Order online at www.bakery.example today"}},
     "PROFILE_DESCRIPTION_CONTAINS_URL", "profile.description"),
    ("opening date two years ahead", "openInfo",
     {"openInfo": {"status": "OPEN", "openingDate": {"year": 2028, "month": 10}}},
     "OPENING_DATE_TOO_FAR_IN_THE_FUTURE", "openInfo.openingDate"),
    ("latlng", "latlng", {"latlng": {"latitude": 47.6, "longitude": -122.3}},
     "LAT_LNG_UPDATES_NOT_PERMITTED", "latlng"),
    ("long title", "title", {"title": "N" * 101}, "STRING_TOO_LONG", "title"),
    ("long label", "labels", {"labels": ["x" * 256]}, "STRING_TOO_LONG", "labels"),
]


@pytest.mark.parametrize(("mask", "body", "reason", "field_mask"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_errors_carry_error_info(client: httpx.Client, state: SandboxState, mask: str,
                                      body: dict[str, Any], reason: str, field_mask: str) -> None:
    resp = _patch(client, _store(state), mask, body)
    assert resp.status_code == 400, resp.text
    err = resp.json()["error"]
    assert err["status"] == "INVALID_ARGUMENT"
    assert err["message"] == "Request contains an invalid argument."
    assert (reason, field_mask) in _infos(resp)
    assert _fields(resp), "a BadRequest field violation accompanies the ErrorInfo"
    assert err["errors"] == [{"message": err["message"], "domain": "global",
                              "reason": "badRequest"}]
    assert state.patch_counts() == {}


def test_legacy_errors_list_can_be_left_out(state: SandboxState) -> None:
    resp = _patch(_client(state, legacy_errors=False), _store(state), "websiteUri",
                  {"websiteUri": "ftp://x"})
    assert resp.status_code == 400 and "errors" not in resp.json()["error"]
    assert _infos(resp) == [("INVALID_URL", "websiteUri")]


def test_cannot_reopen_a_permanently_closed_store(client: httpx.Client,
                                                  state: SandboxState) -> None:
    name = _store(state)
    closed = {**state.location(name), "openInfo": {"status": "CLOSED_PERMANENTLY"}}  # type: ignore[dict-item]
    state.commit_patch(name, closed, update_mask="openInfo", body={}, now=NOW - 3600,
                       touched=["openInfo"], reviewed=[])
    resp = _patch(client, name, "openInfo", {"openInfo": {"status": "OPEN"}})
    assert ("CANNOT_REOPEN", "openInfo.status") in _infos(resp)


@pytest.mark.parametrize("periods", [
    # the discovery document's own valid examples
    [{"startDate": _day(23, 11), "openTime": _hm(8), "closeTime": _hm(18)}],
    [{"startDate": _day(23, 11), "endDate": _day(23, 11), "openTime": _hm(8),
      "closeTime": _hm(18)}],
    [{"startDate": _day(23, 11), "endDate": _day(24, 11), "openTime": _hm(13),
      "closeTime": _hm(11, 59)}],
    # 24:00 is valid as both open and close time; split days and closed days side by side
    [{"startDate": _day(31), "openTime": _hm(18), "closeTime": _hm(24)}],
    [{"startDate": _day(30), "endDate": _day(31), "openTime": _hm(24), "closeTime": _hm(3)}],
    [{"startDate": _day(24), "openTime": _hm(8), "closeTime": _hm(12)},
     {"startDate": _day(24), "openTime": _hm(14), "closeTime": _hm(18)},
     {"startDate": _day(25), "closed": True}],
    # an evening running past midnight into a closed day is not an overlap
    [{"startDate": _day(31), "endDate": _day(1, 1) | {"year": 2027}, "openTime": _hm(20),
      "closeTime": _hm(2)}, {"startDate": {"year": 2027, "month": 1, "day": 1}, "closed": True}],
], ids=["same-day", "explicit-end", "next-morning-11:59", "close-24:00", "open-24:00",
        "split-and-closed", "new-year"])
def test_valid_special_hours(client: httpx.Client, state: SandboxState,
                             periods: list[dict[str, Any]]) -> None:
    resp = _patch(client, _store(state), "regularHours,specialHours", _special(*periods))
    assert resp.status_code == 200, resp.text


@pytest.mark.parametrize(("periods", "field", "reason"), [
    # the discovery document's own invalid examples
    ([{"startDate": _day(23, 11), "openTime": _hm(13), "closeTime": _hm(11, 59)}],
     "special_hours.special_hour_periods[0]", "INVALID_TIME_SCHEDULE"),
    ([{"startDate": _day(23, 11), "endDate": _day(24, 11), "openTime": _hm(13),
       "closeTime": _hm(12)}], "special_hours.special_hour_periods[0].close_time",
     "INVALID_TIME_SCHEDULE"),
    ([{"startDate": _day(23, 11), "endDate": _day(25, 11), "openTime": _hm(8),
       "closeTime": _hm(18)}], "special_hours.special_hour_periods[0].end_date",
     "INVALID_TIME_SCHEDULE"),
    # a whole day is not "less than 24 hours"
    ([{"startDate": _day(24), "openTime": {}, "closeTime": _hm(24)}],
     "special_hours.special_hour_periods[0]", "INVALID_TIME_SCHEDULE"),
    ([{"startDate": _day(24), "openTime": _hm(24, 30), "closeTime": _hm(24)}],
     "special_hours.special_hour_periods[0].open_time", "INVALID_HOURS_VALUE"),
    ([{"startDate": _day(25), "closed": True},
      {"startDate": _day(25), "openTime": _hm(10), "closeTime": _hm(12)}],
     "special_hours.special_hour_periods[1]", "OVERLAPPED_SPECIAL_HOURS"),
    ([{"startDate": _day(24), "openTime": _hm(8), "closeTime": _hm(20)},
      {"startDate": _day(24), "openTime": _hm(10), "closeTime": _hm(11)},
      {"startDate": _day(24), "openTime": _hm(19), "closeTime": _hm(21)}],
     "special_hours.special_hour_periods[2]", "OVERLAPPED_SPECIAL_HOURS"),
], ids=["close-before-open", "next-day-12:00", "two-days", "whole-day", "past-24:00",
        "closed-and-open", "non-adjacent-overlap"])
def test_invalid_special_hours(client: httpx.Client, state: SandboxState,
                               periods: list[dict[str, Any]], field: str, reason: str) -> None:
    resp = _patch(client, _store(state), "regularHours,specialHours", _special(*periods))
    assert resp.status_code == 400
    assert field in _fields(resp)
    assert (reason, "specialHours.specialHourPeriods") in _infos(resp)


def test_regular_hours_accept_24_00_as_open_and_close(client: httpx.Client,
                                                      state: SandboxState) -> None:
    periods = [{"openDay": "MONDAY", "openTime": {}, "closeDay": "MONDAY", "closeTime": _hm(24)},
               {"openDay": "TUESDAY", "openTime": _hm(24), "closeDay": "WEDNESDAY",
                "closeTime": _hm(6)}]
    resp = _patch(client, _store(state), "regularHours", {"regularHours": {"periods": periods}})
    assert resp.status_code == 200, resp.text


@pytest.mark.parametrize(("mask", "body", "field"), [
    ("title", {"title": "Northwind\nCoffee"}, "title"),
    ("title", {"title": "Northwind\tCoffee"}, "title"),
    ("title", {"title": "Northwind\x00"}, "title"),
    ("websiteUri", {"websiteUri": "https://a.example/\r\nX-Evil: 1"}, "website_uri"),
    ("phoneNumbers", {"phoneNumbers": {"primaryPhone": "+1 206-555-0142\n"}},
     "phone_numbers.primary_phone"),
    ("phoneNumbers", {"phoneNumbers": {"primaryPhone": "+1 206-555-0142",
                                       "additionalPhones": ["+1 206\x0b555-0199"]}},
     "phone_numbers.additional_phones[0]"),
    ("labels", {"labels": ["ok", "bad\x1b[31m"]}, "labels[1]"),
    ("storeCode", {"storeCode": "SEA-014\r"}, "store_code"),
    ("storeCode", {"storeCode": "S" * 65}, "store_code"),
    ("labels", {"labels": [""]}, "labels[0]"),
])
def test_single_line_fields_refuse_control_characters_and_excess(
        client: httpx.Client, state: SandboxState, mask: str, body: dict[str, Any],
        field: str) -> None:
    resp = _patch(client, _store(state), mask, body)
    assert resp.status_code == 400
    assert resp.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert field in _fields(resp)
    assert state.patch_counts() == {}


def test_limits_at_the_boundary_are_accepted(client: httpx.Client, state: SandboxState) -> None:
    name = _store(state)
    body = {"title": "T" * 100, "labels": ["l" * 255], "profile": {"description": "d" * 750},
            "storeCode": "S" * 64}
    resp = _patch(client, name, "title,labels,profile.description,storeCode", body)
    assert resp.status_code == 200, resp.text
    multi = _patch(client, name, "profile.description",
                   {"profile": {"description": "Line one.\nLine two, no link."}})
    assert multi.status_code == 200, multi.text


def test_twenty_megabyte_title_is_string_too_long(client: httpx.Client,
                                                  state: SandboxState) -> None:
    resp = _patch(client, _store(state), "title", {"title": "N" * (20 * 1024 * 1024)})
    assert resp.status_code == 400
    assert _infos(resp) == [("STRING_TOO_LONG", "title")]
    assert len(resp.content) < 2000


def test_categories_list_requires_view(client: httpx.Client) -> None:
    base = {"regionCode": "US", "languageCode": "en"}
    for view in (None, "CATEGORY_VIEW_UNSPECIFIED"):
        params = base if view is None else {**base, "view": view}
        resp = client.get("/v1/categories", params=params)
        assert resp.status_code == 400
        assert _fields(resp) == ["view"]
    assert client.get("/v1/categories", params={**base, "view": "BASIC"}).status_code == 200
