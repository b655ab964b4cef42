"""The sandbox against Google's discovery documents: routes, query parameters, answer fields."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import googleapiclient.discovery_cache
import httpx
import pytest

from localcx.sandbox import SandboxState, discovery, make_app
from localcx.sandbox.app import ROUTES

AUTH = {"Authorization": "Bearer t"}
DATA = Path(discovery.__file__).parent / "data"
# The documents google-api-python-client ships: the reference the v1 copies are checked against.
INSTALLED = Path(googleapiclient.discovery_cache.__file__).parent / "documents"
V1_COPIES = sorted(p.name for p in DATA.glob("*.v1.json"))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> httpx.Client:
    state = SandboxState.open(tmp_path_factory.mktemp("conf") / "sandbox.db")
    return httpx.Client(transport=httpx.WSGITransport(app=make_app(state)), base_url="http://s",
                        headers=AUTH)


def conforms(value: Any, api: str, schema_name: str, where: str) -> None:
    """Every key of `value` is a property of the schema, recursively; enums are valid."""
    assert isinstance(value, dict), where
    props = discovery.schema(api, schema_name)["properties"]
    for key, item in value.items():
        assert key in props, f"{where}.{key} is not in {schema_name}"
        check(item, props[key], api, f"{where}.{key}")


def check(item: Any, spec: dict[str, Any], api: str, where: str) -> None:
    if spec.get("type") == "array":
        assert isinstance(item, list) and item, f"{where}: empty lists must be omitted"
        for i, sub in enumerate(item):
            check(sub, spec["items"], api, f"{where}[{i}]")
    elif "$ref" in spec:
        conforms(item, api, spec["$ref"], where)
    elif "enum" in spec:
        assert item in spec["enum"], f"{where}: {item!r} not a valid enum value"
    elif spec.get("format") in ("int64", "uint64"):
        assert isinstance(item, str), f"{where}: int64 must be a string"
    else:
        assert item not in ("", 0, False), f"{where}: proto3 default must be omitted"


def _methods(node: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every method of a discovery document (or resource) by id, nested resources included."""
    out = {m["id"]: m for m in node.get("methods", {}).values()}
    for child in node.get("resources", {}).values():
        out.update(_methods(child))
    return out


def _refs(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["$ref"]} if isinstance(value.get("$ref"), str) else set()
        return found.union(*(_refs(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_refs(v) for v in value))
    return set()


def _contract(doc: dict[str, Any]) -> dict[str, Any]:
    """What the sandbox relies on, without prose: each method's HTTP method, path and query
    parameters (with enums), and each schema's fields (with types and enums)."""
    methods = {mid: (m["httpMethod"], m.get("flatPath", m["path"]),
                     {k: (v.get("type"), v.get("repeated", False), tuple(v.get("enum", ())))
                      for k, v in m.get("parameters", {}).items()})
               for mid, m in _methods(doc).items()}
    schemas = {name: {k: (v.get("type"), v.get("$ref"), tuple(v.get("enum", ())),
                          v.get("readOnly", False), json.dumps(v.get("items", {}), sort_keys=True))
                      for k, v in spec.get("properties", {}).items()}
               for name, spec in doc["schemas"].items()}
    return {"parameters": sorted(doc["parameters"]), "methods": methods, "schemas": schemas}


@pytest.mark.parametrize("name", V1_COPIES)
def test_v1_copies_agree_with_the_installed_client(name: str) -> None:
    """The copies in data/ say what the Python client's own documents say, so the sandbox
    binds exactly the parameters and fields the client can send."""
    ours = json.loads((DATA / name).read_text("utf-8"))
    installed = json.loads((INSTALLED / name).read_text("utf-8"))
    assert ours["id"] == installed["id"]
    assert _contract(ours) == _contract(installed)


def _version(route: Any) -> str:
    return str(route.pattern.pattern.strip("^").split("/")[1])


def test_every_v1_api_the_sandbox_serves_has_a_copy() -> None:
    v1_routes = [route for route in ROUTES if _version(route) == "v1"]
    assert {f"{route.discovery_id.split('.')[0]}.v1.json" for route in v1_routes} <= set(V1_COPIES)
    assert len(V1_COPIES) >= 2
    others = {(route.discovery_id.split(".")[0], _version(route)) for route in ROUTES
              if _version(route) != "v1"}
    assert others == {("mybusiness", "v4")}, "v4 routes use the extract in data/"
    assert (DATA / "mybusiness.v4.json").exists()


def test_v4_extract_is_complete_and_self_consistent() -> None:
    doc = discovery.document("mybusiness", "v4")
    assert (doc["name"], doc["version"]) == ("mybusiness", "v4")
    methods = _methods(doc)
    prefix = "mybusiness.accounts.locations."
    assert set(methods) == {prefix + "batchGetReviews"} | {
        f"{prefix}reviews.{m}" for m in ("list", "get", "updateReply", "deleteReply")} | {
        f"{prefix}localPosts.{m}" for m in ("create", "list", "get", "patch", "delete")}
    assert _refs(doc) <= set(doc["schemas"]), "every $ref names a schema in the extract"
    for method in methods.values():
        assert method["flatPath"].startswith("v4/accounts/{accountsId}/locations")
    review = doc["schemas"]["Review"]["properties"]
    assert {"reviewMediaItems", "reviewReplyUrl"} <= set(review)
    reply = doc["schemas"]["ReviewReply"]["properties"]
    assert {"PENDING", "APPROVED", "REJECTED"} <= set(reply["reviewReplyState"]["enum"])
    assert set(doc["parameters"]) == set(discovery.document("mybusinessaccountmanagement")[
        "parameters"]), "v4 takes the same system parameters as v1"


def test_v4_methods_are_served_or_answered_as_unknown(client: httpx.Client) -> None:
    """A v4 method the sandbox does not emulate gets the front end's HTML 404, never a JSON
    answer a client could mistake for Google's."""
    served = {(r.http_method, r.pattern.pattern) for r in ROUTES}
    for method in _methods(discovery.document("mybusiness", "v4")).values():
        path = "/" + re.sub(r"\{(\w+)\}", "123", method["flatPath"])
        if any(m == method["httpMethod"] and re.match(p, path) for m, p in served):
            # served: a JSON answer (here a 404, as location 123 does not exist)
            resp = client.request(method["httpMethod"], path, json={})
            assert resp.headers["content-type"].startswith("application/json"), path
            continue
        resp = client.request(method["httpMethod"], path, json={})
        assert resp.status_code == 404, path
        assert resp.headers["content-type"].startswith("text/html"), path


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.method_id)
def test_route_matches_discovery(route: Any) -> None:
    api, *rest = route.discovery_id.split(".")
    version = route.pattern.pattern.strip("^").split("/")[1]
    node = discovery.document(api, version)
    for part in rest[:-1]:
        node = node["resources"][part]
    method = node["methods"][rest[-1]]
    assert method["httpMethod"] == route.http_method
    flat = "/" + method["flatPath"]
    ours = route.pattern.pattern.strip("^$").replace("(?P<account>[^/:]+)", "{accountsId}")
    ours = ours.replace("(?P<location>[^/:]+)", "{locationsId}")
    ours = ours.replace("(?P<post>[^/:]+)", "{localPostsId}")
    ours = ours.replace("(?P<review>[^/:]+)", "{reviewsId}")
    ours = ours.replace("(?P<place>[^/:]+)", "{placesId}")
    assert ours == flat


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.method_id)
def test_every_declared_query_parameter_binds(route: Any) -> None:
    from localcx.sandbox.binding import bind_query

    declared = discovery.query_params(route.discovery_id)
    for name in declared:
        bind_query(f"{name}=x", route.discovery_id, route.service) if "enum" not in declared[
            name] else bind_query(f"{name}={declared[name]['enum'][1]}", route.discovery_id,
                                  route.service)


def test_answers_use_only_discovery_fields(client: httpx.Client) -> None:
    am, bi = discovery.ACCOUNT_MANAGEMENT, discovery.BUSINESS_INFORMATION
    conforms(client.get("/v1/accounts", params={"pageSize": 1}).json(), am,
             "ListAccountsResponse", "accounts.list")
    every_field = ",".join(discovery.schema(bi, "Location")["properties"])
    listed = client.get("/v1/accounts/-/locations",
                        params={"readMask": every_field, "pageSize": 100}).json()
    assert len(listed["locations"]) == 30
    conforms(listed, bi, "ListLocationsResponse", "locations.list")
    for loc in listed["locations"]:
        got = client.get(f"/v1/{loc['name']}:getGoogleUpdated", params={"readMask": every_field})
        conforms(got.json(), bi, "GoogleUpdatedLocation", "getGoogleUpdated")
        assert client.get(f"/v1/{loc['name']}", params={"readMask": every_field}).json() == loc
    cats = client.get("/v1/categories", params={"regionCode": "JP", "languageCode": "ja",
                                                "view": "FULL"}).json()
    conforms(cats, bi, "ListCategoriesResponse", "categories.list")


def test_errors_use_google_envelope(client: httpx.Client) -> None:
    for resp in (client.get("/v1/accounts", params={"pageSize": "ten"}),
                 client.get("/v1/accounts/-/locations"), client.delete("/v1/accounts"),
                 httpx.Client(transport=client._transport, base_url="http://s").get("/v1/accounts")):
        err = resp.json()["error"]
        assert set(err) <= {"code", "message", "status", "details"}
        assert err["code"] == resp.status_code and err["status"] and err["message"]
        assert resp.headers["content-type"] == "application/json; charset=UTF-8"


def test_post_answers_use_only_discovery_fields(client: httpx.Client) -> None:
    state = client._transport.app.state  # type: ignore[attr-defined]
    loc = next(x for x in state.locations() if x["metadata"].get("hasVoiceOfMerchant"))
    base = f"/v4/{state.account_of(loc['name'])}/{loc['name']}/localPosts"
    created = client.post(base, json={
        "topicType": "EVENT", "summary": "Latte art night.",
        "callToAction": {"actionType": "SIGN_UP", "url": "https://northwind.example/art"},
        "event": {"title": "Latte art", "schedule": {
            "startDate": {"year": 2031, "month": 1, "day": 5}, "startTime": {"hours": 18},
            "endDate": {"year": 2031, "month": 1, "day": 5}, "endTime": {"hours": 21}}},
        "media": [{"mediaFormat": "PHOTO", "sourceUrl": "https://cdn.northwind.example/a.jpg"}]})
    assert created.status_code == 200, created.text
    conforms(created.json(), "mybusiness", "LocalPost", "localPosts.create")
    conforms(client.get(base).json(), "mybusiness", "ListLocalPostsResponse", "localPosts.list")


def test_places_answers_use_only_discovery_fields(client: httpx.Client) -> None:
    """places.searchText is served: its answer (every field, `*`) fits the discovery schema,
    and it authenticates by API key, not by the Business Profile token."""
    body = {"textQuery": "ラーメン", "pageSize": 20}
    got = client.post("/v1/places:searchText", json=body,
                      headers={"X-Goog-Api-Key": "k", "X-Goog-FieldMask": "*"})
    assert got.status_code == 200, got.text
    assert len(got.json()["places"]) == 20 and got.json()["nextPageToken"]
    conforms(got.json(), "places", "GoogleMapsPlacesV1SearchTextResponse", "places.searchText")
    assert client.post("/v1/places:searchText", json=body).status_code == 403


def test_review_answers_use_only_discovery_fields(client: httpx.Client) -> None:
    """reviews.list/get, batchGetReviews and updateReply answers fit the v4 extract's schemas
    (starRating and reviewReplyState enums, policyViolation an enum string)."""
    state = client._transport.app.state  # type: ignore[attr-defined]
    parents = [f"{state.account_of(loc['name'])}/{loc['name']}" for loc in state.locations()
               if loc["metadata"].get("hasVoiceOfMerchant")]
    listed = client.get(f"/v4/{parents[0]}/reviews").json()
    conforms(listed, "mybusiness", "ListReviewsResponse", "reviews.list")
    name = listed["reviews"][0]["name"]
    reply = client.put(f"/v4/{name}/reply", json={"comment": "Call 206-555-0134"}).json()
    conforms(reply, "mybusiness", "ReviewReply", "reviews.updateReply")
    conforms(client.get(f"/v4/{name}").json(), "mybusiness", "Review", "reviews.get")
    account = parents[0].split("/locations/")[0]
    batch = client.post(f"/v4/{account}/locations:batchGetReviews", json={
        "locationNames": [p for p in parents if p.startswith(account + "/")]}).json()
    conforms(batch, "mybusiness", "BatchGetReviewsResponse", "batchGetReviews")
    assert client.delete(f"/v4/{name}/reply").json() == {}


def test_performance_answers_use_only_discovery_fields(client: httpx.Client) -> None:
    """Daily metrics and search keywords fit Performance v1's schemas: int64 values are
    strings, zeros are left out, and an InsightsValue holds a value or a threshold."""
    api = discovery.PERFORMANCE
    state = client._transport.app.state  # type: ignore[attr-defined]
    for loc in state.locations()[:4]:
        daily = client.get(f"/v1/{loc['name']}:fetchMultiDailyMetricsTimeSeries", params=[
            *(("dailyMetrics", m) for m in discovery.query_params(
                f"{api}.locations.fetchMultiDailyMetricsTimeSeries")["dailyMetrics"]["enum"][1:]),
            ("dailyRange.startDate.year", "2025"), ("dailyRange.startDate.month", "1"),
            ("dailyRange.startDate.day", "1"), ("dailyRange.endDate.year", "2025"),
            ("dailyRange.endDate.month", "3"), ("dailyRange.endDate.day", "31")])
        assert daily.status_code == 200, daily.text
        conforms(daily.json(), api, "FetchMultiDailyMetricsTimeSeriesResponse", "fetchMultiDaily")
        keywords = client.get(f"/v1/{loc['name']}/searchkeywords/impressions/monthly", params={
            "monthlyRange.startMonth.year": 2025, "monthlyRange.startMonth.month": 1,
            "monthlyRange.endMonth.year": 2030, "monthlyRange.endMonth.month": 12, "pageSize": 5})
        assert keywords.status_code == 200, keywords.text
        conforms(keywords.json(), api, "ListSearchKeywordImpressionsMonthlyResponse", "keywords")
