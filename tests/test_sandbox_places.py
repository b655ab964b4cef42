"""The sandbox's Places API (New) `places:searchText`: auth, field mask, paging, ranking, quota."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from localcx.sandbox import SandboxState, make_app
from localcx.sandbox.quota import Limits

URL = "/v1/places:searchText"
KEY = {"X-Goog-Api-Key": "AIza-sandbox-test"}
IDS = {**KEY, "X-Goog-FieldMask": "places.id,nextPageToken"}
NOW = 1_800_000_000.0  # a fixed instant on the sandbox clock


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def state() -> SandboxState:
    return SandboxState.open(":memory:")


def client_for(state: SandboxState, **kwargs: Any) -> httpx.Client:
    app = make_app(state, clock=kwargs.pop("clock", lambda: NOW), **kwargs)
    return httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s")


@pytest.fixture
def client(state: SandboxState) -> httpx.Client:
    return client_for(state)


def store(state: SandboxState, lang: str) -> dict[str, Any]:
    """An open, on-Maps store of the given language."""
    return next(loc for loc in state.locations() if loc["languageCode"] == lang
                and loc["metadata"].get("placeId") and loc["openInfo"]["status"] == "OPEN")


def at(loc: dict[str, Any], radius: float = 500.0, dlat: float = 0.0) -> dict[str, Any]:
    ll = loc["latlng"]
    return {"circle": {"center": {"latitude": ll["latitude"] + dlat,
                                  "longitude": ll["longitude"]}, "radius": radius}}


def ids(resp: httpx.Response) -> list[str]:
    assert resp.status_code == 200, resp.text
    return [p["id"] for p in resp.json().get("places", [])]


def error(resp: httpx.Response, code: int) -> dict[str, Any]:
    assert resp.status_code == code, resp.text
    err: dict[str, Any] = resp.json()["error"]
    assert err["code"] == code
    return err


COFFEE = {"textQuery": "coffee shop"}


# -- auth -------------------------------------------------------------------------------------
def test_key_by_header_or_query_parameter(client: httpx.Client) -> None:
    mask = {"X-Goog-FieldMask": "places.id"}
    assert ids(client.post(URL, headers={**KEY, **mask}, json=COFFEE))
    assert ids(client.post(URL, params={"key": "AIza-other"}, headers=mask, json=COFFEE))


@pytest.mark.parametrize("key", ["bad-key", "BAD", "", "two words"])
def test_bad_or_empty_key(client: httpx.Client, key: str) -> None:
    for resp in (client.post(URL, headers={"X-Goog-Api-Key": key, "X-Goog-FieldMask": "*"},
                             json=COFFEE),
                 client.post(URL, params={"key": key, "fields": "*"}, json=COFFEE)):
        err = error(resp, 400)
        assert err["status"] == "INVALID_ARGUMENT"
        assert err["message"] == "API key not valid. Please pass a valid API key."
        info = err["details"][0]
        assert (info["reason"], info["domain"]) == ("API_KEY_INVALID", "googleapis.com")


def test_bearer_token_alone_is_not_enough(client: httpx.Client) -> None:
    resp = client.post(URL, headers={"Authorization": "Bearer t", "X-Goog-FieldMask": "*"},
                       json=COFFEE)
    err = error(resp, 403)
    assert err["status"] == "PERMISSION_DENIED"
    assert err["details"][0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    err = error(client.post(URL, headers={"X-Goog-FieldMask": "*"}, json=COFFEE), 403)
    assert err["message"] == "The request is missing a valid API key."


def test_only_configured_keys_when_given(state: SandboxState) -> None:
    c = client_for(state, api_keys=frozenset({"sandbox-key"}))
    assert ids(c.post(URL, headers={"X-Goog-Api-Key": "sandbox-key",
                                    "X-Goog-FieldMask": "places.id"}, json=COFFEE))
    error(c.post(URL, headers=IDS, json=COFFEE), 400)


# -- field mask -------------------------------------------------------------------------------
def test_missing_mask(client: httpx.Client) -> None:
    err = error(client.post(URL, headers=KEY, json=COFFEE), 400)
    assert err["message"].startswith("FieldMask is a required parameter. See "
                                      "https://cloud.google.com/apis/docs/system-parameters")


def test_mask_filters_fields_and_page_token(client: httpx.Client) -> None:
    body = {**COFFEE, "pageSize": 5}
    got = client.post(URL, headers={**KEY, "X-Goog-FieldMask": "places.id,places.rating"},
                      json=body).json()
    assert set(got) == {"places"} and len(got["places"]) == 5
    assert all(set(p) <= {"id", "rating"} and "id" in p for p in got["places"])
    with_token = client.post(URL, headers=IDS, json=body).json()
    assert set(with_token) == {"places", "nextPageToken"}
    rich = client.post(URL, params={"$fields": "places.displayName,places.location,"
                                                "places.formattedAddress,places.types"},
                       headers=KEY, json=body).json()
    place = rich["places"][0]
    assert set(place) == {"displayName", "location", "formattedAddress", "types"}
    assert place["displayName"]["text"] and place["location"]["latitude"]


def test_unknown_mask_path(client: httpx.Client) -> None:
    err = error(client.post(URL, headers={**KEY, "X-Goog-FieldMask": "places.id,places.nope"},
                            json=COFFEE), 400)
    assert "places.nope" in err["message"]


def test_empty_result_is_empty_object(client: httpx.Client) -> None:
    resp = client.post(URL, headers=IDS, json={"textQuery": "xylophone repair"})
    assert resp.status_code == 200 and resp.json() == {}


# -- paging -----------------------------------------------------------------------------------
def pages(client: httpx.Client, body: dict[str, Any]) -> list[list[str]]:
    out, token = [], ""
    while True:
        got = client.post(URL, headers=IDS, json={**body, **({"pageToken": token} if token
                                                             else {})}).json()
        out.append([p["id"] for p in got.get("places", [])])
        token = got.get("nextPageToken", "")
        if not token:
            return out


def test_paging_stops_at_sixty(client: httpx.Client) -> None:
    body = {"textQuery": "coffee", "locationBias": {"circle": {
        "center": {"latitude": 47.6101, "longitude": -122.3344}, "radius": 20000}}}
    got = pages(client, body)
    flat = [i for page in got for i in page]
    assert [len(p) for p in got] == [20, 20, 20]
    assert len(set(flat)) == 60


def test_page_token_binds_the_other_fields(client: httpx.Client, state: SandboxState) -> None:
    loc = store(state, "en")
    body = {**COFFEE, "locationBias": at(loc, 2000), "pageSize": 5}
    token = client.post(URL, headers=IDS, json=body).json()["nextPageToken"]
    ok = client.post(URL, headers=IDS, json={**body, "pageToken": token, "pageSize": 7})
    assert len(ids(ok)) == 7, "pageSize may change between pages"
    for changed in ({"textQuery": "espresso"}, {"locationBias": at(loc, 1000)},
                    {"rankPreference": "DISTANCE"}):
        err = error(client.post(URL, headers=IDS, json={**body, **changed,
                                                        "pageToken": token}), 400)
        assert err["status"] == "INVALID_ARGUMENT"
    error(client.post(URL, headers=IDS, json={**body, "pageToken": "forged"}), 400)


@pytest.mark.parametrize(("size", "expected"), [(0, 20), (None, 20), (3, 3), (500, 20)])
def test_page_size(client: httpx.Client, size: int | None, expected: int) -> None:
    body = {"textQuery": "coffee", "locationBias": {"circle": {
        "center": {"latitude": 47.6101, "longitude": -122.3344}, "radius": 20000}}}
    if size is not None:
        body["pageSize"] = size
    assert len(ids(client.post(URL, headers=IDS, json=body))) == expected


def test_page_size_rules(client: httpx.Client) -> None:
    error(client.post(URL, headers=IDS, json={**COFFEE, "pageSize": -1}), 400)
    assert len(ids(client.post(URL, headers=IDS, json={**COFFEE, "maxResultCount": 4}))) == 4
    both = {**COFFEE, "maxResultCount": 4, "pageSize": 6}
    assert len(ids(client.post(URL, headers=IDS, json=both))) == 6


# -- request rules ----------------------------------------------------------------------------
RECT = {"rectangle": {"low": {"latitude": 47.55, "longitude": -122.42},
                      "high": {"latitude": 47.70, "longitude": -122.25}}}


@pytest.mark.parametrize("body", [
    {},
    {"textQuery": ""},
    {"textQuery": "coffee", "locationBias": {"circle": {
        "center": {"latitude": 47.6, "longitude": -122.3}, "radius": 50001}}},
    {"textQuery": "coffee", "locationBias": {"circle": {
        "center": {"latitude": 47.6, "longitude": -122.3}, "radius": -1}}},
    {"textQuery": "coffee", "locationBias": {"circle": {
        "center": {"latitude": 91, "longitude": 0}, "radius": 10}}},
    {"textQuery": "coffee", "locationRestriction": {"circle": {
        "center": {"latitude": 47.6, "longitude": -122.3}, "radius": 100}}},
    {"textQuery": "coffee", "locationRestriction": RECT, "locationBias": RECT},
    {"textQuery": "coffee", "locationBias": {"rectangle": {
        "low": {"latitude": 48, "longitude": 0}, "high": {"latitude": 47, "longitude": 1}}}},
    {"textQuery": "coffee", "regionCode": "USA"},
    {"textQuery": "coffee", "rankPreference": "POPULARITY"},
    {"textQuery": "coffee", "colour": "blue"},
])
def test_invalid_requests(client: httpx.Client, body: dict[str, Any]) -> None:
    assert error(client.post(URL, headers=IDS, json=body), 400)["status"] == "INVALID_ARGUMENT"


def test_restriction_drops_outside_and_bias_radius_edges(client: httpx.Client,
                                                         state: SandboxState) -> None:
    fields = {**KEY, "X-Goog-FieldMask": "places.location"}
    got = client.post(URL, headers=fields, json={"textQuery": "coffee",
                                                 "locationRestriction": RECT}).json()
    low, high = RECT["rectangle"]["low"], RECT["rectangle"]["high"]
    assert got["places"]
    for p in got["places"]:
        assert low["latitude"] <= p["location"]["latitude"] <= high["latitude"]
        assert low["longitude"] <= p["location"]["longitude"] <= high["longitude"]
    loc = store(state, "en")
    for radius in (0, 50000):
        assert client.post(URL, headers=IDS, json={**COFFEE, "locationBias": at(loc, radius),
                                                   "regionCode": "us"}).status_code == 200


# -- ranking ----------------------------------------------------------------------------------
def test_store_ranks_first_at_its_door_and_lower_away(client: httpx.Client,
                                                      state: SandboxState) -> None:
    for loc in [loc for loc in state.locations() if loc["metadata"].get("placeId")
                and loc["openInfo"]["status"] == "OPEN"]:
        query = "ラーメン" if loc["languageCode"] == "ja" else "coffee shop"
        pid = loc["metadata"]["placeId"]
        assert ids(client.post(URL, headers=IDS, json={"textQuery": query,
                                                       "locationBias": at(loc)}))[0] == pid
        far = ids(client.post(URL, headers=IDS, json={"textQuery": query,
                                                      "locationBias": at(loc, dlat=0.03)}))
        assert pid not in far[:1]


def test_store_shows_its_maps_title_and_japanese_query(client: httpx.Client,
                                                       state: SandboxState) -> None:
    loc = store(state, "ja")
    got = client.post(URL, headers={**KEY, "X-Goog-FieldMask": "places.id,places.displayName,"
                                                               "places.types"},
                      json={"textQuery": "らーめん", "locationBias": at(loc),
                            "languageCode": "ja"}).json()["places"]
    assert got[0]["id"] == loc["metadata"]["placeId"]
    shown = state.google_live(loc["name"]).get("title", loc["title"])  # what Maps shows
    assert got[0]["displayName"] == {"text": shown, "languageCode": "ja"}
    assert all("ramen_restaurant" in p["types"] or "ラ" in p["displayName"]["text"]
               or "麺" in p["displayName"]["text"] or "らーめん" in p["displayName"]["text"]
               for p in got)


def test_stores_without_place_id_never_appear(client: httpx.Client,
                                              state: SandboxState) -> None:
    off = [loc for loc in state.locations() if not loc["metadata"].get("placeId")]
    assert off
    titles = {loc["title"] for loc in off}
    fields = {**KEY, "X-Goog-FieldMask": "places.displayName"}
    for loc in off:
        query = "麺屋さくら" if loc["languageCode"] == "ja" else "Northwind Coffee"
        got = client.post(URL, headers=fields, json={"textQuery": query,
                                                     "locationBias": at(loc)}).json()
        assert not titles & {p["displayName"]["text"] for p in got.get("places", [])}


def test_deterministic_per_seed_and_day_and_moves_across_days(state: SandboxState) -> None:
    clock = Clock()
    c = client_for(state, clock=clock)
    body = {"textQuery": "coffee", "locationBias": {"circle": {
        "center": {"latitude": 47.6101, "longitude": -122.3344}, "radius": 5000}}}
    first = ids(c.post(URL, headers=IDS, json=body))
    clock.now += 3600  # same day
    assert ids(c.post(URL, headers=IDS, json=body)) == first
    other = SandboxState.open(":memory:")
    assert ids(client_for(other).post(URL, headers=IDS, json=body)) == first
    days = set()
    for day in range(1, 6):
        clock.now = NOW + day * 86_400
        days.add(tuple(ids(c.post(URL, headers=IDS, json=body))))
    assert len(days) > 1, "positions move from day to day"
    different_seed = SandboxState.open(":memory:", seed=8)
    assert ids(client_for(different_seed).post(URL, headers=IDS, json=body)) != first


def test_distance_preference_orders_by_distance(client: httpx.Client,
                                                state: SandboxState) -> None:
    from localcx.sandbox.places_request import distance_m

    loc = store(state, "en")
    centre = at(loc, 1000)["circle"]["center"]
    got = client.post(URL, headers={**KEY, "X-Goog-FieldMask": "places.location"},
                      json={**COFFEE, "locationBias": at(loc, 1000),
                            "rankPreference": "DISTANCE"}).json()["places"]
    dists = [distance_m(centre["latitude"], centre["longitude"], p["location"]["latitude"],
                        p["location"]["longitude"]) for p in got]
    assert dists == sorted(dists)


# -- quota, faults, billing, log --------------------------------------------------------------
def test_places_quota_is_per_minute_and_its_own(state: SandboxState) -> None:
    clock = Clock()
    c = client_for(state, clock=clock, limits=Limits(places_qpm=3, project_qpm=1))
    for _ in range(3):
        assert c.post(URL, headers=IDS, json=COFFEE).status_code == 200
    err = error(c.post(URL, headers=IDS, json=COFFEE), 429)
    assert err["status"] == "RESOURCE_EXHAUSTED"
    info = err["details"][0]
    assert info["reason"] == "RATE_LIMIT_EXCEEDED"
    assert info["metadata"]["service"] == "places.googleapis.com"
    assert info["metadata"]["quota_limit_value"] == "3"
    clock.now += 61
    assert c.post(URL, headers=IDS, json=COFFEE).status_code == 200


def test_unapproved_gbp_project_still_has_places(state: SandboxState) -> None:
    c = client_for(state, limits=Limits(unapproved=True))
    assert c.post(URL, headers=IDS, json=COFFEE).status_code == 200


def test_faults_for_search_text(state: SandboxState) -> None:
    app = make_app(state, clock=lambda: NOW, faults="503@places.searchText:x2")
    c = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s")
    assert [c.post(URL, headers=IDS, json=COFFEE).status_code for _ in range(3)] == [
        503, 503, 200]
    assert app.fault_counts == {"503": 2}
    assert [s for _, p, s in app.request_log if p == URL] == [503, 503, 200]
    assert app.places_billing() == {"ids_only": 1}, "failed calls are not billed"


def test_billing_by_sku_tier(state: SandboxState, tmp_path: Any) -> None:
    path = tmp_path / "sandbox.db"
    disk = SandboxState.open(path)
    app = make_app(disk, clock=lambda: NOW)
    c = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://s")
    for mask, times in (("places.id,nextPageToken", 3), ("places.id,places.displayName", 2),
                        ("places.id,places.location,places.rating", 1), ("*", 1)):
        for _ in range(times):
            assert c.post(URL, headers={**KEY, "X-Goog-FieldMask": mask},
                          json=COFFEE).status_code == 200
    c.post(URL, headers=KEY, json=COFFEE)  # no mask: refused, not billed
    expected = {"ids_only": 3, "pro": 2, "enterprise": 1, "enterprise_atmosphere": 1}
    assert app.places_billing() == expected
    disk.close()
    assert SandboxState.open(path).places_billing() == expected, "kept across restarts"


def test_answers_over_real_http(served: Any) -> None:
    url = served()
    with httpx.Client(base_url=url) as c:
        resp = c.post(URL, params={"key": "AIza-http", "fields": "places.id,nextPageToken"},
                      json={"textQuery": "ラーメン", "locationBias": {"circle": {
                          "center": {"latitude": 35.6938, "longitude": 139.7034},
                          "radius": 3000}}})
        assert resp.status_code == 200, resp.text
        assert resp.json()["places"] and resp.headers["content-type"].startswith(
            "application/json")
        assert c.post(URL, headers={"X-Goog-Api-Key": "bad"}, json={}).status_code == 400


def test_injected_429_names_the_places_limit(state: SandboxState) -> None:
    c = client_for(state, faults="429@places.searchText:x1")
    err = error(c.post(URL, headers=IDS, json=COFFEE), 429)
    meta = err["details"][0]["metadata"]
    assert meta["service"] == "places.googleapis.com"
    assert meta["quota_limit"] == "SearchTextRequestPerMinutePerProject"
    assert c.post(URL, headers=IDS, json=COFFEE).status_code == 200
