"""The sandbox's routes over the in-process WSGI transport: paging, masks, PATCH rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sandbox_helpers import AUTH, FakeClock

from localcx.sandbox import SandboxState, make_app


@pytest.fixture
def state(tmp_path: Path) -> SandboxState:
    return SandboxState.open(tmp_path / "sandbox.db")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(state: SandboxState, clock: FakeClock) -> httpx.Client:
    app = make_app(state, clock=clock)
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://sandbox",
                        headers=AUTH)


def first_location(state: SandboxState, **where: Any) -> dict[str, Any]:
    return next(loc for loc in state.locations()
                if all(loc.get(k) == v for k, v in where.items()))


def violations(resp: httpx.Response) -> dict[str, str]:
    body = resp.json()["error"]
    assert body["status"] == "INVALID_ARGUMENT"
    detail = next(d for d in body["details"] if d["@type"].endswith("google.rpc.BadRequest"))
    return {v.get("field", ""): v["description"] for v in detail["fieldViolations"]}


def test_accounts_personal_first_and_filter(client: httpx.Client) -> None:
    resp = client.get("/v1/accounts")
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/json; charset=UTF-8"
    accounts = resp.json()["accounts"]
    assert len(accounts) >= 3 and accounts[0]["type"] == "PERSONAL"
    assert "nextPageToken" not in resp.json()
    groups = client.get("/v1/accounts", params={"filter": "type=LOCATION_GROUP"}).json()
    assert {a["type"] for a in groups["accounts"]} == {"LOCATION_GROUP"}
    page = client.get("/v1/accounts", params={"pageSize": 2}).json()
    rest = client.get("/v1/accounts", params={"pageToken": page["nextPageToken"]}).json()
    assert [a["name"] for a in page["accounts"] + rest["accounts"]] == [a["name"] for a in accounts]
    assert client.get("/v1/accounts", params={"filter": "name=x"}).status_code == 400


def test_list_pages_through_every_location_once(client: httpx.Client, state: SandboxState) -> None:
    names: list[str] = []
    token = None
    pages = 0
    while True:
        params: dict[str, Any] = {"readMask": "name,storeCode", "pageSize": 7}
        if token:
            params["pageToken"] = token
        body = client.get("/v1/accounts/-/locations", params=params).json()
        pages += 1
        assert len(body["locations"]) <= 7
        names += [loc["name"] for loc in body["locations"]]
        token = body.get("nextPageToken")
        if token is None:
            break
    assert pages == 5 and len(names) == 30 == len(set(names))
    assert names == [loc["name"] for loc in state.locations()]


def test_list_default_and_max_page_size(client: httpx.Client) -> None:
    assert len(client.get("/v1/accounts/-/locations",
                          params={"readMask": "name"}).json()["locations"]) == 10
    body = client.get("/v1/accounts/-/locations", params={"readMask": "name", "pageSize": 500}).json()
    assert len(body["locations"]) == 30 and "nextPageToken" not in body
    assert client.get("/v1/accounts/-/locations",
                      params={"readMask": "name", "pageSize": -1}).status_code == 400


def test_list_per_account_and_personal_is_empty(client: httpx.Client, state: SandboxState) -> None:
    personal, ramen, coffee = (a["name"] for a in state.accounts())
    assert client.get(f"/v1/{personal}/locations", params={"readMask": "name"}).json() == {}
    r = client.get(f"/v1/{ramen}/locations", params={"readMask": "languageCode", "pageSize": 100})
    assert {loc["languageCode"] for loc in r.json()["locations"]} == {"ja"}
    c = client.get(f"/v1/{coffee}/locations", params={"readMask": "storeCode", "pageSize": 100})
    assert all(loc["storeCode"].startswith("SEA-") for loc in c.json()["locations"])
    assert client.get("/v1/accounts/999/locations", params={"readMask": "name"}).status_code == 404


def test_order_by_title_and_store_code_desc(client: httpx.Client) -> None:
    body = client.get("/v1/accounts/-/locations",
                      params={"readMask": "title", "orderBy": "title", "pageSize": 100}).json()
    titles = [loc["title"] for loc in body["locations"]]
    assert titles == sorted(titles)
    body = client.get("/v1/accounts/-/locations",
                      params={"readMask": "storeCode", "orderBy": "store_code desc",
                              "pageSize": 100}).json()
    codes = [loc["storeCode"] for loc in body["locations"]]
    assert codes == sorted(codes, reverse=True)
    bad = client.get("/v1/accounts/-/locations", params={"readMask": "name", "orderBy": "phone"})
    assert bad.status_code == 400


def test_invalid_page_token_is_400(client: httpx.Client) -> None:
    resp = client.get("/v1/accounts/-/locations", params={"readMask": "name", "pageToken": "zzz"})
    assert resp.status_code == 400 and "page_token" in violations(resp)


def test_read_mask_required_and_validated(client: httpx.Client, state: SandboxState) -> None:
    for path in ("/v1/accounts/-/locations", f"/v1/{state.locations()[0]['name']}",
                 f"/v1/{state.locations()[0]['name']}:getGoogleUpdated"):
        resp = client.get(path)
        assert resp.status_code == 400
        assert violations(resp) == {"read_mask": "Field is required"}
    resp = client.get("/v1/accounts/-/locations", params={"readMask": "name,bogusField"})
    assert resp.status_code == 400 and "read_mask" in violations(resp)


def test_masked_answer_has_only_masked_non_default_fields(client: httpx.Client,
                                                          state: SandboxState) -> None:
    off_maps = next(loc for loc in state.locations() if "placeId" not in loc["metadata"])
    body = client.get(f"/v1/{off_maps['name']}", params={"readMask": "title,metadata"}).json()
    assert set(body) == {"title", "metadata"}
    meta = body["metadata"]
    assert not {"placeId", "mapsUri", "newReviewUri"} & set(meta)
    assert all(v is not False and v != "" for v in meta.values())
    sub = client.get(f"/v1/{off_maps['name']}",
                     params={"readMask": "storefrontAddress.locality"}).json()
    assert sub == {"storefrontAddress": {"locality": off_maps["storefrontAddress"]["locality"]}}


def test_midnight_is_empty_time_of_day(client: httpx.Client, state: SandboxState) -> None:
    found = False
    for loc in state.locations():
        for p in loc.get("regularHours", {}).get("periods", []):
            if p["openTime"] == {} or p["closeTime"] == {}:
                got = client.get(f"/v1/{loc['name']}", params={"readMask": "regularHours"}).json()
                assert got["regularHours"] == loc["regularHours"]
                found = True
    assert found, "the default world should have a 00:00 time somewhere"


def test_patch_updates_and_persists_across_reopen(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "sandbox.db"
    state = SandboxState.open(path)
    loc = state.locations()[3]
    client = httpx.Client(transport=httpx.WSGITransport(app=make_app(state, clock=clock)),
                          base_url="http://sandbox", headers=AUTH)
    body = {"websiteUri": "https://example.com/new", "profile": {"description": "Updated."}}
    resp = client.patch(f"/v1/{loc['name']}",
                        params={"updateMask": "websiteUri,profile.description"}, json=body)
    assert resp.status_code == 200
    assert resp.json() == {"name": loc["name"], **body}
    state.close()
    again = SandboxState.open(path, seed=99, stores=5)  # seed/stores ignored for an existing file
    assert again.stores == 30
    saved = again.location(loc["name"])
    assert saved is not None and saved["websiteUri"] == "https://example.com/new"
    assert saved["profile"] == {"description": "Updated."} and saved["title"] == loc["title"]
    assert again.patch_counts() == {loc["name"]: 1}
    assert again.patch_log(loc["name"].split("/")[1])[0]["updateMask"] == "websiteUri,profile.description"


def test_masked_field_missing_from_body_is_cleared(client: httpx.Client, state: SandboxState) -> None:
    loc = next(loc for loc in state.locations() if loc.get("specialHours"))
    resp = client.patch(f"/v1/{loc['name']}", params={"updateMask": "specialHours"}, json={})
    assert resp.status_code == 200
    saved = state.location(loc["name"])
    assert saved is not None and "specialHours" not in saved


def test_validate_only_saves_nothing(client: httpx.Client, state: SandboxState) -> None:
    loc = state.locations()[0]
    resp = client.patch(f"/v1/{loc['name']}",
                        params={"updateMask": "title", "validateOnly": "true"}, json={"title": "X"})
    assert resp.status_code == 200 and resp.json() == {}
    assert state.location(loc["name"]) == loc and state.patch_counts() == {}


@pytest.mark.parametrize(("mask", "body", "field"), [
    ("phoneNumbers", {"phoneNumbers": {"primaryPhone": "call us!"}}, "phone_numbers.primary_phone"),
    ("phoneNumbers", {"phoneNumbers": {"primaryPhone": "+1 206-555-0100", "additionalPhones": [
        "+1 206-555-0101", "+1 206-555-0102", "+1 206-555-0103"]}}, "phone_numbers.additional_phones"),
    ("websiteUri", {"websiteUri": "javascript:alert(1)"}, "website_uri"),
    ("profile.description", {"profile": {"description": "x" * 751}}, "profile.description"),
    ("title", {"title": ""}, "title"),
    ("regularHours", {"regularHours": {"periods": [{"openDay": "MONDAY", "openTime": {"hours": 9},
      "closeDay": "MONDAY", "closeTime": {"hours": 25}}]}}, "regular_hours.periods[0].close_time"),
    ("regularHours", {"regularHours": {"periods": [{"openDay": "MONDAY", "openTime": {"hours": 9,
      "minutes": 60}, "closeDay": "MONDAY", "closeTime": {"hours": 17}}]}},
     "regular_hours.periods[0].open_time"),
    ("regularHours", {"regularHours": {"periods": [
        {"openDay": "MONDAY", "openTime": {"hours": 9}, "closeDay": "MONDAY", "closeTime": {"hours": 17}},
        {"openDay": "MONDAY", "openTime": {"hours": 16}, "closeDay": "MONDAY", "closeTime": {"hours": 20}},
    ]}}, "regular_hours.periods[1]"),
    ("regularHours", {"regularHours": {"periods": [{"openDay": "DAY_OF_WEEK_UNSPECIFIED",
      "openTime": {"hours": 9}, "closeDay": "MONDAY", "closeTime": {"hours": 17}}]}},
     "regular_hours.periods[0].open_day"),
    ("regularHours,specialHours", {"specialHours": {"specialHourPeriods": [
        {"startDate": {"year": 2026, "month": 12, "day": 25}, "closed": True}]}}, "special_hours"),
    ("specialHours", {"specialHours": {"specialHourPeriods": [
        {"startDate": {"year": 2026, "month": 12, "day": 24}, "endDate": {"year": 2026, "month": 12,
         "day": 27}, "openTime": {"hours": 9}, "closeTime": {"hours": 12}}]}},
     "special_hours.special_hour_periods[0].end_date"),
    ("specialHours", {"specialHours": {"specialHourPeriods": [
        {"startDate": {"year": 2026, "month": 12, "day": 24}}]}},
     "special_hours.special_hour_periods[0].open_time"),
    ("categories", {"categories": {"primaryCategory": {"name": "categories/gcid:moon_base"}}},
     "categories.primary_category.name"),
    ("openInfo", {"openInfo": {"status": "OPEN_FOR_BUSINESS_UNSPECIFIED"}}, "open_info.status"),
    ("storefrontAddress", {"storefrontAddress": {"regionCode": "US", "addressLines": list("abcdef")}},
     "storefront_address.address_lines"),
])
def test_patch_field_violations(client: httpx.Client, state: SandboxState, mask: str,
                                body: dict[str, Any], field: str) -> None:
    loc = state.locations()[1]
    resp = client.patch(f"/v1/{loc['name']}", params={"updateMask": mask}, json=body)
    assert resp.status_code == 400, resp.text
    assert field in violations(resp)
    assert state.patch_counts() == {}


def test_update_mask_rules(client: httpx.Client, state: SandboxState) -> None:
    name = state.locations()[0]["name"]
    phones = {"phoneNumbers": {"primaryPhone": "+81 3-1234-5678"}}
    sub = client.patch(f"/v1/{name}", params={"updateMask": "phoneNumbers.primaryPhone"}, json=phones)
    assert sub.status_code == 400 and "update_mask" in violations(sub)
    cat = client.patch(f"/v1/{name}", params={"updateMask": "categories.primaryCategory"}, json={})
    assert cat.status_code == 400
    assert "update_mask" in violations(client.patch(f"/v1/{name}", json=phones))
    assert client.patch(f"/v1/{name}", params={"updateMask": "nope"}, json={}).status_code == 400
    assert client.patch(f"/v1/{name}", params={"updateMask": "metadata"}, json={}).status_code == 400
    assert client.patch(f"/v1/{name}", params={"updateMask": "phoneNumbers"},
                        json=phones).status_code == 200


def test_bad_json_and_unknown_body_field(client: httpx.Client, state: SandboxState) -> None:
    name = state.locations()[0]["name"]
    resp = client.patch(f"/v1/{name}", params={"updateMask": "title"}, content=b"{not json",
                        headers={"Content-Type": "application/json"})
    assert resp.status_code == 400 and "Invalid JSON payload" in resp.json()["error"]["message"]
    resp = client.patch(f"/v1/{name}", params={"updateMask": "title"}, json={"titel": "x"})
    assert resp.status_code == 400 and 'Unknown name "titel"' in resp.json()["error"]["message"]
    resp = client.patch(f"/v1/{name}", params={"updateMask": "openInfo"},
                        json={"openInfo": {"status": "MAYBE"}})
    assert resp.status_code == 400


def test_category_display_names_follow_language(client: httpx.Client, state: SandboxState) -> None:
    loc = first_location(state, languageCode="ja")
    body = {"categories": {"primaryCategory": {"name": "categories/gcid:ramen_restaurant"},
                           "additionalCategories": [{"name": "categories/gcid:cafe"}]}}
    resp = client.patch(f"/v1/{loc['name']}", params={"updateMask": "categories"}, json=body)
    assert resp.status_code == 200
    cats = resp.json()["categories"]
    assert cats["primaryCategory"]["displayName"] == "ラーメン屋"
    assert cats["additionalCategories"][0]["displayName"] == "カフェ"


def test_google_updated_diff_and_pending(client: httpx.Client, state: SandboxState,
                                         clock: FakeClock) -> None:
    edited = [loc for loc in state.locations() if state.google_live(loc["name"])]
    assert edited, "about 10% of stores carry Google-applied edits"
    for loc in edited:
        meta = client.get(f"/v1/{loc['name']}", params={"readMask": "metadata"}).json()["metadata"]
        assert meta["hasGoogleUpdated"] is True
        got = client.get(f"/v1/{loc['name']}:getGoogleUpdated",
                         params={"readMask": "title,websiteUri,regularHours"}).json()
        fields = got["diffMask"].split(",")
        assert fields == list(state.google_live(loc["name"]))
        for f in fields:
            assert got["location"][f] != loc[f]
        assert "pendingMask" not in got

    title_edit = next(loc for loc in edited if "title" in state.google_live(loc["name"]))
    google_title = state.google_live(title_edit["name"])["title"]
    assert "®" in title_edit["title"] or "™" in title_edit["title"]
    assert "®" not in google_title and "™" not in google_title
    resp = client.patch(f"/v1/{title_edit['name']}", params={"updateMask": "title"},
                        json={"title": "麺屋さくら 本店"})
    assert resp.status_code == 200
    got = client.get(f"/v1/{title_edit['name']}:getGoogleUpdated",
                     params={"readMask": "title"}).json()
    assert got.get("pendingMask") == "title" and "diffMask" not in got
    assert got["location"]["title"] == google_title  # Maps still shows the old name
    meta = client.get(f"/v1/{title_edit['name']}", params={"readMask": "metadata"}).json()["metadata"]
    assert meta["hasPendingEdits"] is True and "hasGoogleUpdated" not in meta
    clock.t += 601
    got = client.get(f"/v1/{title_edit['name']}:getGoogleUpdated",
                     params={"readMask": "title"}).json()
    assert got == {"location": {"title": "麺屋さくら 本店"}}


def test_patch_of_google_overridden_field_clears_diff(client: httpx.Client,
                                                      state: SandboxState) -> None:
    loc = next(loc for loc in state.locations() if "websiteUri" in state.google_live(loc["name"]))
    resp = client.patch(f"/v1/{loc['name']}", params={"updateMask": "websiteUri"},
                        json={"websiteUri": loc["websiteUri"]})
    assert resp.status_code == 200
    got = client.get(f"/v1/{loc['name']}:getGoogleUpdated", params={"readMask": "websiteUri"}).json()
    assert got == {"location": {"websiteUri": loc["websiteUri"]}}


def test_categories_list(client: httpx.Client) -> None:
    first = client.get("/v1/categories", params={"regionCode": "US", "languageCode": "en",
                                                 "view": "BASIC", "pageSize": 50}).json()
    assert len(first["categories"]) == 50 and first["nextPageToken"]
    rest = client.get("/v1/categories", params={"regionCode": "US", "languageCode": "en",
                                                "view": "BASIC", "pageSize": 50,
                                                "pageToken": first["nextPageToken"]}).json()
    assert "nextPageToken" not in rest
    names = [c["name"] for c in first["categories"] + rest["categories"]]
    assert len(names) >= 80 and "categories/gcid:coffee_shop" in names
    ja = client.get("/v1/categories", params={"regionCode": "JP", "languageCode": "ja",
                                              "view": "BASIC", "filter": "displayName=ラーメン"}).json()
    assert ja["categories"] == [{"name": "categories/gcid:ramen_restaurant", "displayName": "ラーメン屋"}]
    missing = client.get("/v1/categories", params={"languageCode": "en"})
    assert missing.status_code == 400 and "region_code" in violations(missing)
    assert client.get("/v1/categories", params={"regionCode": "US", "languageCode": "en",
                                                "view": "WIDE"}).status_code == 400


def test_unknown_query_param_route_and_location(client: httpx.Client, state: SandboxState) -> None:
    name = state.locations()[0]["name"]
    resp = client.get(f"/v1/{name}", params={"readMask": "title", "foo": "1"})
    assert resp.status_code == 400
    assert resp.json()["error"]["message"] == (
        'Invalid JSON payload received. Unknown name "foo": Cannot bind query parameter. '
        "Field 'foo' could not be found in request message.")
    ok = client.get(f"/v1/{name}", params={"readMask": "title", "alt": "json", "prettyPrint": "false",
                                           "quotaUser": "q", "$.xgafv": "2", "read_mask": "title"})
    assert ok.status_code == 200
    nowhere = client.get("/v1/nowhere")  # Google's front end: an HTML page, not JSON
    assert nowhere.status_code == 404 and nowhere.headers["content-type"].startswith("text/html")
    assert client.delete(f"/v1/{name}").status_code == 404
    missing = client.get("/v1/locations/1234567890123456789", params={"readMask": "title"})
    assert missing.status_code == 404 and missing.json()["error"]["status"] == "NOT_FOUND"


def test_auth_required_and_fixed_token(state: SandboxState) -> None:
    anon = httpx.Client(transport=httpx.WSGITransport(app=make_app(state)), base_url="http://s")
    resp = anon.get("/v1/accounts")
    assert resp.status_code == 401
    err = resp.json()["error"]
    assert err["status"] == "UNAUTHENTICATED"
    assert err["message"].startswith("Request is missing required authentication credential")
    fixed = httpx.Client(transport=httpx.WSGITransport(app=make_app(state, token="s3cret")),
                         base_url="http://s")
    assert fixed.get("/v1/accounts", headers=AUTH).status_code == 401
    assert fixed.get("/v1/accounts", headers={"Authorization": "Bearer s3cret"}).status_code == 200
